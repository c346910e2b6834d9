package io.abafix.cli;

import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.cli.rehearsal.CaptureMapping;
import io.abafix.cli.rehearsal.FinalState;
import io.abafix.cli.rehearsal.FleetCaptureFile.CapturedFleet;
import io.abafix.cli.rehearsal.RehearsalTiming;
import io.abafix.lab.Lab;
import io.abafix.lab.LabSnapshot;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.ConfirmRequest;
import io.abafix.workflows.model.OperatorTask;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.plan.Plan;
import io.abafix.workflows.plan.PlanDigest;
import io.abafix.workflows.plan.RehearsedFleet;
import io.abafix.workflows.plan.StepName;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs the remediation a real run would, on a lab built from a capture: the embedded Temporal, the
 * production workflows, workers and adapters, the lab under them. Time is skipped where the run
 * waits (a propagation, an approval, an operator step) and runs, scaled, where a step works ({@link
 * RehearsalTiming}). A person's answers come after a set delay: each approval, and each operator
 * step (done on the lab as the wizard would, then confirmed).
 */
final class Rehearsal {
  /** Who approves and confirms in a rehearsal, as the journal shows it. */
  static final String REHEARSER = "rehearsal";

  /**
   * How far the clock moves between two looks at the run. A person's answer is timed from when it
   * was asked, whatever the stride; a longer stride only means fewer looks.
   */
  private static final Duration STRIDE = Duration.ofSeconds(60);

  record Options(
      String credentialReference,
      List<StepName> operatorSteps,
      Duration approvalDelay,
      Duration operatorDelay,
      int latencyScale) {}

  /**
   * @param pausedMillis per server, how long the rehearsal kept its scheduler paused
   * @param predictedPausedMillis the same with every step at its full typical length
   */
  record Result(
      String runId,
      Outcome outcome,
      String message,
      Plan plan,
      String planDigest,
      List<AuditEntry> audit,
      List<PendingApproval> approvals,
      List<OperatorTask> operatorSteps,
      Map<String, Long> pausedMillis,
      Map<String, Long> predictedPausedMillis,
      LabSnapshot end,
      List<String> finalState,
      RemediationRequest request,
      RehearsedFleet facts) {

    boolean succeeded() {
      return outcome == Outcome.SUCCEEDED;
    }
  }

  private Rehearsal() {}

  static Result run(CapturedFleet fleet, Options options) {
    CaptureMapping.Mapped mapped =
        CaptureMapping.map(
            fleet,
            options.credentialReference(),
            RehearsalTiming.latencyMillis(options.latencyScale()));
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        SkippedTime time = temporal.time()) {
      Lab lab = Lab.fromScenario(mapped.scenario(), time::now);
      LabSnapshot start = lab.snapshot();
      try (DemoEnvironment env = DemoEnvironment.start(lab, temporal)) {
        RemediationRequest request = request(fleet, options);
        String id = RemediateCommand.start(env.client(), request);
        return drive(
            env.client(),
            id,
            lab,
            start,
            time,
            options,
            request,
            mapped.facts(),
            env.approver(DemoCommand.DEMO_APPROVER));
      }
    }
  }

  /** The request the real run will make, as abafix remediate builds it by default. */
  static RemediationRequest request(CapturedFleet fleet, Options options) {
    return new RemediationRequest(
        fleet.tenant(),
        fleet.serverNames(),
        options.credentialReference(),
        null,
        false,
        ApprovalPolicy.standard(),
        Timings.standard(),
        REHEARSER,
        options.operatorSteps());
  }

  private static Result drive(
      WorkflowClient client,
      String id,
      Lab lab,
      LabSnapshot start,
      SkippedTime time,
      Options options,
      RemediationRequest request,
      RehearsedFleet facts,
      AutoApprover approver) {
    // The lab's approver signs every decision in at the lab's Entra ID, as abafix approve would.
    Decisions.Pinned pinned = Decisions.pin(client, id);
    SharedAppRemediationWorkflow run = pinned.stub();
    WorkflowStub untyped = client.newUntypedWorkflowStub(id);
    CompletableFuture<RemediationResult> done = untyped.getResultAsync(RemediationResult.class);
    Map<String, PendingApproval> asked = new LinkedHashMap<>();
    Map<String, OperatorTask> operated = new LinkedHashMap<>();
    while (!done.isDone()) {
      Progress p = run.progress();
      long now = time.now();
      long next = now + STRIDE.toMillis();
      for (PendingApproval a : p.pendingApprovals()) {
        asked.putIfAbsent(a.gate(), a);
        long due = a.requestedAt() + options.approvalDelay().toMillis();
        if (now >= due) {
          pinned.decide(a, true, approver.user(), "approved in the rehearsal", approver.signer());
        } else {
          next = Math.min(next, due);
        }
      }
      OperatorTask task = p.pendingOperatorStep();
      if (task != null && !operated.containsKey(task.gate())) {
        long due = task.requestedAt() + options.operatorDelay().toMillis();
        if (now >= due) {
          operate(lab, task, request.credentialReferenceFor(task.server()));
          operated.put(task.gate(), task);
          DecisionBinding confirmed =
              DecisionBinding.confirm(
                  client.getOptions().getNamespace(), id, pinned.chainRunId(), task.gate());
          run.confirm(
              new ConfirmRequest(
                  task.step(),
                  task.server(),
                  approver.user(),
                  ApprovalProof.of(approver.signer().sign(confirmed, approver.user()), confirmed)));
        } else {
          next = Math.min(next, due);
        }
      }
      time.sleep(Duration.ofMillis(Math.max(1, next - now)));
    }
    Outcome outcome;
    String message;
    Plan plan;
    List<AuditEntry> audit;
    try {
      RemediationResult r = done.join();
      outcome = r.outcome();
      message = r.message();
      plan = r.plan();
      audit = r.audit();
    } catch (CompletionException e) {
      if (!(e.getCause() instanceof WorkflowFailedException)) throw e;
      outcome = run.progress().outcome();
      message = ErrorHandler.rootMessage(e.getCause());
      plan = run.plan();
      audit = run.audit();
    }
    Map<String, Long> paused = new LinkedHashMap<>();
    Map<String, Long> predicted = new LinkedHashMap<>();
    for (AuditEntry e : audit) {
      if (!e.step().equals("SYNC_PAUSED")) continue;
      long measured = e.endedAt() - e.startedAt();
      paused.merge(e.target(), measured, Long::sum);
      predicted.merge(e.target(), measured + addedBack(lab, e, options.latencyScale()), Long::sum);
    }
    LabSnapshot end = lab.snapshot();
    Map<String, String> machineIds = new HashMap<>();
    start.servers().forEach(s -> machineIds.put(s.name(), s.machineId()));
    List<String> appsBefore =
        start.applications().stream().map(LabSnapshot.Application::id).toList();
    String digest = plan == null ? null : PlanDigest.of(plan);
    return new Result(
        id,
        outcome,
        message,
        plan,
        digest,
        audit,
        List.copyOf(asked.values()),
        List.copyOf(operated.values()),
        paused,
        predicted,
        end,
        FinalState.lines(end, machineIds, appsBefore),
        request,
        new RehearsedFleet(digest, facts.servers(), facts.applications()));
  }

  /**
   * What the scale took out of a paused window: each step latency served within it, at its full
   * length less what it took here.
   */
  private static long addedBack(Lab lab, AuditEntry window, int scale) {
    long total = 0;
    for (Lab.Latency l : lab.latencies()) {
      if (l.startedAt() < window.startedAt() || l.startedAt() > window.endedAt()) continue;
      if (!RehearsalTiming.addedBack(l.step())) continue;
      Long seconds = RehearsalTiming.STEP_SECONDS.get(l.step());
      if (seconds != null) total += seconds * 1000 - l.millis();
    }
    return total;
  }

  /** What the operator does before confirming: the wizard's task, on the lab's server. */
  private static void operate(Lab lab, OperatorTask task, String credentialReference) {
    var host = lab.host(task.server());
    switch (StepName.valueOf(task.step())) {
      case CONFIGURE_ABA -> host.configureApplicationAuthentication();
      case ROTATE_CERTIFICATE -> host.rotateApplicationCertificate();
      case REVERT_TO_SERVICE_ACCOUNT ->
          host.revertToServiceAccount(
              host.inspect().expectedServiceAccountName(), credentialReference);
      default ->
          throw new IllegalStateException("no operator action for " + task.step() + " in the lab");
    }
  }
}
