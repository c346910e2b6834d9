package io.abafix.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.workflows.audit.AuditChain;
import io.abafix.workflows.audit.AuditDigest;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.audit.AuditRecords;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.audit.SignedDigest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Writes an audit journal as JSON Lines, one record a line, with the hash chain the workflow
 * computed as it recorded ({@code prev}, {@code hash}) and the digests the orchestrator signed
 * ({@code AUDIT_DIGEST} records); and checks such a file ({@link #verify}).
 */
public final class AuditExport {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private AuditExport() {}

  /**
   * What {@link #verify} says when it was given no key: the signatures are the only check that
   * proves who wrote the file, and they were not made.
   */
  public static final String NOT_VERIFIED =
      "signatures NOT VERIFIED (no key given: add --public-key K, the orchestrator's audit public"
          + " key, i.e. the .pub that abafix keygen --audit-signing wrote beside its key, or the one"
          + " the demo writes beside its export)";

  /**
   * The result of {@link #verify}: {@code firstBad} is the 1-based record, null when intact.
   *
   * @param signaturesVerified whether each digest's signature was checked against a key: false when
   *     none was given, and then an intact file is only consistent, not proven
   */
  public record Verification(
      Integer firstBad, String message, int records, int digests, boolean signaturesVerified) {
    public boolean intact() {
      return firstBad == null;
    }
  }

  /**
   * Whose journal it is and which key signed it, as its last signed digest says.
   *
   * @param keyId the signing key's id ({@link AuditSigning#keyId}: SHA-256 of its public key, its
   *     fingerprint), or null when no digest was signed
   */
  public record Signer(String workflowId, String runId, String keyId) {
    /**
     * How {@code abafix audit verify}, the demo and the end of a followed run name the journal and
     * its key, so that one can be compared with the other.
     */
    public String describe() {
      return "workflow "
          + workflowId
          + ", run "
          + runId
          + (keyId == null ? "; not signed" : "; signed by key id " + keyId);
    }
  }

  /** The journal's signer, from its last digest record; empty when it has none. */
  public static Optional<Signer> signer(List<AuditEntry> entries) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      AuditEntry e = entries.get(i);
      if (!AuditJournal.DIGEST.equals(e.step()) || e.after() == null) continue;
      try {
        SignedDigest s = AuditRecords.signedDigest(e.after());
        return Optional.of(new Signer(s.digest().workflowId(), s.digest().runId(), s.keyId()));
      } catch (IllegalArgumentException malformed) {
        // verify() names a malformed digest; an earlier one may still say whose journal it is.
      }
    }
    return Optional.empty();
  }

  /** As {@link #signer(List)}, for an export's lines; a line that is no record is skipped. */
  public static Optional<Signer> signerOfLines(List<String> lines) {
    List<AuditEntry> entries = new ArrayList<>();
    for (String line : lines) {
      try {
        entries.add(parse(line));
      } catch (IllegalArgumentException notARecord) {
        // verify() names it.
      }
    }
    return signer(entries);
  }

  /** The journal as JSON Lines. */
  public static List<String> lines(List<AuditEntry> entries) {
    List<String> lines = new ArrayList<>();
    for (AuditEntry e : entries) {
      ObjectNode node = JSON.valueToTree(e);
      node.put("startedAtUtc", Instant.ofEpochMilli(e.startedAt()).toString());
      node.put("endedAtUtc", Instant.ofEpochMilli(e.endedAt()).toString());
      lines.add(AuditChain.canonical(node));
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
   * Writes the key that verifies {@code auditFile} beside it, as {@code <auditFile>.pub}.
   *
   * @return the file written
   */
  public static Path writePublicKey(PublicKey key, Path auditFile) {
    Path pub = Path.of(auditFile + ".pub");
    try {
      Files.writeString(pub, AuditSigning.publicKeyPem(key), StandardCharsets.US_ASCII);
      return pub;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit public key to " + pub, e);
    }
  }

  /**
   * Checks a file's chain alone (not its signatures: see {@link #verify}).
   *
   * @return null when intact, else the 1-based line number of the first broken line
   */
  public static Integer firstBrokenLine(List<String> lines) {
    String prev = AuditChain.GENESIS;
    for (int i = 0; i < lines.size(); i++) {
      try {
        AuditEntry e = parse(lines.get(i));
        if (!prev.equals(e.prev()) || !AuditChain.hashOf(e).equals(e.hash())) return i + 1;
        prev = e.hash();
      } catch (IllegalArgumentException ex) {
        return i + 1;
      }
    }
    return null;
  }

  /**
   * Checks an export against the orchestrator's public key: every record in order and unchanged
   * (seq, chain, derived fields), every digest signed by that key and matching the records it
   * covers, the digests chained, and the file ending with the run's closing digest. A file
   * rewritten with its chain recomputed fails at the first digest whose signed head no longer
   * matches.
   *
   * <p>Without a key ({@code key} null) every check but the signatures still runs: a file whose
   * digests name chain heads it does not have fails as with a key; one that passes is reported with
   * {@link #NOT_VERIFIED}, since anyone can recompute a chain and its digests.
   */
  public static Verification verify(List<String> lines, PublicKey key) {
    String prev = AuditChain.GENESIS;
    String runId = null;
    AuditDigest lastDigest = null;
    List<String> hashes = new ArrayList<>();
    int digests = 0;
    for (int i = 0; i < lines.size(); i++) {
      int n = i + 1;
      AuditEntry e;
      try {
        e = parse(lines.get(i));
      } catch (IllegalArgumentException ex) {
        return bad(n, ex.getMessage(), digests);
      }
      if (e.seq() != n) {
        return bad(
            n,
            "it says seq "
                + e.seq()
                + " where record "
                + n
                + " belongs: a record was removed, inserted or moved",
            digests);
      }
      if (runId == null) runId = e.runId();
      if (!runId.equals(e.runId())) {
        return bad(n, "it belongs to run " + e.runId() + ", not " + runId, digests);
      }
      if (!prev.equals(e.prev())) {
        return bad(n, "its prev is not the hash of record " + (n - 1), digests);
      }
      if (!AuditChain.hashOf(e).equals(e.hash())) {
        return bad(n, "its content does not match its hash: a field was edited", digests);
      }
      if (lastDigest != null && lastDigest.closing()) {
        return bad(n, "it follows the run's closing digest: nothing may", digests);
      }
      if (AuditJournal.DIGEST.equals(e.step())) {
        SignedDigest signed;
        try {
          signed = AuditRecords.signedDigest(e.after());
        } catch (IllegalArgumentException ex) {
          return bad(n, "its digest is malformed: " + ex.getMessage(), digests);
        }
        if (signed.signature() == null) {
          return bad(n, "the orchestrator did not sign this digest: " + e.detail(), digests);
        }
        if (key != null && !AuditSigning.verifies(signed, key)) {
          return bad(n, "its signature does not verify with the given public key", digests);
        }
        AuditDigest d = signed.digest();
        if (!runId.equals(d.runId())) {
          // Kept in the history of a run reset from the one that signed it: that run's records.
          return bad(
              n,
              "the digest was signed in run "
                  + d.runId()
                  + ", and the records are run "
                  + runId
                  + "'s: a run reset from "
                  + d.runId()
                  + " (temporal workflow reset) keeps the digests signed before the reset point,"
                  + " which sign "
                  + d.runId()
                  + "'s records (abafix audit "
                  + d.workflowId()
                  + " --run-id "
                  + d.runId()
                  + " --out FILE)",
              digests);
        }
        int expectedFirst = lastDigest == null ? 1 : lastDigest.lastSeq() + 1;
        if (d.lastSeq() != n - 1 || d.firstSeq() != expectedFirst) {
          return bad(
              n,
              "the signed digest covers records "
                  + d.firstSeq()
                  + ".."
                  + d.lastSeq()
                  + ", but here it follows records "
                  + expectedFirst
                  + ".."
                  + (n - 1),
              digests);
        }
        if (!d.headHash().equals(hashes.get(n - 2))) {
          // The chain is consistent, yet not the one that was signed: rewritten and recomputed.
          return bad(
              d.firstSeq(),
              "records "
                  + d.firstSeq()
                  + ".."
                  + d.lastSeq()
                  + " are not the ones the orchestrator signed in record "
                  + n
                  + " (the chain was recomputed over changed records)",
              digests);
        }
        String previous = lastDigest == null ? AuditChain.GENESIS : lastDigest.id();
        if (!previous.equals(d.previousDigest())) {
          return bad(n, "its previous digest is not the signed digest before it", digests);
        }
        lastDigest = d;
        digests++;
      }
      prev = e.hash();
      hashes.add(e.hash());
    }
    if (lines.isEmpty()) return bad(1, "the file holds no record", 0);
    if (lastDigest == null || !lastDigest.closing()) {
      return bad(
          lines.size() + 1,
          "missing: the file ends at record "
              + lines.size()
              + " without the run's closing signed digest"
              + (lastDigest == null ? "" : " (signed up to record " + lastDigest.lastSeq() + ")")
              + ": it was cut off, or the run has not ended",
          digests);
    }
    if (key == null) {
      return new Verification(
          null,
          lines.size()
              + " records chained, "
              + digests
              + " signed digests match the chain; "
              + NOT_VERIFIED,
          lines.size(),
          digests,
          false);
    }
    return new Verification(
        null,
        lines.size() + " records intact, " + digests + " signed digests verified",
        lines.size(),
        digests,
        true);
  }

  private static Verification bad(int record, String why, int digests) {
    return new Verification(record, "record " + record + ": " + why, record - 1, digests, false);
  }

  /** One line as a record; the readable timestamps must agree with the ones the hash covers. */
  private static AuditEntry parse(String line) {
    try {
      JsonNode tree = JSON.readTree(line);
      if (!(tree instanceof ObjectNode node)) throw new IllegalArgumentException("not an object");
      JsonNode started = node.remove("startedAtUtc");
      JsonNode ended = node.remove("endedAtUtc");
      AuditEntry e = JSON.treeToValue(node, AuditEntry.class);
      if (started == null
          || ended == null
          || !Instant.ofEpochMilli(e.startedAt()).toString().equals(started.asText())
          || !Instant.ofEpochMilli(e.endedAt()).toString().equals(ended.asText())) {
        throw new IllegalArgumentException(
            "its startedAtUtc/endedAtUtc do not match startedAt/endedAt: a field was edited");
      }
      return e;
    } catch (IOException e) {
      throw new IllegalArgumentException("it is not a journal record: " + e.getMessage());
    }
  }
}
