package io.abafix.worker;

import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.codec.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Map;
import java.util.function.Function;

/**
 * One payload key and one audit signing key shared by the tests' workers and clients, as in a real
 * deployment: in files readable by their owner only, named by the environment.
 */
final class TestKeys {
  static final Path DIR;
  static final Path KEY_FILE;
  static final Path AUDIT_SIGNING_KEY_FILE;
  static final KeyPair AUDIT_KEYS = AuditSigning.newKeyPair();

  static {
    try {
      DIR = Files.createTempDirectory("abafix-test-keys");
      DIR.toFile().deleteOnExit();
      KEY_FILE = DIR.resolve("payload.key");
      SecretFiles.createOwnerOnly(
          KEY_FILE, PayloadEncryption.newKeyBase64().getBytes(StandardCharsets.US_ASCII));
      AUDIT_SIGNING_KEY_FILE = DIR.resolve("audit-signing.key");
      SecretFiles.createOwnerOnly(
          AUDIT_SIGNING_KEY_FILE,
          AuditSigning.privateKeyPem(AUDIT_KEYS.getPrivate()).getBytes(StandardCharsets.US_ASCII));
      KEY_FILE.toFile().deleteOnExit();
      AUDIT_SIGNING_KEY_FILE.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** What a worker process's environment holds: where the keys are. */
  static final Map<String, String> VARIABLES =
      Map.of(
          PayloadEncryption.KEY_FILE,
          KEY_FILE.toString(),
          AuditSigning.KEY_FILE,
          AUDIT_SIGNING_KEY_FILE.toString());

  static final Function<String, String> ENVIRONMENT = VARIABLES::get;

  static final AesGcmPayloadCodec CODEC = PayloadEncryption.fromEnvironment(ENVIRONMENT);

  private TestKeys() {}
}
