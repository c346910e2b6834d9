package io.abafix.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.cli.AuditExport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

/** An {@code abafix audit --out} export read back: its entries and whether its chain holds. */
public record AuditFile(List<Entry> entries, Verification verification, String runId) {
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads and checks an export.
   *
   * @throws IllegalArgumentException when the file is missing, empty or a line is not JSON
   */
  public static AuditFile read(Path file) {
    return read(file, null);
  }

  /**
   * Reads and checks an export: its hash chain and, with the orchestrator's audit public key, the
   * signed digests that make a rewrite with a recomputed chain detectable.
   *
   * @param publicKey the key of {@code abafix keygen --audit-signing}, or null (then the signatures
   *     are reported as not checked)
   */
  public static AuditFile read(Path file, PublicKey publicKey) {
    List<String> lines;
    try {
      lines =
          Files.readAllLines(file, StandardCharsets.UTF_8).stream()
              .filter(l -> !l.isBlank())
              .toList();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("no audit file " + file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    if (lines.isEmpty()) throw new IllegalArgumentException(file + " holds no journal entry");
    List<Entry> entries = new ArrayList<>();
    String runId = null;
    for (int i = 0; i < lines.size(); i++) {
      JsonNode node;
      try {
        node = JSON.readTree(lines.get(i));
      } catch (IOException e) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + " is not JSON: is it an abafix audit export?");
      }
      if (!node.isObject() || !node.has("step") || !node.has("seq")) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + " is not a journal entry: is it an abafix audit export?");
      }
      entries.add(Entry.of(node));
      if (runId == null && node.hasNonNull("runId")) runId = node.get("runId").asText();
    }
    Integer broken = AuditExport.firstBrokenLine(lines);
    Verification.Check chain =
        broken == null
            ? new Verification.Check(
                "hash chain",
                Verification.State.PASSED,
                "all " + lines.size() + " lines of " + file.getFileName() + " chain intact")
            : new Verification.Check(
                "hash chain",
                Verification.State.FAILED,
                "line "
                    + broken
                    + " of "
                    + file.getFileName()
                    + " does not match its hash or the line before it: the file was edited,"
                    + " cut or reordered after export");
    Verification.Check digests;
    Verification.Check signatures = null;
    AuditExport.Verification signed = AuditExport.verify(lines, publicKey);
    if (publicKey == null) {
      // Without a key the digests are still held to the chain: a head they do not match is an
      // edit. What no one can check without the key is who signed them.
      digests =
          new Verification.Check(
              "signed digests against the chain",
              signed.intact() ? Verification.State.PASSED : Verification.State.FAILED,
              signed.intact()
                  ? "every digest names the chain's head where it stands, and the run's closing"
                      + " digest ends the file"
                  : signed.message());
      signatures =
          new Verification.Check(
              "signatures",
              Verification.State.NOT_CHECKED,
              "no key given: report with --public-key K (the orchestrator's audit public key, the"
                  + " .pub of abafix keygen --audit-signing) to verify them");
    } else {
      digests =
          new Verification.Check(
              "signed digests",
              signed.intact() ? Verification.State.PASSED : Verification.State.FAILED,
              signed.message());
    }
    return new AuditFile(
        List.copyOf(entries),
        signatures == null
            ? Verification.of(chain, digests)
            : Verification.of(chain, digests, signatures),
        runId);
  }
}
