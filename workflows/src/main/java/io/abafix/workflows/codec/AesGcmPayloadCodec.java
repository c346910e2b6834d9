package io.abafix.workflows.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts every payload that crosses Temporal (inputs, results, queries, updates, failure details)
 * with AES-256-GCM, so that server names, app ids and machine ids in workflow history are
 * unreadable to anyone with access to the cluster but not the key. The key id travels in the
 * payload's metadata, so keys can be rotated: new payloads use the current key, old ones are read
 * with whichever known key wrote them.
 *
 * <p>Format of {@code data}: 12-byte random nonce, then ciphertext with its 16-byte tag. The key id
 * is authenticated as associated data, so a payload cannot be relabelled to another key.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  /** The {@code encoding} metadata value of an encrypted payload. */
  public static final String ENCODING = "binary/encrypted";

  /** Metadata key naming the key that encrypted the payload. */
  public static final String KEY_ID = "encryption-key-id";

  private static final String METADATA_ENCODING = "encoding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String currentKeyId;
  private final Map<String, SecretKey> keys;

  /**
   * @param currentKeyId the key new payloads are encrypted with
   * @param keys every key this process may need to decrypt with, by id (including the current one)
   */
  public AesGcmPayloadCodec(String currentKeyId, Map<String, SecretKey> keys) {
    if (!keys.containsKey(currentKeyId)) {
      throw new IllegalArgumentException("no key with id " + currentKeyId);
    }
    this.currentKeyId = currentKeyId;
    this.keys = Map.copyOf(keys);
  }

  public String currentKeyId() {
    return currentKeyId;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private Payload encrypt(Payload plain) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(currentKeyId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain.toByteArray());
      return Payload.newBuilder()
          .putMetadata(METADATA_ENCODING, ByteString.copyFromUtf8(ENCODING))
          .putMetadata(KEY_ID, ByteString.copyFromUtf8(currentKeyId))
          .setData(ByteString.copyFrom(nonce).concat(ByteString.copyFrom(sealed)))
          .build();
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(e);
    }
  }

  private Payload decrypt(Payload payload) {
    ByteString encoding = payload.getMetadataOrDefault(METADATA_ENCODING, ByteString.EMPTY);
    if (!encoding.toStringUtf8().equals(ENCODING)) return payload;
    String keyId = payload.getMetadataOrDefault(KEY_ID, ByteString.EMPTY).toStringUtf8();
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new PayloadCodecException(
          "payload was encrypted with key '"
              + keyId
              + "', which this process was not given: "
              + "add it with ABAFIX_ENCRYPTION_PREVIOUS_KEY_FILES");
    }
    try {
      byte[] data = payload.getData().toByteArray();
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
      return Payload.parseFrom(plain);
    } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
      throw new PayloadCodecException(
          new IllegalStateException(
              "payload encrypted with key '" + keyId + "' does not decrypt", e));
    }
  }
}
