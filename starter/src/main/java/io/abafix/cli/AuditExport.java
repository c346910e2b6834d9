package io.abafix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.workflows.audit.AuditEntry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes an audit journal as JSON Lines with a hash chain: each line carries {@code prev} (the
 * previous line's hash) and {@code hash} = SHA-256 of {@code prev} and the line's other fields, so
 * an edited, removed or reordered line breaks every hash after it.
 */
public final class AuditExport {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
  private static final String GENESIS = "0".repeat(64);

  private AuditExport() {}

  /** The journal as JSON Lines, hash-chained. */
  public static List<String> lines(List<AuditEntry> entries) {
    List<String> lines = new ArrayList<>();
    String prev = GENESIS;
    for (AuditEntry e : entries) {
      ObjectNode node = JSON.valueToTree(e);
      node.put("startedAtUtc", Instant.ofEpochMilli(e.startedAt()).toString());
      node.put("endedAtUtc", Instant.ofEpochMilli(e.endedAt()).toString());
      node.put("prev", prev);
      String hash = sha256(prev + canonical(node));
      node.put("hash", hash);
      lines.add(canonical(node));
      prev = hash;
    }
    return lines;
  }

  public static void write(List<AuditEntry> entries, Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.write(file, lines(entries), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit to " + file, e);
    }
  }

  /**
   * Checks a file's chain.
   *
   * @return null when intact, else the 1-based line number of the first broken line
   */
  public static Integer firstBrokenLine(List<String> lines) {
    String prev = GENESIS;
    for (int i = 0; i < lines.size(); i++) {
      try {
        ObjectNode node = (ObjectNode) JSON.readTree(lines.get(i));
        String hash = node.path("hash").asText();
        node.remove("hash");
        if (!prev.equals(node.path("prev").asText())
            || !hash.equals(sha256(prev + canonical(node)))) {
          return i + 1;
        }
        prev = hash;
      } catch (IOException | ClassCastException e) {
        return i + 1;
      }
    }
    return null;
  }

  private static String canonical(ObjectNode node) {
    try {
      // Re-reading through a sorted map makes the text independent of field order.
      Object sorted = JSON.treeToValue(node, java.util.TreeMap.class);
      return JSON.writeValueAsString(sorted);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
