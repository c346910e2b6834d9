package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.cli.status.ClosedRun;
import io.abafix.lab.Lab;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.fault.Fault;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.temporal.client.WorkflowFailedException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closed run's read commands ({@code audit}, {@code report}, {@code status}) with every worker
 * stopped, the orchestrator too, on an embedded Temporal with the payload key: a compensated run's
 * whole journal, from its failure's details, signed and intact; a terminated run's journal as far
 * as it went, marked INCOMPLETE, and the servers it left paused.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClosedRunCommandsTest {
  @TempDir Path dir;

  @Test
  @Timeout(180)
  void a_compensated_runs_audit_report_and_status_read_its_history_with_every_worker_stopped()
      throws Exception {
    Path keyFile = keygen();
    Lab lab = seedPair();
    // The revert fails for good: the run compensates (resumes SERVERA) and fails.
    lab.faults()
        .add(new Fault("revertToServiceAccount", "SERVERA", Fault.Kind.PERMANENT, 1, null, null));
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      String id;
      PublicKey auditKey;
      try (DemoEnvironment env =
          DemoEnvironment.startAgainst(lab, temporal.address(), codecOf(keyFile))) {
        auditKey = env.auditPublicKey();
        id = RemediateCommand.start(env.client(), LabRequests.remediation(lab));
        assertThrows(
            WorkflowFailedException.class,
            () -> follower(env, id).follow(),
            "the run fails after compensating");
      }
      // Every worker is gone, the orchestrator with them: no query can be answered.
      String[] cluster = cluster(temporal, keyFile);

      CommandLineRun audit = abafix(cluster, "audit", id);
      assertEquals(0, audit.exitCode(), audit.err());
      assertTrue(audit.out().contains("RESUME_SCHEDULER"), audit.out());
      assertTrue(audit.out().contains("COMPENSATED"), audit.out());
      assertFalse(audit.out().contains("INCOMPLETE"), audit.out());
      List<String> lines = audit.out().lines().toList();
      assertTrue(lines.get(lines.size() - 1).contains("AUDIT_DIGEST"), "closing digest last");

      Path export = dir.resolve("audit.jsonl");
      CommandLineRun written = abafix(cluster, "audit", id, "--out", export.toString());
      assertEquals(0, written.exitCode(), written.err());
      Path pub = AuditExport.writePublicKey(auditKey, export);
      CommandLineRun verify =
          CommandLineRun.of("audit", "verify", export.toString(), "--public-key", pub.toString());
      assertEquals(0, verify.exitCode(), verify.err() + verify.out());

      Path html = dir.resolve("run.html");
      CommandLineRun report = abafix(cluster, "report", id, "--html", html.toString());
      assertEquals(0, report.exitCode(), report.err());
      String page = Files.readString(html);
      assertTrue(page.contains(">COMPENSATED<"), "the run's own outcome");
      assertTrue(page.contains("the whole journal, read from the details of the failure"), page);

      CommandLineRun status = abafix(cluster, "status", id);
      assertEquals(0, status.exitCode(), status.err());
      assertTrue(status.out().startsWith(id + ": COMPENSATED, ended "), status.out());
      assertTrue(
          status.out().contains("remediation stopped at REVERT_TO_SERVICE_ACCOUNT"), status.out());
      assertFalse(status.out().contains("left paused"), "compensation resumed it: " + status.out());
    }
  }

  @Test
  @Timeout(180)
  void a_terminated_run_gives_its_journal_so_far_marked_incomplete_and_what_it_left_paused()
      throws Exception {
    Path keyFile = keygen();
    Lab lab = seedPair();
    // The revert keeps failing and is retried: the run stays there, SERVERA paused.
    lab.faults()
        .add(
            new Fault(
                "revertToServiceAccount", "SERVERA", Fault.Kind.TRANSIENT, 10_000, null, null));
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      String id;
      try (DemoEnvironment env =
          DemoEnvironment.startAgainst(lab, temporal.address(), codecOf(keyFile))) {
        id = RemediateCommand.start(env.client(), LabRequests.remediation(lab));
        CompletableFuture<?> following =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    follower(env, id).follow();
                  } catch (RuntimeException ended) {
                    // Terminated under it.
                  }
                });
        long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (lab.faults().fired().isEmpty() && System.nanoTime() < end) Thread.sleep(50);
        assertFalse(lab.faults().fired().isEmpty(), "the revert was tried");
        // What `temporal workflow terminate` does.
        env.client().newUntypedWorkflowStub(id).terminate("stuck at the revert, by hand");
        following.join();
      }
      assertFalse(server(lab, "SERVERA").syncCycleEnabled(), "SERVERA is left paused");
      String[] cluster = cluster(temporal, keyFile);

      CommandLineRun audit = abafix(cluster, "audit", id);
      assertEquals(0, audit.exitCode(), audit.err());
      String out = audit.out();
      assertTrue(out.contains("PAUSE_SCHEDULER") && out.contains("SERVERA"), out);
      assertTrue(out.contains("INCOMPLETE: "), out);
      assertTrue(out.contains("the run was terminated at "), out);
      assertTrue(out.contains("(\"stuck at the revert, by hand\")"), out);
      assertTrue(out.contains("RevertToServiceAccount on SERVERA"), "the step in flight: " + out);

      CommandLineRun jsonl = abafix(cluster, "audit", id, "--jsonl");
      assertEquals(0, jsonl.exitCode(), jsonl.err());
      assertTrue(jsonl.out().lines().allMatch(l -> l.startsWith("{")), "stdout stays JSON Lines");
      assertTrue(jsonl.err().startsWith("INCOMPLETE: "), jsonl.err());

      CommandLineRun status = abafix(cluster, "status", id);
      assertEquals(0, status.exitCode(), status.err());
      String s = status.out();
      assertTrue(s.startsWith(id + ": TERMINATED at "), s);
      assertTrue(s.contains("stuck at the revert, by hand"), s);
      assertTrue(s.contains("it did not compensate"), s);
      assertTrue(s.contains("left paused (the run paused their sync scheduler"), s);
      assertTrue(s.contains("    SERVERA    paused since "), s);
      assertTrue(s.contains(ClosedRun.RESUME), s);
      assertTrue(s.contains("under way when the run ended: RevertToServiceAccount on SERVERA"), s);
      assertTrue(s.contains("INCOMPLETE"), s);

      // Kept beside the report's artefacts, to read what an operator would have seen.
      Path artifacts = Files.createDirectories(Path.of("target", "report-artifacts"));
      Files.writeString(artifacts.resolve("terminated-audit.txt"), out);
      Files.writeString(artifacts.resolve("terminated-status.txt"), s);

      CommandLineRun json = abafix(cluster, "status", id, "--json");
      assertEquals(0, json.exitCode(), json.err());
      JsonNode closed = null;
      for (String line : json.out().lines().toList()) {
        JsonNode node = new ObjectMapper().readTree(line);
        if (node.path("type").asText().equals("closed")) closed = node;
      }
      assertEquals("TERMINATED", closed.path("closedAs").asText(), json.out());
      assertEquals("[\"SERVERA\"]", closed.path("leftPaused").toString(), json.out());
      assertFalse(closed.path("complete").asBoolean(), json.out());

      CommandLineRun followed = abafix(cluster, "status", id, "--follow");
      assertEquals(ErrorHandler.RUN_FAILED, followed.exitCode(), followed.out());

      Path html = dir.resolve("terminated.html");
      CommandLineRun report = abafix(cluster, "report", id, "--html", html.toString());
      assertEquals(0, report.exitCode(), report.err());
      String page = Files.readString(html);
      assertTrue(page.contains(">TERMINATED<"), "the way it ended");
      assertTrue(page.contains("INCOMPLETE: "), "and that its journal is incomplete");
      assertTrue(report.out().contains("a check FAILED"), report.out());
    }
  }

  private Path keygen() {
    Path keyFile = dir.resolve("abafix.key");
    assertEquals(0, CommandLineRun.of("keygen", keyFile.toString()).exitCode());
    return keyFile;
  }

  private static Lab seedPair() {
    return Lab.fromScenario(
        Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);
  }

  private static RunFollower follower(DemoEnvironment env, String id) {
    return new RunFollower(
        env.client(),
        id,
        new PrintWriter(new StringWriter()),
        env.approver("bob"),
        Duration.ofMillis(100));
  }

  private static LabSnapshot.Server server(Lab lab, String name) {
    return lab.snapshot().servers().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static CommandLineRun abafix(String[] cluster, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + cluster.length);
    System.arraycopy(cluster, 0, all, args.length, cluster.length);
    return CommandLineRun.of(all);
  }

  private static String[] cluster(EmbeddedTemporal temporal, Path keyFile) {
    return new String[] {
      "--address", temporal.address(), "--encryption-key-file", keyFile.toString()
    };
  }

  private static AesGcmPayloadCodec codecOf(Path keyFile) {
    return PayloadEncryption.fromEnvironment(
        Map.of(PayloadEncryption.KEY_FILE, keyFile.toString())::get);
  }
}
