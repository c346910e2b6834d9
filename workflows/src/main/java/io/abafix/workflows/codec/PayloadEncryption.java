package io.abafix.workflows.codec;

import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Where the payload key comes from, and the data converter every client and worker uses.
 *
 * <p>Environment: {@code ABAFIX_ENCRYPTION_KEY_FILE} (a file holding a base64 256-bit key, made by
 * {@code abafix keygen}, readable by its owner only); {@code ABAFIX_ENCRYPTION_KEY_ID} names it
 * (default {@code default}); {@code ABAFIX_ENCRYPTION_PREVIOUS_KEY_FILES} lists older keys as
 * {@code id=path,id=path} so histories written before a rotation still read; {@code
 * ABAFIX_ENCRYPTION_ACCEPT_PLAINTEXT=true} lets payloads that are not encrypted through (only to
 * read histories written before encryption). The key itself is never taken from the environment: a
 * process's environment is readable by too many (child processes, crash dumps, /proc).
 */
public final class PayloadEncryption {
  public static final String KEY_FILE = "ABAFIX_ENCRYPTION_KEY_FILE";
  public static final String KEY_ID = "ABAFIX_ENCRYPTION_KEY_ID";
  public static final String PREVIOUS_KEY_FILES = "ABAFIX_ENCRYPTION_PREVIOUS_KEY_FILES";
  public static final String ACCEPT_PLAINTEXT = "ABAFIX_ENCRYPTION_ACCEPT_PLAINTEXT";

  /** No longer read; named only to refuse it with a clear message. */
  static final String INLINE_KEY = "ABAFIX_ENCRYPTION_KEY";

  private static final SecureRandom RANDOM = new SecureRandom();

  private PayloadEncryption() {}

  /** The data converter: Jackson JSON as usual, then AES-GCM, failure attributes included. */
  public static DataConverter dataConverter(AesGcmPayloadCodec codec) {
    return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(codec), true);
  }

  /**
   * The codec configured by the environment.
   *
   * @throws IllegalArgumentException with a message that says what to set, when no key is
   *     configured, a key is malformed or readable by others, or two keys share an id
   */
  public static AesGcmPayloadCodec fromEnvironment(Function<String, String> env) {
    String inline = env.apply(INLINE_KEY);
    if (inline != null && !inline.isBlank()) {
      throw new IllegalArgumentException(
          INLINE_KEY
              + " is not read: a key in the environment leaks to child processes and dumps;"
              + " put it in a file made by 'abafix keygen' and set "
              + KEY_FILE);
    }
    String keyId = orDefault(env.apply(KEY_ID), "default");
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    String file = env.apply(KEY_FILE);
    if (file == null || file.isBlank()) {
      throw new IllegalArgumentException(
          "no payload encryption key: set "
              + KEY_FILE
              + " to a key file made by 'abafix keygen' "
              + "(the same key on every worker and client)");
    }
    keys.put(keyId, readKeyFile(Path.of(file)));
    String previous = env.apply(PREVIOUS_KEY_FILES);
    if (previous != null && !previous.isBlank()) {
      for (String entry : previous.split(",")) {
        String[] idAndPath = entry.trim().split("=", 2);
        if (idAndPath.length != 2 || idAndPath[0].isBlank()) {
          throw new IllegalArgumentException(
              PREVIOUS_KEY_FILES + " entries look like id=path, not " + entry);
        }
        String id = idAndPath[0].trim();
        if (keys.containsKey(id)) {
          throw new IllegalArgumentException(
              "two payload keys have the id '"
                  + id
                  + "' ("
                  + KEY_ID
                  + " / "
                  + PREVIOUS_KEY_FILES
                  + "): a payload names its key by id, so every key needs an id of its own");
        }
        keys.put(id, readKeyFile(Path.of(idAndPath[1].trim())));
      }
    }
    return new AesGcmPayloadCodec(
        keyId, keys, "true".equalsIgnoreCase(env.apply(ACCEPT_PLAINTEXT)));
  }

  /** A fresh random key for a single process (the demo): nothing else can read its history. */
  public static AesGcmPayloadCodec ephemeral() {
    return new AesGcmPayloadCodec(
        "ephemeral", Map.of("ephemeral", new SecretKeySpec(newKey(), "AES")));
  }

  /** A new 256-bit key, base64, for a key file. */
  public static String newKeyBase64() {
    return Base64.getEncoder().encodeToString(newKey());
  }

  private static byte[] newKey() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    return key;
  }

  private static SecretKey readKeyFile(Path file) {
    SecretFiles.requireOwnerOnly(file, "payload key file");
    try {
      return parse(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the payload key file " + file + ": " + e.getMessage(), e);
    }
  }

  private static SecretKey parse(String base64, String source) {
    byte[] key;
    try {
      key = Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the payload key in " + source + " is not base64", e);
    }
    if (key.length != 32) {
      throw new IllegalArgumentException(
          "the payload key in "
              + source
              + " has "
              + key.length * 8
              + " bits; it must have 256 (abafix keygen)");
    }
    return new SecretKeySpec(key, "AES");
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
