package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.lab.Lab;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditChain;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code abafix audit verify} on the export of a real run (signed by the demo orchestrator's key):
 * the untouched file passes; each kind of tampering fails, naming the first bad record.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class AuditVerifyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static List<String> export;
  private static String publicKeyPem;

  @TempDir Path dir;

  @BeforeAll
  static void runOnce(@TempDir Path keys) throws Exception {
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);
    try (DemoEnvironment env = DemoEnvironment.start(lab)) {
      String id = RemediateCommand.start(env.client(), LabRequests.remediation(lab));
      RemediationResult result =
          new RunFollower(
                  env.client(),
                  id,
                  new PrintWriter(new StringWriter()),
                  env.approver("bob"),
                  Duration.ofMillis(100))
              .follow();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      List<AuditEntry> entries =
          env.client().newWorkflowStub(SharedAppRemediationWorkflow.class, id).audit();
      export = AuditExport.lines(entries);
      publicKeyPem =
          Files.readString(
              AuditExport.writePublicKey(env.auditPublicKey(), keys.resolve("audit.jsonl")));
    }
  }

  private record Result(int exitCode, String out, String err) {}

  private Result verify(List<String> lines, String... options) throws Exception {
    Path key = Files.writeString(dir.resolve("audit.pub"), publicKeyPem);
    List<String> args = new ArrayList<>(List.of("--public-key", key.toString()));
    args.addAll(List.of(options));
    return verifyWithoutKey(lines, args.toArray(String[]::new));
  }

  /** {@code abafix audit verify FILE} with {@code options} and no key unless they give one. */
  private Result verifyWithoutKey(List<String> lines, String... options) throws Exception {
    Path file = Files.write(dir.resolve("audit.jsonl"), lines);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Abafix.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(List.of("audit", "verify", file.toString()));
    args.addAll(List.of(options));
    int code = cmd.execute(args.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void it_names_the_run_and_the_key_and_holds_them_to_what_the_verifier_expects() throws Exception {
    Result r = verify(export);
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("workflow abafix-remediation-"), r.out());
    assertTrue(r.out().contains(", run "), r.out());
    String keyId =
        io.abafix.workflows.audit.AuditSigning.keyId(
            io.abafix.workflows.audit.AuditSigning.readPublicKey(dir.resolve("audit.pub")));
    assertTrue(r.out().contains("signed by key id " + keyId), r.out());

    assertEquals(0, verify(export, "--expect-key-id", keyId.substring(0, 16)).exitCode());
    Result otherKey = verify(export, "--expect-key-id", "0123456789abcdef");
    assertEquals(AuditCommand.TAMPERED, otherKey.exitCode(), otherKey.out());
    assertTrue(otherKey.err().contains("not the expected"), otherKey.err());
    Result otherRun = verify(export, "--expect-workflow", "abafix-remediation-fabrikam.com");
    assertEquals(AuditCommand.TAMPERED, otherRun.exitCode(), otherRun.out());
  }

  @Test
  void blank_lines_are_no_tampering() throws Exception {
    List<String> lines = new ArrayList<>(export);
    lines.add("");
    lines.add(1, "   ");
    Result r = verify(lines);
    assertEquals(0, r.exitCode(), r.err());
  }

  @Test
  void without_a_key_an_untouched_export_is_consistent_and_its_signatures_not_verified()
      throws Exception {
    List<String> lines = new ArrayList<>(export);
    lines.add("");
    Result r = verifyWithoutKey(lines);
    assertEquals(AuditCommand.NOT_VERIFIED, r.exitCode(), r.out() + r.err());
    assertTrue(
        r.out().contains("signatures NOT VERIFIED (no key given: add --public-key K"), r.out());
    assertTrue(r.out().contains("it names workflow abafix-remediation-"), r.out());
    assertFalse(r.out().contains("intact"), "nothing says the file is proven: " + r.out());
    assertFalse(r.out().contains("no check failed"), r.out());
    assertFalse(r.out().contains("signed by key"), r.out());
  }

  @Test
  void without_a_key_a_digest_whose_head_the_chain_does_not_have_is_tampering() throws Exception {
    int i = middle();
    List<String> lines = recomputedFrom(i, edit(export.get(i), n -> n.put("actor", "mallory")));
    assertEquals(null, AuditExport.firstBrokenLine(lines), "the chain itself is consistent");
    Result r = verifyWithoutKey(lines);
    assertEquals(AuditCommand.TAMPERED, r.exitCode(), r.out());
    int firstOfRange = firstOfSignedRange(i + 1);
    assertTrue(r.err().contains("record " + firstOfRange + ":"), firstOfRange + " " + r.err());
    assertTrue(r.err().contains("chain was recomputed"), r.err());
  }

  @Test
  void an_expected_key_id_without_the_key_is_refused_as_bad_input() throws Exception {
    Result r = verifyWithoutKey(export, "--expect-key-id", "0123456789abcdef");
    assertEquals(2, r.exitCode(), r.out());
    assertTrue(r.err().contains("give --public-key K too"), r.err());
  }

  private void assertFailsAt(List<String> lines, int record) throws Exception {
    Result r = verify(lines);
    assertEquals(AuditCommand.TAMPERED, r.exitCode(), r.out() + r.err());
    assertTrue(r.err().contains("record " + record + ":"), r.err());
  }

  /** The index of the first record that is neither the first nor a digest nor the last. */
  private static int middle() {
    for (int i = export.size() / 2; i < export.size() - 2; i++) {
      if (!export.get(i).contains(AuditJournal.DIGEST)) return i;
    }
    throw new AssertionError("no middle record");
  }

  @Test
  void an_untouched_export_passes_with_every_digest_signed() throws Exception {
    Result r = verify(export);
    assertEquals(0, r.exitCode(), r.err());
    long digests = export.stream().filter(l -> l.contains(AuditJournal.DIGEST)).count();
    assertTrue(digests >= 3, "a digest after each destructive step and at the end: " + digests);
    assertTrue(
        r.out().contains(export.size() + " records intact, " + digests + " signed digests"),
        r.out());
  }

  @Test
  void an_edited_field_fails_at_that_record() throws Exception {
    int i = middle();
    List<String> lines = new ArrayList<>(export);
    lines.set(i, edit(lines.get(i), n -> n.put("actor", "mallory")));
    assertFailsAt(lines, i + 1);
  }

  @Test
  void a_removed_middle_record_fails_at_the_one_that_took_its_place() throws Exception {
    int i = middle();
    List<String> lines = new ArrayList<>(export);
    lines.remove(i);
    assertFailsAt(lines, i + 1);
  }

  @Test
  void an_inserted_record_fails_at_the_insertion() throws Exception {
    int i = middle();
    List<String> lines = new ArrayList<>(export);
    lines.add(i, lines.get(1));
    assertFailsAt(lines, i + 1);
  }

  @Test
  void two_records_swapped_fail_at_the_first_of_them() throws Exception {
    int i = middle();
    List<String> lines = new ArrayList<>(export);
    String a = lines.get(i);
    lines.set(i, lines.get(i + 1));
    lines.set(i + 1, a);
    assertFailsAt(lines, i + 1);
  }

  @Test
  void the_last_record_cut_off_fails_as_missing() throws Exception {
    List<String> lines = new ArrayList<>(export.subList(0, export.size() - 1));
    assertFailsAt(lines, export.size());
  }

  @Test
  void a_rewrite_with_the_chain_recomputed_fails_at_the_first_digest_that_covers_it()
      throws Exception {
    int i = middle();
    List<String> lines = recomputedFrom(i, edit(export.get(i), n -> n.put("actor", "mallory")));
    // The chain itself is consistent again...
    assertEquals(null, AuditExport.firstBrokenLine(lines));
    // ...but not the one that was signed: the range holding the edit is named.
    Result r = verify(lines);
    assertEquals(AuditCommand.TAMPERED, r.exitCode(), r.out());
    int firstOfRange = firstOfSignedRange(i + 1);
    assertTrue(r.err().contains("record " + firstOfRange + ":"), firstOfRange + " " + r.err());
    assertTrue(r.err().contains("chain was recomputed"), r.err());
  }

  @Test
  void a_rewrite_that_also_forges_every_digest_with_another_key_fails_on_the_signature()
      throws Exception {
    int i = middle();
    List<String> lines = new ArrayList<>(export);
    lines.set(i, edit(lines.get(i), n -> n.put("actor", "mallory")));
    // Recompute every hash, and every digest from the edit on, signed with the forger's own key:
    // all anyone without the orchestrator's key can do.
    var forger =
        io.abafix.workflows.audit.AuditSigning.of(
            io.abafix.workflows.audit.AuditSigning.newKeyPair());
    List<String> hashes = new ArrayList<>();
    String prev = io.abafix.workflows.audit.AuditChain.GENESIS;
    String lastDigestId = null;
    for (int j = 0; j < lines.size(); j++) {
      ObjectNode node = (ObjectNode) JSON.readTree(lines.get(j));
      if (node.path("step").asText().equals("AUDIT_DIGEST")) {
        Map<String, String> facts =
            JSON.convertValue(
                node.path("after"),
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, String>>() {});
        var d = io.abafix.workflows.audit.AuditRecords.signedDigest(facts).digest();
        if (j >= i) {
          d =
              new io.abafix.workflows.audit.AuditDigest(
                  d.namespace(),
                  d.workflowId(),
                  d.runId(),
                  d.firstSeq(),
                  d.lastSeq(),
                  d.count(),
                  hashes.get(d.lastSeq() - 1),
                  lastDigestId == null ? d.previousDigest() : lastDigestId,
                  d.reason(),
                  d.closing());
          node.set(
              "after",
              JSON.valueToTree(io.abafix.workflows.audit.AuditRecords.digestFacts(forger.sign(d))));
        }
        lastDigestId = d.id();
      }
      if (j >= i) {
        node.put("prev", prev);
        node.remove("hash");
        AuditEntry e = JSON.treeToValue(strip(node.deepCopy()), AuditEntry.class);
        node.put("hash", io.abafix.workflows.audit.AuditChain.hashOf(e));
        lines.set(j, io.abafix.workflows.audit.AuditChain.canonical(node));
      }
      prev = JSON.readTree(lines.get(j)).path("hash").asText();
      hashes.add(prev);
    }
    assertEquals(null, AuditExport.firstBrokenLine(lines), "the forged chain is consistent");
    Result r = verify(lines);
    assertEquals(AuditCommand.TAMPERED, r.exitCode(), r.out());
  }

  /**
   * The export with line {@code i} (0-based) replaced and every hash from there on recomputed, as
   * someone rewriting the file would.
   */
  private static List<String> recomputedFrom(int i, String replacement) throws Exception {
    List<String> lines = new ArrayList<>(export);
    lines.set(i, replacement);
    String prev = JSON.readTree(lines.get(i - 1)).path("hash").asText();
    for (int j = i; j < lines.size(); j++) {
      ObjectNode node = (ObjectNode) JSON.readTree(lines.get(j));
      node.put("prev", prev);
      node.remove("hash");
      AuditEntry e = JSON.treeToValue(strip(node.deepCopy()), AuditEntry.class);
      String hash = AuditChain.hashOf(e);
      node.put("hash", hash);
      lines.set(j, AuditChain.canonical(node));
      prev = hash;
    }
    return lines;
  }

  /**
   * The first record of the signed range that holds {@code record}: a range starts at the previous
   * digest's own record.
   */
  private static int firstOfSignedRange(int record) {
    int first = 1;
    for (int j = 0; j < record - 1; j++) {
      if (export.get(j).contains(AuditJournal.DIGEST)) first = j + 1;
    }
    return first;
  }

  private static ObjectNode strip(ObjectNode node) {
    node.remove("startedAtUtc");
    node.remove("endedAtUtc");
    return node;
  }

  private static String edit(String line, UnaryOperator<ObjectNode> change) throws Exception {
    return AuditChain.canonical(change.apply((ObjectNode) JSON.readTree(line)));
  }
}
