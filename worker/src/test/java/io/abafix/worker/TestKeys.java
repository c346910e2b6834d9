package io.abafix.worker;

import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import java.util.Map;
import java.util.function.Function;

/** One payload key shared by the tests' workers and clients, as in a real deployment. */
final class TestKeys {
  static final String KEY_BASE64 = PayloadEncryption.newKeyBase64();

  /** The environment a worker process sees: just the key. */
  static final Function<String, String> ENVIRONMENT =
      Map.of(PayloadEncryption.KEY, KEY_BASE64)::get;

  static final AesGcmPayloadCodec CODEC = PayloadEncryption.fromEnvironment(ENVIRONMENT);

  private TestKeys() {}
}
