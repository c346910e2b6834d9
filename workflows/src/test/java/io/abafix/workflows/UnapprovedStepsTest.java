package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.DirectoryActivities;
import io.abafix.activities.DirectoryActivitiesImpl;
import io.abafix.activities.FailureTypes;
import io.abafix.activities.SyncServerActivities;
import io.abafix.activities.SyncServerActivitiesImpl;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.ProvenParameters;
import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.model.ApprovedDeletions.ApprovedApp;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.scenario.Scenario;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Anyone who can start a workflow on the namespace can schedule the destructive activities on the
 * lab's workers directly. Without a valid signed approval for that very run, each one is refused
 * and the lab records no effect; with one, the step runs.
 */
class UnapprovedStepsTest {
  static final String CREDENTIAL = "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";
  static final String NEW_ID = "0123456789abcdef0123456789abcdef";

  /** A workflow of the test's own: not abafix's, and it asks nobody. */
  @WorkflowInterface
  public interface DirectSteps {
    /** Runs revert, machine id regeneration and app deletion with {@code proofs}; what failed. */
    @WorkflowMethod
    List<String> destroy(String server, ApprovedApp app, boolean waitForProofs);

    @SignalMethod
    void proofs(StepAuthorization proofs);
  }

  public static class DirectStepsImpl implements DirectSteps {
    private StepAuthorization proofs = StepAuthorization.none();
    private boolean given;

    @Override
    public List<String> destroy(String server, ApprovedApp app, boolean waitForProofs) {
      String objectId = app.objectId();
      if (waitForProofs) Workflow.await(() -> given);
      ActivityOptions once =
          ActivityOptions.newBuilder()
              .setStartToCloseTimeout(Duration.ofMinutes(1))
              .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
              .build();
      SyncServerActivities host =
          Workflow.newActivityStub(
              SyncServerActivities.class,
              ActivityOptions.newBuilder(once).setTaskQueue(TaskQueues.forServer(server)).build());
      DirectoryActivities directory =
          Workflow.newActivityStub(
              DirectoryActivities.class,
              ActivityOptions.newBuilder(once).setTaskQueue(TaskQueues.DIRECTORY).build());
      List<String> failures = new ArrayList<>();
      List<Runnable> steps =
          List.of(
              () -> host.revertToServiceAccount(server, CREDENTIAL, proofs),
              () -> host.regenerateMachineId(server, NEW_ID, proofs),
              // The attacker's workflow claims the app is in an approved plan: only the proof
              // counts.
              () ->
                  directory.deleteApplication(
                      objectId,
                      proofs,
                      new io.abafix.activities.model.ApprovedDeletions(
                          Workflow.getInfo().getRunId(), List.of(app), 1)));
      for (Runnable step : steps) {
        try {
          step.run();
        } catch (ActivityFailure f) {
          ApplicationFailure cause = (ApplicationFailure) f.getCause();
          failures.add(cause.getType() + ": " + cause.getOriginalMessage());
        }
      }
      return failures;
    }

    @Override
    public void proofs(StepAuthorization proofs) {
      this.proofs = proofs;
      this.given = true;
    }
  }

  TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
  Lab lab =
      Lab.fromScenario(Scenario.fromResource("seed-pair").withoutLatency(), env::currentTimeMillis);
  LabAdapters adapters = LabAdapters.start(lab);

  {
    env.newWorker(TaskQueues.ORCHESTRATOR)
        .registerWorkflowImplementationTypes(DirectStepsImpl.class);
    env.newWorker(TaskQueues.DIRECTORY)
        .registerActivitiesImplementations(
            new DirectoryActivitiesImpl(adapters.directory(), lab.identities().guard(false)),
            lab.identities().guard(false).decisionCheck());
    for (SyncServerHost host : adapters.hosts()) {
      env.newWorker(TaskQueues.forServer(host.serverName()))
          .registerActivitiesImplementations(
              new SyncServerActivitiesImpl(host, lab.identities().guard(false)));
    }
    env.start();
  }

  @AfterEach
  void close() {
    env.close();
    adapters.close();
  }

  ApprovedApp sharedApp() {
    var app = lab.snapshot().applications().get(0);
    return new ApprovedApp(app.id(), app.appId(), app.displayName());
  }

  DirectSteps stub(String id) {
    return env.getWorkflowClient()
        .newWorkflowStub(
            DirectSteps.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
  }

  /**
   * A PLAN decision over the three steps, each bound to its exact arguments and to the state the
   * lab's SERVERA is in now, as the run's gates would bind them.
   */
  Map<String, String> everything(String server, ApprovedApp app) {
    var st = lab.snapshot().server(server);
    String revert = "REVERT_TO_SERVICE_ACCOUNT@" + server + "/";
    String regenerate = "REGENERATE_MACHINE_ID@" + server + "/";
    String delete = "DELETE_APPLICATIONS@directory/";
    Map<String, String> m = new java.util.TreeMap<>();
    m.put(revert + "credentialReference", CREDENTIAL);
    m.put(revert + "serviceAccount", "Sync_" + server + "_" + st.machineId().substring(0, 12));
    m.put(
        revert + "identityBefore",
        st.identityType()
            + (st.applicationId() == null
                ? ""
                : " " + st.applicationId().toLowerCase(java.util.Locale.ROOT)));
    m.put(regenerate + "machineIdFrom", st.machineId());
    m.put(regenerate + "machineIdTo", NEW_ID);
    m.put(delete + ProvenParameters.DELETE_APPLICATION, app.objectId());
    m.put(
        delete + ProvenParameters.APPLICATION_IDS,
        app.objectId() + "=" + app.appId().toLowerCase(java.util.Locale.ROOT));
    return m;
  }

  void assertRefusedWithNoEffect(List<String> failures, LabSnapshot before) {
    assertEquals(3, failures.size(), failures.toString());
    failures.forEach(f -> assertTrue(f.startsWith(FailureTypes.APPROVAL_REFUSED), f));
    assertEquals(Map.of(), lab.effectCounts(), "the lab records no effect");
    assertEquals(before, lab.snapshot(), "nothing changed");
  }

  @Test
  void stepsScheduledWithoutProofsChangeNothing() {
    LabSnapshot before = lab.snapshot();
    List<String> failures = stub("direct-1").destroy("SERVERA", sharedApp(), false);
    assertRefusedWithNoEffect(failures, before);
  }

  @Test
  void aProofSignedForAnotherRunChangesNothing() {
    ApprovedApp app = sharedApp();
    DecisionBinding elsewhere =
        new DecisionBinding(
            env.getNamespace(),
            "direct-2",
            "another-run",
            "PLAN",
            "plan",
            everything("SERVERA", app),
            DecisionBinding.APPROVE);
    StepAuthorization replayed =
        new StepAuthorization(
            null,
            ApprovalProof.of(lab.identities().idToken("alice", elsewhere.nonce()), elsewhere));
    LabSnapshot before = lab.snapshot();
    DirectSteps run = stub("direct-2");
    WorkflowClient.start(run::destroy, "SERVERA", app, true);
    run.proofs(replayed);
    List<String> failures = WorkflowStub.fromTyped(run).getResult(List.class);
    assertRefusedWithNoEffect(failures, before);
  }

  @Test
  void aValidProofForThisRunRunsTheSteps() {
    ApprovedApp app = sharedApp();
    DirectSteps run = stub("direct-3");
    WorkflowExecution execution = WorkflowClient.start(run::destroy, "SERVERA", app, true);
    DecisionBinding binding =
        new DecisionBinding(
            env.getNamespace(),
            execution.getWorkflowId(),
            execution.getRunId(),
            "PLAN",
            "plan",
            everything("SERVERA", app),
            DecisionBinding.APPROVE);
    run.proofs(
        new StepAuthorization(
            null, ApprovalProof.of(lab.identities().idToken("alice", binding.nonce()), binding)));
    List<String> failures = WorkflowStub.fromTyped(run).getResult(List.class);
    assertEquals(List.of(), failures);
    assertEquals(1, lab.effectCount("revertToServiceAccount", "SERVERA"));
    assertEquals(1, lab.effectCount("deleteApplication", app.objectId()));
    assertEquals(NEW_ID, lab.snapshot().server("SERVERA").machineId());
  }
}
