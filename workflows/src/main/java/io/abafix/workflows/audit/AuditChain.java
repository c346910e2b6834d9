package io.abafix.workflows.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * The journal's hash chain: each record's {@code hash} is SHA-256 of the canonical JSON of its
 * other fields (keys sorted, {@code prev} included), so changing, removing, inserting or reordering
 * a record changes every hash after it. The workflow computes it as it records; the export and
 * {@code abafix audit verify} recompute it the same way.
 */
public final class AuditChain {
  /** The {@code prev} of the first record. */
  public static final String GENESIS = "0".repeat(64);

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private AuditChain() {}

  /** The hash {@code entry} must carry: over every field but {@code hash}. */
  public static String hashOf(AuditEntry entry) {
    Map<String, Object> fields = new TreeMap<>(JSON.convertValue(entry, Map.class));
    fields.remove("hash");
    return sha256(canonical(fields));
  }

  /** Keys sorted at every level, no spaces: the same bytes wherever it is computed. */
  public static String canonical(Object value) {
    try {
      return JSON.writeValueAsString(JSON.convertValue(value, Object.class));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise an audit value", e);
    }
  }

  public static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
