package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.abafix.cli.status.ClosedRun;
import io.abafix.lab.process.LabTopology;
import io.abafix.lab.process.ProcessGroup;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RemediationResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  /**
   * {@code temporal workflow reset} to the workflow task before SERVERB's revert, once the run
   * waits for its first operator step: the new run keeps the history before that point (the
   * approvals, SERVERA's revert and its signed digest), asks for no approval again, redoes each
   * step after it (each finds its effect in place and reports it, acting on nothing), and goes on
   * to succeed.
   */
  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void a_reset_run_keeps_its_approvals_and_redoes_the_steps_after_the_point_without_acting_twice()
      throws Exception {
    LabTopology lab = lab("reset", List.of("--propagation-delay-seconds", "1"));
    OperatorCli operator = cluster.operator();
    OperatorCli signedIn = operator.signingInAt(lab);
    String id = operator.remediate(cluster.request(lab, List.of("CONFIGURE_ABA"), "carol"));
    cluster.awaitProgress(id, p -> p.pendingApproval() != null, "the plan's approvals");
    signedIn.approve(id, RealServerCluster.APPROVER);
    cluster.awaitProgress(id, p -> p.pendingOperatorStep() != null, "the first operator step");
    Map<String, Integer> beforeReset = lab.effects();
    String oldRun =
        cluster.client().newUntypedWorkflowStub(id).describe().getExecution().getRunId();

    long point = workflowTaskBefore(id, "RevertToServiceAccount", 2);
    temporal(
        "workflow",
        "reset",
        "--workflow-id",
        id,
        "--event-id",
        String.valueOf(point),
        "--reason",
        "redo from SERVERB's revert");
    String newRun =
        cluster.client().newUntypedWorkflowStub(id).describe().getExecution().getRunId();
    assertNotEquals(oldRun, newRun);

    Progress again =
        cluster.awaitProgress(
            id,
            p -> p.pendingOperatorStep() != null || p.pendingApproval() != null,
            "the reset run to wait again");
    assertNull(again.pendingApproval(), "no approval is asked again: " + again);
    Set<String> answered = new HashSet<>();
    List<String> confirmed = new ArrayList<>();
    while (!cluster.isClosed(id)) {
      cluster.answer(id, cluster.queryProgress(id), lab, signedIn, answered, confirmed);
      Thread.sleep(200);
    }
    RemediationResult result =
        cluster
            .client()
            .newUntypedWorkflowStub(id)
            .getResult(1, TimeUnit.MINUTES, RemediationResult.class);
    assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message() + cluster.logs());
    Map<String, Integer> redone = RealServerCluster.minus(lab.effects(), beforeReset);
    System.out.println("effects after the reset: " + redone);
    for (String once :
        List.of("revertToServiceAccount:SERVERB", "rotateApplicationCertificate:SERVERB")) {
      assertFalse(redone.containsKey(once), once + " is not done again: " + redone);
    }
    AuditEntry revertB =
        result.audit().stream()
            .filter(
                e -> e.step().equals("REVERT_TO_SERVICE_ACCOUNT") && e.target().equals("SERVERB"))
            .findFirst()
            .orElseThrow();
    assertEquals("NO_CHANGE", revertB.outcome(), revertB.toString());

    // The run it was reset from ended TERMINATED: its journal, as far as it went.
    CommandLineRun old = operator.ok("audit", id, "--run-id", oldRun);
    assertTrue(old.out().contains("INCOMPLETE: "), old.out());
    assertTrue(old.out().contains("redo from SERVERB's revert"), old.out());
    // The new run's export: the digests signed before the reset point name the run they were
    // signed in, and its records carry the new run's id.
    Path export = dir.resolve("reset.jsonl");
    operator.audit(id, export);
    CommandLineRun verify =
        CommandLineRun.of(
            "audit",
            "verify",
            export.toString(),
            "--public-key",
            dir.resolve("audit-signing.key.pub").toString());
    assertEquals(AuditCommand.TAMPERED, verify.exitCode(), verify.out());
    assertTrue(verify.err().contains("the digest was signed in run " + oldRun), verify.err());
    assertTrue(verify.err().contains("--run-id " + oldRun), verify.err());
    Files.writeString(
        Files.createDirectories(Path.of("target", "report-artifacts"))
            .resolve("real-server-reset.txt"),
        "effects redone: "
            + redone
            + "\nverify of the reset run's export: exit "
            + verify.exitCode()
            + "\n"
            + verify.out()
            + verify.err()
            + "\nthe old run's audit:\n"
            + old.out());
  }

  /** The id of the workflow task completed just before the {@code nth} {@code activity}. */
  private static long workflowTaskBefore(String id, String activity, int nth) {
    List<HistoryEvent> events = cluster.client().fetchHistory(id).getEvents();
    long task = -1;
    int seen = 0;
    for (HistoryEvent e : events) {
      if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) task = e.getEventId();
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && e.getActivityTaskScheduledEventAttributes()
              .getActivityType()
              .getName()
              .equals(activity)
          && ++seen == nth) {
        return task;
      }
    }
    throw new AssertionError("no " + activity + " number " + nth + " in " + id);
  }

  /** {@code temporal workflow terminate}, as the runbook has an operator type it. */
  private static void terminate(String id, String reason) throws Exception {
    temporal("workflow", "terminate", "--workflow-id", id, "--reason", reason);
  }

  /** The Temporal CLI against this suite's server; must exit 0. */
  private static void temporal(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(cluster.cli().toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("--address", cluster.temporal().address()));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
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
