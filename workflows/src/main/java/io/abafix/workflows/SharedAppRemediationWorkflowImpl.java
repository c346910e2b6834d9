package io.abafix.workflows;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.approval.VerifiedIdentity;
import io.abafix.activities.approval.VerifiedStart;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.DirectoryPrerequisites.Missing;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.internal.SignedDecisions;
import io.abafix.workflows.internal.remediation.Compensations;
import io.abafix.workflows.internal.remediation.FinalVerification;
import io.abafix.workflows.internal.remediation.PlanApprovals;
import io.abafix.workflows.internal.remediation.Preflight;
import io.abafix.workflows.internal.remediation.Prerequisites;
import io.abafix.workflows.internal.remediation.RehearsalCheck;
import io.abafix.workflows.internal.remediation.RemediationRun;
import io.abafix.workflows.internal.remediation.Steps;
import io.abafix.workflows.model.ApplicationSummary;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.CancelRequest;
import io.abafix.workflows.model.ConfirmRequest;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.RunJournal;
import io.abafix.workflows.model.ServerSummary;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.FleetObservation;
import io.abafix.workflows.plan.Plan;
import io.abafix.workflows.plan.PlanDigest;
import io.abafix.workflows.plan.PlannedStep;
import io.abafix.workflows.plan.Planner;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * See {@link SharedAppRemediationWorkflow}. Preflight, the plan, every approval the plan needs,
 * then each step in the documented order; compensation when it cannot go on. The protocols live in
 * components of their own ({@code internal.Gates}, {@code internal.OperatorTasks}, {@code
 * internal.DurableWaits}) and the steps in handlers per kind ({@code internal.remediation}).
 */
public class SharedAppRemediationWorkflowImpl implements SharedAppRemediationWorkflow {
  /** Failure type of the workflow itself when it stopped and compensated. */
  public static final String REMEDIATION_FAILED = "abafix.RemediationFailed";

  /** The change that ends a blocked plan like every other end, and drains after the last digest. */
  private static final String DRAIN_AFTER_CLOSE = "drain-after-close";

  /**
   * The change id of runs that end without a result carrying their journal ({@link RunJournal});
   * runs from before it replay as they ran, and their journals are read by replaying them.
   */
  static final String JOURNAL_KEPT = "journal-kept";

  private RemediationRun run;
  private Outcome outcome = Outcome.RUNNING;
  private Compensations compensations;
  private FinalVerification verification;
  private FleetObservation fleet;

  @Override
  public RemediationResult remediate(RemediationRequest request) {
    RemediationRun.validate(request);
    run = new RemediationRun(request);
    compensations = new Compensations(run);
    verification = new FinalVerification(run);
    run.journal
        .entry("REQUEST")
        .target(PlannedStep.DIRECTORY)
        .executor(Executor.OPERATOR.name())
        .actor(request.requestedBy())
        .at(Workflow.currentTimeMillis())
        .outcome("INFO")
        .detail(
            "tenant "
                + request.tenant()
                + ", servers "
                + String.join(", ", request.servers())
                + (request.origin() == null ? "" : ", for " + request.origin())
                + (request.dryRun() ? ", dry run" : ""))
        .record();

    if (Workflow.getVersion(
            "verified-start", Workflow.DEFAULT_VERSION, SignedDecisions.VERIFIED_START)
        >= SignedDecisions.VERIFIED_START) {
      String refused = verifyStart();
      if (refused != null) {
        outcome = Outcome.BLOCKED;
        run.current = "DONE";
        finish(this::endedAsBefore);
        return new RemediationResult(
            outcome,
            "blocked before any change, nothing was paused: " + refused,
            null,
            List.of(),
            List.of(),
            run.journal.entries());
      }
    }
    try {
      fleet = new Preflight(run).observe();
    } catch (TemporalFailure e) {
      if (cancelled())
        throw end(Outcome.CANCELED, "cancelled during preflight; nothing was changed");
      throw end(
          Outcome.FAILED, "preflight failed, nothing was changed: " + run.describe(e, target()));
    }
    // The plan is recorded in the history: a later Planner cannot change a run in flight.
    long planned = Workflow.currentTimeMillis();
    run.plan =
        Workflow.sideEffect(
            Plan.class, () -> Planner.plan(fleet, new HashSet<>(request.operatorSteps()), planned));
    run.planDigest = PlanDigest.of(run.plan);
    run.journal
        .entry("PLAN")
        .target(PlannedStep.DIRECTORY)
        .executor(Executor.WORKFLOW.name())
        .at(Workflow.currentTimeMillis())
        .attempts(1)
        .outcome("DONE")
        .after(Map.of("steps", String.valueOf(run.plan.steps().size()), "digest", run.planDigest))
        .detail(String.join("; ", run.plan.findings()))
        .record();
    if (!RehearsalCheck.passes(run, fleet)) throw end(Outcome.FAILED, RehearsalCheck.refusal(run));
    if (run.plan.blocked()) {
      outcome = Outcome.FAILED;
      run.current = "DONE";
      // Runs begun before a blocked plan ended like every other end only signed their journal.
      finish(this::closeJournal);
      throw failure(
          "refused, nothing was changed: " + String.join("; ", run.plan.blockers()),
          FailureTypes.PRECONDITION_FAILED);
    }
    if (run.plan.nothingToDo()) {
      outcome = Outcome.NOTHING_TO_DO;
      return result("nothing to fix: no server shares an app registration or a machine id");
    }
    if (run.prerequisitesVersion >= Preflight.PROVEN_PREREQUISITES) {
      List<Missing> missing;
      try {
        missing = new Prerequisites(run).prove();
      } catch (TemporalFailure e) {
        if (cancelled()) throw end(Outcome.CANCELED, "cancelled in preflight; nothing was changed");
        throw end(
            Outcome.FAILED, "preflight failed, nothing was changed: " + run.describe(e, target()));
      }
      if (!missing.isEmpty()) {
        outcome = Outcome.BLOCKED;
        return result(
            "blocked before any change, nothing was paused: "
                + String.join(" | ", missing.stream().map(Missing::describe).toList()));
      }
    }
    if (request.dryRun()) {
      outcome = Outcome.DRY_RUN;
      return result("dry run: " + run.plan.steps().size() + " steps planned, nothing changed");
    }
    retireApps();
    return execute();
  }

  /**
   * Proves the run's start (its own, not replayed; signed by the requester where two people are
   * needed) and records who started it.
   *
   * @return why the start is refused, or null
   */
  private String verifyStart() {
    VerifiedStart start;
    try {
      start = SignedDecisions.checkStart(run.route);
    } catch (ApplicationFailure e) {
      run.journal
          .entry("START_REFUSED")
          .target(PlannedStep.DIRECTORY)
          .executor(Executor.WORKFLOW.name())
          .at(Workflow.currentTimeMillis())
          .outcome("REFUSED")
          .detail(e.getOriginalMessage())
          .record();
      return e.getOriginalMessage();
    }
    run.verifiedStart = start;
    // The workflow's own check (fast feedback), under the rule the start proved.
    if (start.twoPerson()) run.gates.requesterVerified(start.requester());
    Map<String, String> who = new LinkedHashMap<>();
    who.put("twoPerson", String.valueOf(start.twoPerson()));
    VerifiedIdentity requester = start.requester();
    if (requester != null) {
      who.put("signedInAs", requester.upn());
      who.put("objectId", requester.objectId());
      who.put("tenantId", requester.tenantId());
      who.put("signedInAt", requester.issuedAt().toString());
    }
    run.journal
        .entry("START_VERIFIED")
        .target(PlannedStep.DIRECTORY)
        .executor(Executor.OPERATOR.name())
        .actor(requester == null ? run.request.requestedBy() : requester.label())
        .at(Workflow.currentTimeMillis())
        .outcome("INFO")
        .after(who)
        .detail(
            requester == null
                ? "a start of its own, not a replayed one; not signed in (one person may approve)"
                : "the requester's signed start"
                    + (start.twoPerson() ? ": someone else must approve" : ""))
        .record();
    return null;
  }

  /** Approvals first, then every step; on any failure, cancellation included, compensation. */
  private RemediationResult execute() {
    PlanApprovals approvals = new PlanApprovals(run);
    Steps steps = new Steps(run, approvals, compensations, verification);
    PlannedStep step = null;
    try {
      approvals.collect();
      List<String> problems = List.of();
      for (PlannedStep s : run.plan.steps()) {
        step = s;
        problems = steps.execute(s);
      }
      outcome = problems.isEmpty() ? Outcome.SUCCEEDED : Outcome.VERIFICATION_FAILED;
      return result(
          problems.isEmpty()
              ? "every server has its own app registration"
              : "final verification found: " + String.join("; ", problems));
    } catch (TemporalFailure e) {
      if (step == null
          && !cancelled()
          && e instanceof ApplicationFailure a
          && PlanApprovals.NOT_APPROVED_IN_TIME.equals(a.getType())
          && Workflow.getVersion("unapproved-is-blocked", Workflow.DEFAULT_VERSION, 1) >= 1) {
        // The approvals come before the first change: a plan nobody approved changed nothing.
        outcome = Outcome.BLOCKED;
        return result("blocked before any change, nothing was paused: " + a.getOriginalMessage());
      }
      String where = step == null ? "APPROVAL" : step.key();
      boolean cancelled = cancelled();
      String why = run.describe(e, target(step));
      Workflow.getLogger(SharedAppRemediationWorkflowImpl.class)
          .warn("remediation stopped at {}: {}", where, why);
      run.current = "COMPENSATION";
      run.visibility.phase(run.current, null);
      // Compensation must also run, to its end, when the run itself is being cancelled.
      Workflow.newDetachedCancellationScope(run.saga::compensate).run();
      // A cancellation that came while compensation ran still ends the run CANCELED.
      cancelled = cancelled || cancelled();
      run.pausedAt.keySet().forEach(s -> run.serverSteps.put(s, "left paused"));
      throw end(
          cancelled ? Outcome.CANCELED : Outcome.COMPENSATED,
          "remediation stopped at "
              + where
              + ": "
              + (cancelled ? "cancelled (" + run.cancelReason + "); " + why : why)
              + "; compensation ran (see the audit for what it resumed or restored)"
              + (run.compensationNotes.isEmpty()
                  ? ""
                  : "; TO DO: " + String.join("; ", run.compensationNotes)));
    }
  }

  // ---- updates, signals and queries --------------------------------------------------------

  @Override
  public void validateDecision(ApprovalRequest r) {
    if (run == null) throw new IllegalStateException("the run has not started yet");
    run.gates.validate(r);
  }

  @Override
  public String decide(ApprovalRequest r) {
    return run.gates.decide(r);
  }

  @Override
  public void validateConfirmation(ConfirmRequest r) {
    if (run == null) throw new IllegalStateException("the run has not started yet");
    run.operatorTasks.validate(r);
  }

  @Override
  public String confirm(ConfirmRequest r) {
    return run.operatorTasks.confirm(r);
  }

  @Override
  public void explainCancellation(CancelRequest r) {
    if (run == null || r == null || r.reason() == null || run.cancelReason != null) return;
    run.cancelReason = r.reason().strip() + (r.by() == null ? "" : ", by " + r.by());
    run.journal
        .entry("CANCEL_REQUESTED")
        .target(PlannedStep.DIRECTORY)
        .executor(Executor.OPERATOR.name())
        .actor(r.by())
        .at(Workflow.currentTimeMillis())
        .outcome("INFO")
        .detail(r.reason().strip())
        .record();
  }

  @Override
  public Plan plan() {
    return run == null ? null : run.plan;
  }

  @Override
  public Progress progress() {
    if (run == null) return new Progress(outcome, "STARTING", Map.of(), null, null, null, 0, null);
    var pending = run.gates.pending();
    return new Progress(
        outcome,
        run.current,
        new TreeMap<>(run.serverSteps),
        run.waitingFor,
        pending.isEmpty() ? null : pending.get(0),
        run.operatorTasks.pending(),
        run.journal.size(),
        pending,
        run.waitDeadline);
  }

  @Override
  public List<AuditEntry> audit() {
    return run == null ? List.of() : run.journal.entries();
  }

  // ---- helpers ----------------------------------------------------------------------------

  /** The shared apps, and the apps the affected servers use now, are retired: none may be kept. */
  private void retireApps() {
    run.plan
        .applicationsToDelete()
        .forEach(a -> run.retiredAppIds.add(RemediationRun.key(a.appId())));
    for (String s : run.affectedServers()) {
      ServerState st = run.preflight.get(s);
      if (st.identityType() == IdentityType.Application && st.applicationId() != null) {
        run.retiredAppIds.add(RemediationRun.key(st.applicationId()));
      }
    }
  }

  /**
   * Ends the run: CANCELED through a cancellation failure, otherwise as a failed remediation. The
   * journal, closed, goes with it ({@link RunJournal}): in the failure's details, or, cancelled, in
   * a record of its own right before the end, since a cancellation carries no details.
   */
  private TemporalFailure end(Outcome how, String message) {
    outcome = how;
    run.current = "DONE";
    finish(this::endedAsBefore);
    if (how == Outcome.CANCELED) {
      if (journalKept()) {
        Workflow.sideEffect(
            RunJournal.class, () -> RunJournal.of(how, message, run.journal.entries()));
      }
      return new CanceledFailure(message);
    }
    return failure(message, REMEDIATION_FAILED);
  }

  /** The failure the run ends with, its closed journal in its details where the run keeps it. */
  private ApplicationFailure failure(String message, String type) {
    if (!journalKept()) return ApplicationFailure.newNonRetryableFailure(message, type);
    return ApplicationFailure.newNonRetryableFailure(
        message, type, RunJournal.of(outcome, message, run.journal.entries()));
  }

  /** Whether the run keeps its journal in its history when it ends without a result. */
  private boolean journalKept() {
    return Workflow.getVersion(JOURNAL_KEPT, Workflow.DEFAULT_VERSION, 1) >= 1;
  }

  /**
   * How every run ends, {@link #outcome} set: its visibility shows it ended, the journal's closing
   * digest is signed, and then every handler finishes, including one that came while the digest was
   * being signed, so that none is cut off when the run closes. Handlers are also drained before the
   * digest, so that what a decision being answered records is in what the digest covers.
   *
   * @param asBefore what a run begun before this ending did instead, replayed as it ran
   */
  private void finish(Runnable asBefore) {
    if (Workflow.getVersion(DRAIN_AFTER_CLOSE, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      asBefore.run();
      return;
    }
    run.visibility.ended(outcome.name());
    drainHandlers();
    closeJournal();
    drainHandlers();
  }

  /** The ending of runs begun before {@link #finish}: handlers drained before the digest only. */
  private void endedAsBefore() {
    run.visibility.ended(outcome.name());
    drainHandlers();
    closeJournal();
  }

  /**
   * The run's last signed digest, after its last record; signed even when the run is being
   * cancelled.
   */
  private void closeJournal() {
    Workflow.newDetachedCancellationScope(run.journal::close).run();
  }

  /**
   * Lets a decision or confirmation being answered finish before the run closes, cancelled or not.
   */
  private static void drainHandlers() {
    Workflow.newDetachedCancellationScope(() -> Workflow.await(Workflow::isEveryHandlerFinished))
        .run();
  }

  private boolean cancelled() {
    return CancellationScope.current().isCancelRequested();
  }

  private String target() {
    int at = run.current.indexOf('@');
    return at < 0 ? null : run.current.substring(at + 1);
  }

  private static String target(PlannedStep step) {
    return step == null ? null : step.target();
  }

  private RemediationResult result(String message) {
    List<ServerState> states =
        verification.servers() != null
            ? verification.servers()
            : List.copyOf(run.preflight.values());
    List<AppRegistration> apps =
        verification.applications() != null ? verification.applications() : fleet.applications();
    run.current = "DONE";
    run.serverSteps.replaceAll((k, v) -> "done");
    finish(this::endedAsBefore);
    return new RemediationResult(
        outcome,
        message,
        run.plan,
        states.stream()
            .map(
                s ->
                    new ServerSummary(
                        s.server(),
                        String.valueOf(s.identityType()),
                        s.applicationId(),
                        s.machineId(),
                        s.syncCycleEnabled()))
            .toList(),
        apps.stream().map(a -> new ApplicationSummary(a.id(), a.appId(), a.displayName())).toList(),
        run.journal.entries());
  }
}
