package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.abafix.cli.status.ClosedRun;
import io.abafix.lab.process.LabTopology;
import io.abafix.lab.process.ProcessGroup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A closed run's journal on Temporal's own server, read from its history: a compensated run's with
 * the orchestrator stopped (no worker could answer a query), signed and whole; a run terminated
 * with {@code temporal workflow terminate} (whose history no query can replay), as far as it went,
 * marked INCOMPLETE, and {@code abafix status} naming the server it left paused.
 *
 * <p>Skipped without the Temporal CLI, as {@link RealServerTest} is.
 */
@Tag("realserver")
@DisplayNameGeneration(ReplaceUnderscores.class)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the lab's PowerShell forwarder is a sh script")
class RealServerJournalTest {
  @TempDir static Path dir;

  private static RealServerCluster cluster;
  private ProcessGroup processes;

  @BeforeAll
  static void startTemporalAndTheOrchestrator() throws Exception {
    cluster = RealServerCluster.start(dir);
  }

  @AfterAll
  static void stopEverything() throws InterruptedException {
    if (cluster != null) cluster.close();
  }

  @AfterEach
  void stopThisTestsLab() {
    if (processes != null) processes.close();
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void a_compensated_runs_audit_is_read_from_its_history_with_the_orchestrator_stopped()
      throws Exception {
    LabTopology lab = lab("compensated", List.of("--propagation-delay-seconds", "1"));
    OperatorCli operator = cluster.operator();
    String id = operator.remediate(cluster.request(lab, List.of("CONFIGURE_ABA"), "carol"));
    cluster.awaitProgress(id, p -> p.pendingApproval() != null, "the plan's approvals");
    operator.signingInAt(lab).reject(id, RealServerCluster.APPROVER);
    cluster.await(() -> cluster.isClosed(id) ? true : null, Duration.ofMinutes(1), "the run's end");

    cluster.orchestrator().kill();
    try {
      CommandLineRun audit = operator.ok("audit", id);
      assertTrue(audit.out().contains("REJECTED"), audit.out());
      assertFalse(audit.out().contains("INCOMPLETE"), audit.out());
      Path export = dir.resolve("compensated.jsonl");
      operator.audit(id, export);
      CommandLineRun verify =
          CommandLineRun.of(
              "audit",
              "verify",
              export.toString(),
              "--public-key",
              dir.resolve("audit-signing.key.pub").toString());
      assertEquals(0, verify.exitCode(), verify.err() + verify.out());

      CommandLineRun status = operator.ok("status", id);
      assertTrue(status.out().startsWith(id + ": COMPENSATED, ended "), status.out());
      Path html = dir.resolve("compensated.html");
      operator.ok("report", id, "--html", html.toString());
      assertTrue(Files.readString(html).contains(">COMPENSATED<"));
    } finally {
      cluster.orchestrator().restart();
      cluster.orchestrator().awaitPolling();
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void a_run_terminated_mid_step_gives_its_journal_so_far_marked_incomplete() throws Exception {
    // The revert takes two minutes: the run is terminated in the middle of it.
    LabTopology lab =
        lab(
            "terminated",
            List.of(
                "--propagation-delay-seconds", "1", "--latency", "revertToServiceAccount=120000"));
    OperatorCli operator = cluster.operator();
    String id = operator.remediate(cluster.request(lab, List.of("CONFIGURE_ABA"), "carol"));
    cluster.awaitProgress(id, p -> p.pendingApproval() != null, "the plan's approvals");
    operator.signingInAt(lab).approve(id, RealServerCluster.APPROVER);
    cluster.await(
        () -> {
          try {
            return lab.inProgress().stream()
                    .anyMatch(s -> s.step().equals("revertToServiceAccount"))
                ? true
                : null;
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        },
        Duration.ofMinutes(2),
        "the revert to be under way");

    terminate(id, "stuck at the revert");
    assertTrue(cluster.isClosed(id));
    JsonNode servera = server(lab, "SERVERA");
    assertFalse(servera.get("syncCycleEnabled").asBoolean(), "left paused: " + servera);

    CommandLineRun audit = operator.ok("audit", id);
    String out = audit.out();
    assertTrue(out.contains("PAUSE_SCHEDULER") && out.contains("SERVERA"), out);
    assertTrue(out.contains("INCOMPLETE: "), out);
    assertTrue(out.contains("the run was terminated at "), out);
    assertTrue(out.contains("(\"stuck at the revert\")"), out);
    assertTrue(out.contains("RevertToServiceAccount on SERVERA"), "in flight: " + out);

    CommandLineRun status = operator.ok("status", id);
    String s = status.out();
    assertTrue(s.startsWith(id + ": TERMINATED at "), s);
    assertTrue(s.contains("    SERVERA    paused since "), s);
    assertTrue(s.contains(ClosedRun.RESUME), s);
    Files.writeString(
        Files.createDirectories(Path.of("target", "report-artifacts"))
            .resolve("real-server-terminated-status.txt"),
        s + "\n" + out);
  }

  /** {@code temporal workflow terminate}, as the runbook has an operator type it. */
  private static void terminate(String id, String reason) throws Exception {
    Process p =
        new ProcessBuilder(
                cluster.cli().toString(),
                "workflow",
                "terminate",
                "--address",
                cluster.temporal().address(),
                "--workflow-id",
                id,
                "--reason",
                reason)
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(1, TimeUnit.MINUTES), output);
    assertEquals(0, p.exitValue(), output);
  }

  private static JsonNode server(LabTopology lab, String name) throws Exception {
    for (JsonNode server : lab.snapshot().get("servers")) {
      if (server.get("name").asText().equals(name)) return server;
    }
    throw new AssertionError("no " + name + " in the lab");
  }

  private LabTopology lab(String name, List<String> args) throws Exception {
    processes = cluster.processes(name);
    return cluster.lab(processes, name, "seed-pair", args, server -> List.of());
  }
}
