package io.abafix.cli.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report from journals alone: what it shows, and that nothing in a journal becomes markup. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HtmlReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");

  @TempDir Path dir;

  private static Path demoExport() throws Exception {
    return Path.of(HtmlReportTest.class.getResource("/report/seed-pair-audit.jsonl").toURI());
  }

  @Test
  void a_demo_export_reports_its_outcome_a_lane_per_server_and_each_servers_before_and_after()
      throws Exception {
    AuditFile file = AuditFile.read(demoExport());
    RunReport r = RunReport.of(null, file.entries(), null, file.verification());

    assertEquals("SUCCEEDED", r.outcome());
    assertEquals("contoso.onmicrosoft.com", r.tenant());
    assertTrue(file.verification().intact());
    assertEquals(
        List.of("SERVERA", "SERVERB"),
        r.serverLanes().stream().map(RunReport.Lane::target).toList());
    assertEquals(6, r.retries(), "two sign-in checks took 4 attempts each");

    RunReport.ServerStates a = r.states().get(0);
    assertEquals("SERVERA", a.server());
    assertEquals(
        new RunReport.ServerState(
            "Application",
            "abdc652a-160c-469e-b31a-70b29e8cf3a8",
            "ConnectSyncProvisioning_SERVERA_3f1c9a2b7d4e",
            "3f1c9a2b7d4e4a6b8c0d1e2f3a4b5c6d",
            "enabled"),
        a.before());
    assertEquals("Application", a.after().identityType());
    assertEquals("0212a5eb-e36a-4362-8e8b-dd7871f45eaa", a.after().applicationId());
    assertEquals("enabled", a.after().scheduler());

    // SERVERA is paused from the moment its PAUSE_SCHEDULER began until its RESUME_SCHEDULER
    // ended, as the run's own SYNC_PAUSED entry records.
    RunReport.Lane laneA = r.serverLanes().get(0);
    assertEquals(1, laneA.paused().size());
    assertEquals(startOf(r, "PAUSE_SCHEDULER", "SERVERA"), laneA.paused().get(0)[0]);
    assertEquals(endOf(r, "RESUME_SCHEDULER", "SERVERA"), laneA.paused().get(0)[1]);

    String html = HtmlReport.render(r, NOW);
    assertTrue(html.contains("<figure class=\"timeline\" data-server=\"SERVERA\">"), html);
    assertTrue(html.contains("<figure class=\"timeline\" data-server=\"SERVERB\">"), html);
    assertTrue(html.contains("<table id=\"before-after-table\">"));
    assertTrue(html.contains("\u00d74</text>"), "a step that took 4 attempts says so");
    assertTrue(html.contains("kind-approval"), "the waits for approval show");
    assertTrue(html.contains("PASSED</span> hash chain"), "the chain was checked");
  }

  private static long startOf(RunReport r, String step, String target) {
    return r.entries().stream()
        .filter(e -> e.step().equals(step) && e.target().equals(target))
        .findFirst()
        .orElseThrow()
        .startedAt();
  }

  private static long endOf(RunReport r, String step, String target) {
    return r.entries().stream()
        .filter(e -> e.step().equals(step) && e.target().equals(target))
        .findFirst()
        .orElseThrow()
        .endedAt();
  }

  @Test
  void nothing_a_journal_holds_becomes_markup_in_the_page() {
    String evil = "SRV<script>alert(1)</script>";
    String stderr = "\"><img src=x onerror=alert(2)></style><svg onload=alert(3)>\u001b[31m";
    List<Entry> entries = new ArrayList<>();
    entries.add(
        entry(
            1,
            "REQUEST",
            "directory",
            "OPERATOR",
            "<b>mallory</b>",
            "INFO",
            Map.of(),
            "tenant x<y.com, servers " + evil));
    entries.add(
        entry(
            2,
            "PREFLIGHT",
            evil,
            "AUTOMATED",
            null,
            "DONE",
            Map.of(
                "identityType",
                "Application",
                "applicationId",
                "<i>app</i>",
                "machineId",
                "m\"1",
                "syncCycleEnabled",
                "true",
                "stderr",
                stderr),
            stderr));
    entries.add(
        entry(
            3,
            "APPROVAL",
            evil,
            "OPERATOR",
            "eve' onmouseover='x",
            "APPROVED",
            Map.of("gate", "<gate>"),
            stderr));
    entries.add(entry(4, "PAUSE_SCHEDULER", evil, "AUTOMATED", null, "FAILED", Map.of(), stderr));
    String html =
        HtmlReport.render(
            RunReport.of(
                "run<1>",
                entries,
                null,
                Verification.of(
                    new Verification.Check("chain<x>", Verification.State.FAILED, stderr))),
            NOW);

    // Only the page's own elements: no script, no img, no handler attribute, no stray svg.
    Matcher tags = Pattern.compile("<([a-zA-Z][a-zA-Z0-9]*)").matcher(html);
    while (tags.find()) {
      assertTrue(
          List.of(
                  "html",
                  "head",
                  "meta",
                  "title",
                  "style",
                  "body",
                  "header",
                  "h1",
                  "h2",
                  "p",
                  "code",
                  "span",
                  "section",
                  "dl",
                  "dt",
                  "dd",
                  "i",
                  "figure",
                  "figcaption",
                  "svg",
                  "rect",
                  "title",
                  "line",
                  "text",
                  "g",
                  "table",
                  "thead",
                  "tbody",
                  "tr",
                  "th",
                  "td",
                  "ul",
                  "li",
                  "br",
                  "footer")
              .contains(tags.group(1)),
          "unexpected element <" + tags.group(1) + ">");
    }
    assertFalse(html.contains("<script"), html);
    assertFalse(html.contains("<b>mallory"), html);
    Matcher inTags = Pattern.compile("<[^>]+>").matcher(html);
    while (inTags.find()) {
      assertFalse(
          Pattern.compile("\\son[a-z]+\\s*=").matcher(inTags.group()).find(),
          "an event handler attribute: " + inTags.group());
    }
    assertFalse(html.contains("\u001b"), "no terminal escape reaches the page");
    assertTrue(
        html.contains("SRV&lt;script&gt;alert(1)&lt;/script&gt;"), "the name is shown, escaped");
    assertTrue(
        html.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"), "stderr is shown, escaped");
    assertTrue(html.contains("eve&#39; onmouseover=&#39;x"));
  }

  @Test
  void an_edited_export_fails_the_chain_check_and_the_page_says_so() throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(demoExport()));
    // Someone names another approver in the first approval.
    int approval = 0;
    while (!lines.get(approval).contains("alice@contoso.onmicrosoft.com (verified)")) approval++;
    lines.set(approval, lines.get(approval).replace("alice@", "mallory@"));
    Path edited = Files.write(dir.resolve("edited.jsonl"), lines);
    AuditFile file = AuditFile.read(edited);
    assertFalse(file.verification().intact());
    String html =
        HtmlReport.render(RunReport.of(null, file.entries(), null, file.verification()), NOW);
    assertTrue(
        html.contains("FAILED</span> hash chain: line " + (approval + 1) + " of edited.jsonl"),
        html);
  }

  @Test
  void without_a_key_the_page_says_signatures_not_verified_and_never_that_no_check_failed()
      throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(demoExport()));
    lines.add(3, "");
    lines.add("  ");
    AuditFile file = AuditFile.read(Files.write(dir.resolve("blank-lines.jsonl"), lines));
    assertTrue(file.verification().intact(), "blank lines are no tampering");
    String html =
        HtmlReport.render(RunReport.of(null, file.entries(), null, file.verification()), NOW);
    assertTrue(
        html.contains("signatures NOT VERIFIED (no key given: report with --public-key K"), html);
    assertTrue(html.contains("PASSED</span> signed digests against the chain"), html);
    assertFalse(html.contains("no check failed"), html);
  }

  @Test
  void without_a_key_a_rewrite_with_the_chain_recomputed_fails_on_the_signed_head()
      throws Exception {
    List<String> lines = new ArrayList<>(Files.readAllLines(demoExport()));
    int approval = 0;
    while (!lines.get(approval).contains("alice@contoso.onmicrosoft.com (verified)")) approval++;
    lines.set(approval, lines.get(approval).replace("alice@", "mallory@"));
    // Every hash from the edit on recomputed, so that the chain alone holds.
    String prev = JSON.readTree(lines.get(approval - 1)).path("hash").asText();
    for (int j = approval; j < lines.size(); j++) {
      ObjectNode node = (ObjectNode) JSON.readTree(lines.get(j));
      node.put("prev", prev);
      node.remove("hash");
      ObjectNode hashed = node.deepCopy();
      hashed.remove("startedAtUtc");
      hashed.remove("endedAtUtc");
      prev =
          io.abafix.workflows.audit.AuditChain.hashOf(
              JSON.treeToValue(hashed, io.abafix.workflows.audit.AuditEntry.class));
      node.put("hash", prev);
      lines.set(j, io.abafix.workflows.audit.AuditChain.canonical(node));
    }
    AuditFile file = AuditFile.read(Files.write(dir.resolve("recomputed.jsonl"), lines));
    assertFalse(file.verification().intact());
    String html =
        HtmlReport.render(RunReport.of(null, file.entries(), null, file.verification()), NOW);
    assertTrue(html.contains("PASSED</span> hash chain"), "the chain alone holds: " + html);
    assertTrue(html.contains("FAILED</span> signed digests against the chain: record "), html);
    assertTrue(html.contains("a check FAILED"), html);
  }

  @Test
  void a_file_that_is_not_an_export_is_refused_by_name() throws IOException {
    Path notJson = Files.writeString(dir.resolve("x.jsonl"), "hello\n");
    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> AuditFile.read(notJson));
    assertTrue(e.getMessage().contains("line 1 is not JSON"), e.getMessage());
  }

  private static Entry entry(
      int seq,
      String step,
      String target,
      String executor,
      String actor,
      String outcome,
      Map<String, String> after,
      String detail) {
    ObjectNode n = JSON.createObjectNode();
    n.put("seq", seq).put("step", step).put("target", target).put("executor", executor);
    n.put("actor", actor).put("startedAt", 1000L * seq).put("endedAt", 1000L * seq + 500);
    n.put("attempts", 1).put("outcome", outcome).put("detail", detail);
    n.putObject("before");
    after.forEach(n.putObject("after")::put);
    if (after.isEmpty()) n.putObject("after");
    return Entry.of(n);
  }
}
