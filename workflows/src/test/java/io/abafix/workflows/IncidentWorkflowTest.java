package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentPolicy;
import io.abafix.workflows.incident.IncidentResult;
import io.abafix.workflows.incident.IncidentState;
import io.abafix.workflows.incident.IncidentStatus;
import io.abafix.workflows.incident.Remedy;
import io.abafix.workflows.incident.TenantRules;
import io.abafix.workflows.internal.incident.ChildRuns;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.DecisionScope;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.Timings;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The incident workflow against the lab: decisions, late reports, long histories, children. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(120)
class IncidentWorkflowTest {
  private static final long DEBOUNCE = 30;

  @Test
  void a_rejected_proposal_starts_nothing_and_the_incident_closes_declined() {
    try (LabTemporal t = LabTemporal.start("seed-pair")) {
      open(t, policy(Set.of(), false, 0), 1);
      IncidentStatus waiting = await(t, s -> s.state() == IncidentState.AWAITING_APPROVAL);
      decide(t, waiting.pendingApproval(), "alice", false);

      IncidentResult result = result(t);
      assertEquals(IncidentResult.DECLINED, result.outcome(), result.message());
      assertTrue(result.message().contains("rejected by alice"), result.message());
      assertEquals(List.of(), result.children());
      assertEquals(Map.of(), t.lab.effectCounts(), "nothing changed");
    }
  }

  @Test
  void a_report_that_comes_after_the_diagnosis_is_carried_into_a_new_run_not_dropped() {
    try (LabTemporal t = LabTemporal.start("seed-pair")) {
      open(t, policy(Set.of(), false, 0), 1);
      IncidentStatus waiting = await(t, s -> s.state() == IncidentState.AWAITING_APPROVAL);
      String firstRun = runId(t);
      incident(t).report(Recordings.report(t.lab.tenantDomain(), "SERVERA", 99));
      decide(t, waiting.pendingApproval(), "alice", false);

      IncidentStatus again =
          await(t, s -> s.state() == IncidentState.AWAITING_APPROVAL && !runId(t).equals(firstRun));
      assertEquals(1, again.reports().size(), "the new run starts with the late report");
      assertEquals("SERVERA", again.reports().get(0).server());
      decide(t, again.pendingApproval(), "alice", false);
      assertEquals(IncidentResult.DECLINED, result(t).outcome());
    }
  }

  @Test
  void an_incident_whose_history_grows_while_it_gathers_continues_as_new_with_every_report() {
    try (LabTemporal t = LabTemporal.start("seed-pair")) {
      open(t, policy(Set.of(), false, 40), 1);
      for (int i = 2; i <= 30; i++) {
        incident(t).report(Recordings.report(t.lab.tenantDomain(), "SERVERB", i));
      }
      IncidentStatus waiting = await(t, s -> s.state() == IncidentState.AWAITING_APPROVAL);
      assertEquals(30, waiting.reports().size(), "no report lost across runs");
      decide(t, waiting.pendingApproval(), "alice", false);
      IncidentResult result = result(t);
      assertEquals(30, result.reportCount());
      assertTrue(
          result.audit().stream()
              .anyMatch(e -> e.step().equals("OPENED") && !"0".equals(e.after().get("carried"))),
          "a later run opened with carried reports");
      long continued =
          t.client().fetchHistory(WorkflowIds.incident(t.lab.tenantDomain())).getEvents().stream()
              .filter(
                  e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW)
              .count();
      assertEquals(0, continued, "the last run is the one that closed");
    }
  }

  @Test
  void a_signal_that_says_unattended_does_not_make_an_incident_unattended() {
    try (LabTemporal t = LabTemporal.start("seed-pair")) {
      // The orchestrator's configuration leaves the tenant attended; the signal claims otherwise.
      openAsSignalled(t, policy(Set.of(Remedy.SHARED_APP_REMEDIATION), false, 0), 1);

      IncidentStatus waiting = await(t, s -> s.pendingApproval() != null);
      assertEquals(IncidentState.AWAITING_APPROVAL, waiting.state(), waiting.toString());
      // No remediation has started: it waits for a person's approval of the proposal.
      assertThrows(
          io.grpc.StatusRuntimeException.class,
          () -> status(t, WorkflowIds.remediation(t.lab.tenantDomain())));
    }
  }

  @Test
  void an_orchestrator_that_cannot_give_the_rules_once_is_asked_again() {
    try (LabTemporal t = LabTemporal.start("seed-pair")) {
      t.incidentRulesFailures.set(1);
      open(t, policy(Set.of(), false, 0), 1);

      IncidentStatus waiting = await(t, s -> s.state() == IncidentState.AWAITING_APPROVAL);
      assertEquals(0, t.incidentRulesFailures.get(), "the failed ask was made");
      decide(t, waiting.pendingApproval(), "alice", false);
      assertEquals(IncidentResult.DECLINED, result(t).outcome());
    }
  }

  @Test
  void an_orchestrator_that_cannot_give_the_rules_fails_the_incident_after_a_few_attempts()
      throws Exception {
    try (LabTemporal t = LabTemporal.start("seed-pair")) {
      t.incidentRulesFailures.set(Integer.MAX_VALUE);
      openAsSignalled(t, policy(Set.of(), false, 0), 1);

      var result =
          t.client()
              .newUntypedWorkflowStub(WorkflowIds.incident(t.lab.tenantDomain()))
              .getResultAsync(IncidentResult.class);
      // Bounded: the incident ends, failed, rather than ask for ever.
      var failed =
          assertThrows(
              java.util.concurrent.ExecutionException.class,
              () -> result.get(60, java.util.concurrent.TimeUnit.SECONDS));
      var cause = failed.getCause().getCause();
      assertTrue(cause instanceof io.temporal.failure.ApplicationFailure, String.valueOf(cause));
      assertEquals(
          IncidentWorkflowImpl.RULES_UNAVAILABLE,
          ((io.temporal.failure.ApplicationFailure) cause).getType());
      assertTrue(cause.getMessage().contains("incident rules of tenant"), cause.getMessage());
      assertEquals(Map.of(), t.lab.effectCounts(), "nothing changed");
    }
  }

  @Test
  void a_remediation_already_running_is_left_alone_and_named() {
    try (LabTemporal t = LabTemporal.start("seed-pair")) {
      String remediation = WorkflowIds.remediation(t.lab.tenantDomain());
      SharedAppRemediationWorkflow running =
          t.client()
              .newWorkflowStub(
                  SharedAppRemediationWorkflow.class,
                  WorkflowOptions.newBuilder()
                      .setWorkflowId(remediation)
                      .setTaskQueue(TaskQueues.ORCHESTRATOR)
                      .build());
      WorkflowClient.start(running::remediate, request(t, "alice"));
      open(t, policy(Set.of(Remedy.SHARED_APP_REMEDIATION), false, 0), 1);

      IncidentResult result = result(t);
      assertEquals(IncidentResult.UNRESOLVED, result.outcome(), result.message());
      assertEquals(ChildRuns.ALREADY_RUNNING, result.children().get(0).outcome());
      assertTrue(result.children().get(0).message().contains("abafix status " + remediation));
      assertEquals(
          WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(t, remediation));
    }
  }

  @Test
  void
      the_remediation_it_starts_needs_someone_other_than_the_approver_of_the_proposal_and_outlives_a_cancel() {
    try (LabTemporal t = LabTemporal.start("seed-pair")) {
      open(t, policy(Set.of(), true, 0), 1);
      IncidentStatus waiting = await(t, s -> s.state() == IncidentState.AWAITING_APPROVAL);
      decide(t, waiting.pendingApproval(), "alice", true);
      await(t, s -> s.state() == IncidentState.REMEDIATING);
      String remediation = WorkflowIds.remediation(t.lab.tenantDomain());
      SharedAppRemediationWorkflow child =
          t.client().newWorkflowStub(SharedAppRemediationWorkflow.class, remediation);
      Progress progress = child.progress();
      for (int i = 0; i < 200 && progress.pendingApprovals().isEmpty(); i++) {
        t.env.sleep(Duration.ofSeconds(1));
        progress = child.progress();
      }
      PendingApproval gate = progress.pendingApprovals().get(0);

      WorkflowUpdateException refused =
          assertThrows(
              WorkflowUpdateException.class,
              () -> {
                var execution =
                    t.client().newUntypedWorkflowStub(remediation).describe().getExecution();
                DecisionBinding plan =
                    DecisionScope.binding(
                        t.client().getOptions().getNamespace(),
                        remediation,
                        chainOf(t, remediation, execution.getRunId()),
                        DecisionScope.PLAN,
                        child.progress().pendingApprovals(),
                        true);
                String token = t.lab.identities().idToken("alice", plan.nonce());
                child.decide(
                    new ApprovalRequest(
                        "PLAN",
                        "alice",
                        true,
                        "",
                        gate.planDigest(),
                        ApprovalProof.of(token, plan)));
              });
      assertTrue(
          SharedAppRemediationWorkflowTest.rootMessage(refused).contains("two-person rule"),
          SharedAppRemediationWorkflowTest.rootMessage(refused));

      t.client().newUntypedWorkflowStub(WorkflowIds.incident(t.lab.tenantDomain())).cancel("done");
      t.env.sleep(Duration.ofSeconds(5));
      assertEquals(
          WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING, status(t, remediation));
      assertNotEquals(
          WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING,
          status(t, WorkflowIds.incident(t.lab.tenantDomain())));
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static IncidentPolicy policy(Set<Remedy> unattended, boolean twoPerson, long limit) {
    return new IncidentPolicy(unattended, DEBOUNCE, 3600, twoPerson, 30, limit);
  }

  /** Opens the incident with the orchestrator configured as {@code policy} says. */
  private static void open(LabTemporal t, IncidentPolicy policy, long recordId) {
    t.incidentRules.put(
        t.lab.tenantDomain(), new TenantRules(policy.unattended(), policy.twoPerson()));
    openAsSignalled(t, policy, recordId);
  }

  /** Opens the incident with a signal carrying {@code policy}, whatever the orchestrator says. */
  private static void openAsSignalled(LabTemporal t, IncidentPolicy policy, long recordId) {
    String tenant = t.lab.tenantDomain();
    IncidentWorkflow incident =
        t.client()
            .newWorkflowStub(
                IncidentWorkflow.class, HistoryRecorder.options(WorkflowIds.incident(tenant)));
    BatchRequest request = t.client().newSignalWithStartRequest();
    request.add(
        incident::handle,
        new IncidentConfig(
            tenant,
            t.lab.serverNames(),
            LabHarness.CREDENTIAL,
            Map.of(),
            policy,
            new Timings(120, 1, 120, 30),
            List.of(),
            null));
    request.add(incident::report, Recordings.report(tenant, "SERVERB", recordId));
    t.client().signalWithStart(request);
  }

  private static RemediationRequest request(LabTemporal t, String by) {
    return new RemediationRequest(
            t.lab.tenantDomain(),
            t.lab.serverNames(),
            LabHarness.CREDENTIAL,
            null,
            false,
            new ApprovalPolicy(true, false, 3600),
            new Timings(120, 1, 120, 30),
            by)
        .startedAs(
            io.abafix.activities.approval.RunStart.unsigned(
                io.abafix.activities.approval.RunStart.newStartId(), false));
  }

  private static IncidentWorkflow incident(LabTemporal t) {
    return t.client()
        .newWorkflowStub(IncidentWorkflow.class, WorkflowIds.incident(t.lab.tenantDomain()));
  }

  /** Decides as {@code abafix approve} or {@code reject} would, signed in as the lab user. */
  private static void decide(LabTemporal t, PendingApproval p, String by, boolean approve) {
    DecisionBinding binding =
        DecisionScope.binding(
            t.client().getOptions().getNamespace(),
            WorkflowIds.incident(t.lab.tenantDomain()),
            chainRunId(t),
            p.gate(),
            List.of(p),
            approve);
    String token = t.lab.identities().idToken(by, binding.nonce());
    incident(t)
        .decide(
            new ApprovalRequest(
                p.gate(), by, approve, "", p.digest(), ApprovalProof.of(token, binding)));
  }

  private static IncidentStatus await(LabTemporal t, Predicate<IncidentStatus> until) {
    for (int i = 0; i < 400; i++) {
      IncidentStatus s = incident(t).status();
      if (until.test(s)) return s;
      t.env.sleep(Duration.ofSeconds(1));
    }
    throw new AssertionError("the incident did not get there: " + incident(t).status());
  }

  private static IncidentResult result(LabTemporal t) {
    return t.client()
        .newUntypedWorkflowStub(WorkflowIds.incident(t.lab.tenantDomain()))
        .getResult(IncidentResult.class);
  }

  /** The first run of the incident's chain (decisions bind it; continue-as-new keeps it). */
  private static String runId(LabTemporal t) {
    return t.client()
        .newUntypedWorkflowStub(WorkflowIds.incident(t.lab.tenantDomain()))
        .describe()
        .getExecution()
        .getRunId();
  }

  /** The first run of the incident's chain (decisions bind it; continue-as-new keeps it). */
  private static String chainRunId(LabTemporal t) {
    return chainOf(t, WorkflowIds.incident(t.lab.tenantDomain()), runId(t));
  }

  private static String chainOf(LabTemporal t, String workflowId, String runId) {
    try {
      return io.abafix.activities.approval.TemporalStartedRuns.firstRunId(
          t.client(), t.client().getOptions().getNamespace(), workflowId, runId);
    } catch (io.abafix.activities.approval.ProofRefusedException e) {
      throw new AssertionError(e);
    }
  }

  private static WorkflowExecutionStatus status(LabTemporal t, String id) {
    return t.client()
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(t.client().getOptions().getNamespace())
                .setExecution(
                    io.temporal.api.common.v1.WorkflowExecution.newBuilder().setWorkflowId(id))
                .build())
        .getWorkflowExecutionInfo()
        .getStatus();
  }
}
