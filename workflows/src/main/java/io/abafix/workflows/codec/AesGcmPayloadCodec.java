package io.abafix.workflows.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import io.temporal.payload.context.HasWorkflowSerializationContext;
import io.temporal.payload.context.SerializationContext;
import java.io.ByteArrayOutputStream;
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
 * <p>Format of {@code data}: 12-byte random nonce, then ciphertext with its 16-byte tag. The
 * associated data authenticates the key id, the namespace and the workflow id the SDK passes as the
 * serialization context: a payload cannot be relabelled to another key, and a payload copied into
 * another workflow (another run id, or a forged signal) does not decrypt there.
 *
 * <p>Fails closed: a payload that is not encrypted is refused, unless the codec was built to accept
 * plaintext ({@link PayloadEncryption#ACCEPT_PLAINTEXT}, for histories written before encryption).
 * Every refusal of a payload (not encrypted, another key, does not decrypt) is a {@link
 * RefusedPayloadException}, which the SDK takes as an unreadable input: a signal that carries one
 * is dropped and the run goes on.
 */
public final class AesGcmPayloadCodec implements PayloadCodec {
  /** The {@code encoding} metadata value of an encrypted payload. */
  public static final String ENCODING = "binary/encrypted";

  /** Metadata key naming the key that encrypted the payload. */
  public static final String KEY_ID = "encryption-key-id";

  /** Metadata key saying which workflow the payload is bound to (the workflow id is not secret). */
  public static final String BOUND_TO = "encryption-bound-to";

  private static final String METADATA_ENCODING = "encoding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String currentKeyId;
  private final Map<String, SecretKey> keys;
  private final boolean acceptPlaintext;
  private final String namespace;
  private final String workflowId;

  /**
   * @param currentKeyId the key new payloads are encrypted with
   * @param keys every key this process may need to decrypt with, by id (including the current one)
   */
  public AesGcmPayloadCodec(String currentKeyId, Map<String, SecretKey> keys) {
    this(currentKeyId, keys, false);
  }

  /**
   * @param acceptPlaintext whether a payload that is not encrypted is passed through (only for
   *     reading histories written before encryption was turned on)
   */
  public AesGcmPayloadCodec(
      String currentKeyId, Map<String, SecretKey> keys, boolean acceptPlaintext) {
    this(currentKeyId, Map.copyOf(keys), acceptPlaintext, null, null);
    if (!keys.containsKey(currentKeyId)) {
      throw new IllegalArgumentException("no key with id " + currentKeyId);
    }
  }

  private AesGcmPayloadCodec(
      String currentKeyId,
      Map<String, SecretKey> keys,
      boolean acceptPlaintext,
      String namespace,
      String workflowId) {
    this.currentKeyId = currentKeyId;
    this.keys = keys;
    this.acceptPlaintext = acceptPlaintext;
    this.namespace = namespace;
    this.workflowId = workflowId;
  }

  public String currentKeyId() {
    return currentKeyId;
  }

  /** The same keys, bound to the workflow the SDK names (every workflow and activity context). */
  @Override
  public AesGcmPayloadCodec withContext(SerializationContext context) {
    if (context instanceof HasWorkflowSerializationContext workflow) {
      return new AesGcmPayloadCodec(
          currentKeyId, keys, acceptPlaintext, workflow.getNamespace(), workflow.getWorkflowId());
    }
    return this;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    return payloads.stream().map(this::encrypt).toList();
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    return payloads.stream().map(this::decrypt).toList();
  }

  private String binding() {
    return workflowId == null ? "" : namespace + "/" + workflowId;
  }

  private Payload encrypt(Payload plain) {
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, keys.get(currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(associatedData(currentKeyId, binding()));
      byte[] sealed = cipher.doFinal(plain.toByteArray());
      return Payload.newBuilder()
          .putMetadata(METADATA_ENCODING, ByteString.copyFromUtf8(ENCODING))
          .putMetadata(KEY_ID, ByteString.copyFromUtf8(currentKeyId))
          .putMetadata(BOUND_TO, ByteString.copyFromUtf8(binding()))
          .setData(ByteString.copyFrom(nonce).concat(ByteString.copyFrom(sealed)))
          .build();
    } catch (GeneralSecurityException e) {
      throw new PayloadCodecException(e);
    }
  }

  private Payload decrypt(Payload payload) {
    ByteString encoding = payload.getMetadataOrDefault(METADATA_ENCODING, ByteString.EMPTY);
    if (!encoding.toStringUtf8().equals(ENCODING)) {
      if (acceptPlaintext) return payload;
      throw new RefusedPayloadException(
          "refused a payload that is not encrypted (encoding '"
              + encoding.toStringUtf8()
              + "'): every abafix process encrypts, so it was written by something else; set "
              + PayloadEncryption.ACCEPT_PLAINTEXT
              + "=true only to read histories written before encryption");
    }
    String keyId = payload.getMetadataOrDefault(KEY_ID, ByteString.EMPTY).toStringUtf8();
    SecretKey key = keys.get(keyId);
    if (key == null) {
      throw new RefusedPayloadException(
          "payload was encrypted with key '"
              + keyId
              + "', which this process was not given: "
              + "add it with "
              + PayloadEncryption.PREVIOUS_KEY_FILES);
    }
    String claimed = payload.getMetadataOrDefault(BOUND_TO, ByteString.EMPTY).toStringUtf8();
    // Outside any workflow (a tool reading a stored history) the payload's own label is used: the
    // tag still proves it was sealed for that workflow. Inside one, only that workflow is accepted.
    String expected = workflowId == null ? claimed : binding();
    try {
      byte[] data = payload.getData().toByteArray();
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      cipher.updateAAD(associatedData(keyId, expected));
      byte[] plain = cipher.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES);
      return Payload.parseFrom(plain);
    } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
      String where =
          expected.equals(claimed)
              ? ""
              : " here: it was sealed for workflow '"
                  + claimed
                  + "', not '"
                  + expected
                  + "' (a payload copied from another run)";
      throw new RefusedPayloadException(
          "payload encrypted with key '" + keyId + "' does not decrypt" + where, e);
    }
  }

  /** Length-prefixed, so no two (key id, binding) pairs share the same bytes. */
  private static byte[] associatedData(String keyId, String binding) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String part : List.of("abafix-payload-v2", keyId, binding)) {
      byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
      out.write(bytes.length >>> 8);
      out.write(bytes.length);
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }
}
