package io.abafix.workflows.visibility;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.DirectoryActivitiesImpl;
import io.abafix.activities.SyncServerActivitiesImpl;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.SharedAppRemediationWorkflowImpl;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.sdk.v1.WorkflowMetadata;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactoryOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/**
 * A remediation explains itself to Temporal: search attributes where the cluster has them (and no
 * upsert where it has not), current details naming the command that answers a wait, a static
 * summary, and a summary on every activity.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class RunVisibilityTest {
  private TestWorkflowEnvironment env;
  private LabAdapters adapters;
  private Lab lab;

  private void start(boolean registered) {
    start(registered, Scenario.fromResource("seed-pair"));
  }

  private void start(boolean registered, Scenario scenario) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkerFactoryOptions(
                    WorkerFactoryOptions.newBuilder()
                        .setWorkerInterceptors(new ActivitySummaries())
                        .build())
                .build());
    if (registered) {
      for (SearchAttributeKey<?> key : SearchAttributes.ALL) {
        env.registerSearchAttribute(key.getName(), key.getValueType());
      }
    }
    lab = Lab.fromScenario(scenario.withoutLatency(), env::currentTimeMillis);
    adapters = LabAdapters.start(lab);
    var orchestrator = env.newWorker(TaskQueues.ORCHESTRATOR);
    orchestrator.registerWorkflowImplementationTypes(SharedAppRemediationWorkflowImpl.class);
    orchestrator.registerActivitiesImplementations(
        io.abafix.workflows.audit.AuditSigning.of(
            io.abafix.workflows.audit.AuditSigning.newKeyPair()));
    env.newWorker(TaskQueues.directory(lab.tenantDomain()))
        .registerActivitiesImplementations(
            new DirectoryActivitiesImpl(adapters.directory(), lab.identities().guard(false)),
            lab.identities().guard(false).decisionCheck());
    for (String server : lab.serverNames()) {
      env.newWorker(TaskQueues.forServer(lab.tenantDomain(), server))
          .registerActivitiesImplementations(
              new SyncServerActivitiesImpl(adapters.host(server), lab.identities().guard(false)));
    }
    env.start();
  }

  @AfterEach
  void close() {
    if (env != null) env.close();
    if (adapters != null) adapters.close();
  }

  @Test
  void where_the_attributes_are_registered_a_run_shows_phase_waits_and_outcome() {
    start(true);
    Seen seen = runApproving(true);

    assertEquals(Outcome.SUCCEEDED, seen.result.outcome());
    PendingApproval first = seen.gates.get(0);
    assertEquals("approval", seen.waitingForAtFirstGate);
    // Every approval comes before the first pause, in a phase of its own.
    assertEquals("APPROVAL", seen.phaseAtFirstGate);
    assertTrue(
        seen.detailsAtFirstGate.contains(
            "abafix approve " + seen.id + " --step REVERT_TO_SERVICE_ACCOUNT --server SERVERA"),
        seen.detailsAtFirstGate);

    var end = describe(seen.id).getTypedSearchAttributes();
    assertEquals("SUCCEEDED", end.get(SearchAttributes.OUTCOME));
    assertEquals("DONE", end.get(SearchAttributes.PHASE));
    assertEquals("remediation", end.get(SearchAttributes.WORKFLOW_KIND));
    assertEquals(lab.tenantDomain(), end.get(SearchAttributes.TENANT));
    assertEquals(lab.serverNames(), end.get(SearchAttributes.SERVERS));
    assertFalse(end.containsKey(SearchAttributes.WAITING_FOR), "no wait left: " + end);
  }

  @Test
  void where_the_attributes_are_not_registered_a_run_upserts_none_and_explains_itself_anyway() {
    start(false);
    Seen seen = runApproving(false);

    assertEquals(Outcome.SUCCEEDED, seen.result.outcome());
    assertNull(seen.waitingForAtFirstGate);
    assertTrue(describe(seen.id).getTypedSearchAttributes().size() == 0);
    assertTrue(
        seen.detailsAtFirstGate.contains("abafix approve " + seen.id), seen.detailsAtFirstGate);
    assertTrue(currentDetails(seen.id).startsWith("**Ended:** SUCCEEDED"));

    // What the Web UI shows: a summary for the run and for every activity.
    WorkflowExecutionDescription d = describe(seen.id);
    assertEquals(
        "Shared-app remediation: " + lab.tenantDomain() + " (SERVERA, SERVERB)",
        d.getStaticSummary());
    assertTrue(d.getStaticDetails().contains("`abafix status " + seen.id + "`"));

    List<String> summaries = new ArrayList<>();
    int scheduled = 0;
    for (HistoryEvent e :
        env.getWorkflowClient().fetchHistory(seen.id).getHistory().getEventsList()) {
      if (e.getEventType() != EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) continue;
      scheduled++;
      if (e.hasUserMetadata() && e.getUserMetadata().hasSummary()) {
        summaries.add(
            DefaultDataConverter.STANDARD_INSTANCE.fromPayload(
                e.getUserMetadata().getSummary(), String.class, String.class));
      }
    }
    assertEquals(scheduled, summaries.size(), "every activity has a summary: " + summaries);
    assertTrue(summaries.contains("Revert to service account on SERVERA"), summaries.toString());
    assertTrue(summaries.contains("Delete application"), summaries.toString());
  }

  private record Seen(
      String id,
      RemediationResult result,
      List<PendingApproval> gates,
      String waitingForAtFirstGate,
      String phaseAtFirstGate,
      String detailsAtFirstGate) {}

  @Test
  void a_plan_refused_as_blocked_shows_that_it_ended_and_how() throws Exception {
    // The pair on a version that no longer syncs: the plan is refused, nothing changed.
    String json;
    try (var in = Scenario.class.getResourceAsStream("/scenarios/seed-pair.json")) {
      json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    start(
        true,
        Scenario.fromJson(
            json.replace("\"version\": \"2.6.3.0\"", "\"version\": \"2.5.78.0\""),
            "seed-pair on 2.5.78.0"));
    String id = startRun(lab.serverNames(), true);

    WorkflowFailedException failed =
        assertThrows(
            WorkflowFailedException.class,
            () ->
                env.getWorkflowClient()
                    .newUntypedWorkflowStub(id)
                    .getResult(RemediationResult.class));
    assertTrue(
        failed.getCause().getMessage().contains("refused, nothing was changed"),
        failed.getCause().getMessage());

    var end = describe(id).getTypedSearchAttributes();
    assertEquals("FAILED", end.get(SearchAttributes.OUTCOME));
    assertEquals("DONE", end.get(SearchAttributes.PHASE));
    assertFalse(end.containsKey(SearchAttributes.WAITING_FOR), "no wait left: " + end);
    assertTrue(currentDetails(id).startsWith("**Ended:** FAILED"), currentDetails(id));
  }

  /** Starts a run of these servers, its start a start of its own; returns its workflow id. */
  private String startRun(List<String> servers, boolean registered) {
    String id = WorkflowIds.remediation(lab.tenantDomain());
    SharedAppRemediationWorkflow run =
        env.getWorkflowClient()
            .newWorkflowStub(
                SharedAppRemediationWorkflow.class,
                RunDescriptions.remediation(id, lab.tenantDomain(), servers, registered)
                    .applyTo(
                        WorkflowOptions.newBuilder()
                            .setWorkflowId(id)
                            .setTaskQueue(TaskQueues.ORCHESTRATOR)
                            .setWorkflowRunTimeout(Duration.ofHours(6)))
                    .build());
    WorkflowClient.start(
        run::remediate,
        new RemediationRequest(
                lab.tenantDomain(),
                servers,
                "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml",
                null,
                false,
                new ApprovalPolicy(true, false, 3600),
                Timings.standard(),
                "alice")
            .startedAs(
                io.abafix.activities.approval.RunStart.unsigned(
                    io.abafix.activities.approval.RunStart.newStartId(), false)));
    return id;
  }

  private Seen runApproving(boolean registered) {
    String id = startRun(lab.serverNames(), registered);
    WorkflowClient client = env.getWorkflowClient();
    SharedAppRemediationWorkflow run =
        client.newWorkflowStub(SharedAppRemediationWorkflow.class, id);
    CompletableFuture<RemediationResult> result =
        client.newUntypedWorkflowStub(id).getResultAsync(RemediationResult.class);
    List<PendingApproval> gates = new ArrayList<>();
    String waiting = null;
    String phase = null;
    String details = null;
    for (int looks = 0; looks < 400 && !result.isDone(); looks++) {
      PendingApproval pending = run.progress().pendingApproval();
      if (pending == null) {
        env.sleep(Duration.ofSeconds(looks < 8 ? 1 : 30));
        continue;
      }
      if (gates.isEmpty()) {
        var attributes = describe(id).getTypedSearchAttributes();
        waiting = attributes.get(SearchAttributes.WAITING_FOR);
        phase = attributes.get(SearchAttributes.PHASE);
        details = currentDetails(id);
      }
      gates.add(pending);
      // Signed in as bob, as abafix approve does: the workers verify the proof.
      String runId = client.newUntypedWorkflowStub(id).describe().getExecution().getRunId();
      DecisionBinding binding =
          new DecisionBinding(
              client.getOptions().getNamespace(),
              id,
              runId,
              pending.gate(),
              pending.planDigest(),
              pending.parameters(),
              DecisionBinding.APPROVE);
      String token = lab.identities().idToken("bob", binding.nonce());
      run.decide(
          new ApprovalRequest(
              pending.gate(),
              "bob",
              true,
              "ok",
              pending.digest(),
              ApprovalProof.of(token, binding)));
    }
    assertTrue(result.isDone(), "the run did not end: " + run.progress());
    return new Seen(id, result.join(), gates, waiting, phase, details);
  }

  private WorkflowExecutionDescription describe(String id) {
    return env.getWorkflowClient().newUntypedWorkflowStub(id).describe();
  }

  private String currentDetails(String id) {
    WorkflowStub stub = env.getWorkflowClient().newUntypedWorkflowStub(id);
    return stub.query("__temporal_workflow_metadata", WorkflowMetadata.class).getCurrentDetails();
  }
}
