package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.abafix.activities.FailureTypes;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.model.IdentityType;
import io.abafix.lab.process.LabTopology;
import io.abafix.lab.process.ProcessGroup;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.OperatorTask;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RemediationResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowTargetOptions;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
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
 * The approvals against someone who can reach Temporal, on Temporal's own server and the production
 * topology ({@link RealServerCluster}): a client that holds no payload key copies what it reads in
 * a run's history (an approved step, a start input) and sends it again, and a requester approves
 * their own two-person run through the command line. The lab shows each time that nothing changed.
 *
 * <p>Skipped, like {@link RealServerTest}, where the Temporal CLI is missing. {@code mvn -B -pl
 * starter test -Dtest=RealServerAttackTest -Dsurefire.failIfNoSpecifiedTests=false} runs it alone.
 */
@Tag("realserver")
@DisplayNameGeneration(ReplaceUnderscores.class)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the lab's PowerShell forwarder is a sh script")
class RealServerAttackTest {
  /** The activity type of the revert, whose copy must be refused. */
  private static final String REVERT = "RevertToServiceAccount";

  /** The activity types of the approved steps the client copies. */
  private static final Set<String> COPIED =
      Set.of(REVERT, "RegenerateMachineId", "DeleteApplication");

  @TempDir static Path dir;

  private static RealServerCluster cluster;
  private static WorkflowClient client;

  /** This test's lab and workers; the Temporal server and the orchestrator are the class's. */
  private ProcessGroup processes;

  /** The operator, signing in at this test's lab. */
  private OperatorCli signedIn;

  @BeforeAll
  static void startTemporalAndTheOrchestrator() throws Exception {
    cluster = RealServerCluster.start(dir);
    client = cluster.client();
  }

  @AfterAll
  static void stopEverything() throws InterruptedException {
    if (cluster != null) cluster.close();
  }

  @AfterEach
  void stopThisTestsLab() {
    if (processes != null) processes.close();
  }

  // ------------------------------------------------------------------------------------ tests

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void a_client_without_the_payload_key_that_schedules_copies_of_approved_steps_changes_nothing()
      throws Exception {
    LabTopology lab =
        lab("copied-steps", "cloned-pair", List.of("--propagation-delay-seconds", "1"));
    String id =
        cluster.operator().remediate(cluster.request(lab, List.of("CONFIGURE_ABA"), "carol"));

    // Approved by alice and driven as an operator would, up to the last server's wizard: done at
    // the server, not confirmed yet. The server is back on an app, a new one of its own.
    OperatorTask last = driveToTheLastWizard(id, lab);
    String server = last.server();
    lab.operatorStep(server, RealServerCluster.WIZARD.get(last.step()));
    JsonNode wizarded = server(lab, server);
    assertEquals(IdentityType.Application.name(), wizarded.get("identityType").asText());
    String newApp = wizarded.get("applicationId").asText();
    Map<String, Integer> before = lab.effects();
    assertEquals(1, before.get("revertToServiceAccount:" + server), "reverted once: " + before);

    cluster.orchestrator().kill();
    try (KeylessClient keyless = KeylessClient.at(cluster.temporal().address())) {
      String runId = keyless.latestRunId(id);
      List<HistoryEvent> approved =
          keyless.history(id, runId).stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
              .filter(e -> COPIED.contains(activityType(e)))
              .filter(e -> !activityType(e).equals(REVERT) || server.equals(target(e)))
              .toList();
      assertTrue(
          approved.stream().anyMatch(e -> activityType(e).equals(REVERT)),
          "the history holds the revert of " + server + ": " + approved);

      // A workflow task, taken from the orchestrator's queue and answered with the copies.
      keyless.signal(id, runId, "anything");
      var task = keyless.pollWorkflowTask(TaskQueues.ORCHESTRATOR, id, Duration.ofMinutes(2));
      List<String> copies = keyless.scheduleCopies(task, approved, "copy-");
      Map<String, HistoryEvent> ended =
          cluster.await(
              () -> endsOf(keyless.history(id, runId), copies),
              Duration.ofMinutes(2),
              "the copies of " + id + " to end");

      // What a user cares about first: the lab changed nothing, the server kept its new app.
      assertEquals(Map.of(), RealServerCluster.minus(lab.effects(), before), "no new effect");
      JsonNode now = server(lab, server);
      assertEquals(IdentityType.Application.name(), now.get("identityType").asText(), "" + now);
      assertEquals(newApp, now.get("applicationId").asText(), "still on its new app: " + now);
      // And why: the worker refused the copy of the revert before it acted.
      String revertCopy = copies.get(approved.indexOf(firstRevert(approved)));
      HistoryEvent revertEnd = ended.get(revertCopy);
      assertEquals(
          EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED,
          revertEnd.getEventType(),
          "the copy of the revert: " + revertEnd);
      Failure failure = revertEnd.getActivityTaskFailedEventAttributes().getFailure();
      String why = readable(id, failure);
      assertEquals(
          FailureTypes.APPROVAL_REFUSED, failure.getApplicationFailureInfo().getType(), why);
      assertTrue(why.contains("nothing changed"), why);
      System.out.println("copies of the approved steps: " + copies + ", the revert's: " + why);
    } finally {
      try {
        // The client's commands are in the run's history, which the workflow cannot replay.
        client.newUntypedWorkflowStub(id).terminate("scheduled copies of approved steps");
      } finally {
        cluster.orchestrator().restart();
        cluster.orchestrator().awaitPolling();
      }
    }
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void a_start_input_replayed_into_a_new_run_ends_it_blocked_with_nothing_changed()
      throws Exception {
    LabTopology lab =
        lab("replayed-start", "seed-pair", List.of("--propagation-delay-seconds", "0"));
    String id = cluster.operator().remediate(cluster.request(lab, List.of(), "carol"), "--dry-run");
    RemediationResult dryRun = result(id, null);
    assertEquals(Outcome.DRY_RUN, dryRun.outcome(), dryRun.message());
    assertTrue(
        dryRun.audit().stream().anyMatch(e -> e.step().equals("START_VERIFIED")),
        "the dry run claimed its start: " + dryRun.audit());
    Map<String, Integer> before = lab.effects();

    String replayed;
    try (KeylessClient keyless = KeylessClient.at(cluster.temporal().address())) {
      String first = keyless.latestRunId(id);
      HistoryEvent started = keyless.history(id, first).get(0);
      replayed = keyless.startCopyOf(id, started);
      assertNotEquals(first, replayed);
    }

    RemediationResult result = result(id, replayed);
    assertEquals(Outcome.BLOCKED, result.outcome(), result.message());
    assertTrue(result.message().contains("already used"), result.message());
    assertEquals(Map.of(), RealServerCluster.minus(lab.effects(), before), "no new effect");
    for (JsonNode s : lab.snapshot().get("servers")) {
      assertTrue(s.get("syncCycleEnabled").asBoolean(), "never paused: " + s);
    }
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void a_requester_approving_their_own_two_person_run_is_refused_before_any_pause()
      throws Exception {
    LabTopology lab =
        lab("self-approval", "seed-pair", List.of("--propagation-delay-seconds", "0"));
    String requester = RealServerCluster.APPROVER;
    String id = signedIn.remediate(cluster.request(lab, List.of(), requester), "--two-person");
    cluster.awaitProgress(id, p -> p.pendingApproval() != null, "the plan's approval");

    CommandLineRun refused = signedIn.tryApprove(id, requester);
    assertNotEquals(0, refused.exitCode(), refused.out());
    assertTrue(refused.err().contains("two-person rule"), refused.err());
    assertFalse(cluster.isClosed(id), "the run still waits for someone else");
    Progress waiting = cluster.queryProgress(id);
    assertNotNull(waiting.pendingApproval(), "the plan still waits: " + waiting);
    assertTrue(
        lab.effects().keySet().stream().noneMatch(k -> k.startsWith("setSyncCycleEnabled:")),
        "no scheduler paused: " + lab.effects());

    // Someone else's approval is taken: the refusal was about the person, not the setup.
    signedIn.approve(id, RealServerCluster.OPERATOR);
    RemediationResult result = result(id, null);
    assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message() + cluster.logs());
    List<AuditEntry> refusals =
        result.audit().stream().filter(e -> e.step().equals("APPROVAL_REFUSED")).toList();
    assertEquals(1, refusals.size(), "the refused approval is recorded: " + result.audit());
    assertTrue(refusals.get(0).detail().contains("two-person rule"), refusals.get(0).toString());
  }

  // ------------------------------------------------------------------------------------ helpers

  /**
   * Answers the run as an operator would until it waits for the wizard on its last server, and
   * returns that operator step, unanswered.
   */
  private OperatorTask driveToTheLastWizard(String id, LabTopology lab) throws Exception {
    Set<String> answered = new HashSet<>();
    List<String> confirmed = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      assertFalse(cluster.isClosed(id), id + " closed before its last wizard" + cluster.logs());
      Progress progress = cluster.queryProgress(id);
      OperatorTask task = progress.pendingOperatorStep();
      if (task != null
          && task.step().equals("CONFIGURE_ABA")
          && confirmed.size() == lab.serverNames().size() - 1) {
        return task;
      }
      cluster.answer(id, progress, lab, signedIn, answered, confirmed);
      Thread.sleep(20);
    }
    throw new AssertionError(id + " never waited for its last wizard" + cluster.logs());
  }

  /** The result of a run, by id and run id (null: the latest), once it has ended. */
  private static RemediationResult result(String id, String runId) throws Exception {
    WorkflowTargetOptions.Builder run = WorkflowTargetOptions.newBuilder().setWorkflowId(id);
    if (runId != null) run.setRunId(runId);
    return client
        .newUntypedWorkflowStub(run.build())
        .getResult(2, TimeUnit.MINUTES, RemediationResult.class);
  }

  /**
   * How each of the activities {@code ids} ended, by id, or null while one has not: its completed,
   * failed, timed-out or cancelled event.
   */
  private static Map<String, HistoryEvent> endsOf(List<HistoryEvent> history, List<String> ids) {
    Map<Long, String> scheduled = new HashMap<>();
    for (HistoryEvent e : history) {
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && ids.contains(e.getActivityTaskScheduledEventAttributes().getActivityId())) {
        scheduled.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getActivityId());
      }
    }
    Map<String, HistoryEvent> ended = new HashMap<>();
    for (HistoryEvent e : history) {
      Long of =
          switch (e.getEventType()) {
            case EVENT_TYPE_ACTIVITY_TASK_COMPLETED ->
                e.getActivityTaskCompletedEventAttributes().getScheduledEventId();
            case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
                e.getActivityTaskFailedEventAttributes().getScheduledEventId();
            case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT ->
                e.getActivityTaskTimedOutEventAttributes().getScheduledEventId();
            case EVENT_TYPE_ACTIVITY_TASK_CANCELED ->
                e.getActivityTaskCanceledEventAttributes().getScheduledEventId();
            default -> null;
          };
      if (of != null && scheduled.containsKey(of)) ended.put(scheduled.get(of), e);
    }
    return ended.size() == ids.size() ? ended : null;
  }

  private static String activityType(HistoryEvent scheduled) {
    return scheduled.getActivityTaskScheduledEventAttributes().getActivityType().getName();
  }

  /** The server (upper case) or "directory" a scheduled step went to, by its task queue. */
  private static String target(HistoryEvent scheduled) {
    return TaskQueues.targetOf(
        scheduled.getActivityTaskScheduledEventAttributes().getTaskQueue().getName());
  }

  private static HistoryEvent firstRevert(List<HistoryEvent> approved) {
    return approved.stream().filter(e -> activityType(e).equals(REVERT)).findFirst().orElseThrow();
  }

  /** The failure's message, read with the payload key (its attributes are encrypted). */
  private static String readable(String id, Failure failure) {
    return client
        .getOptions()
        .getDataConverter()
        .withContext(new WorkflowSerializationContext("default", id))
        .failureToException(failure)
        .getMessage();
  }

  private static JsonNode server(LabTopology lab, String name) throws Exception {
    for (JsonNode s : lab.snapshot().get("servers")) {
      if (s.get("name").asText().equals(name)) return s;
    }
    throw new AssertionError("no server " + name + " in the lab");
  }

  private LabTopology lab(String name, String scenario, List<String> args) throws Exception {
    processes = cluster.processes(name);
    LabTopology lab = cluster.lab(processes, name, scenario, args, server -> List.of());
    signedIn = cluster.operator().signingInAt(lab);
    return lab;
  }
}
