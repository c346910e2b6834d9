package io.abafix.workflows.internal.remediation;

import io.abafix.workflows.plan.PlannedStep;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.List;

/** Runs one planned step through the handler for its kind, and journals what it did. */
public final class Steps {
  private final RemediationRun run;
  private final SchedulerSteps scheduler;
  private final IdentitySteps identity;
  private final MachineIdSteps machineIds;
  private final DirectorySteps directory;
  private final FinalVerification verification;

  public Steps(
      RemediationRun run,
      PlanApprovals approvals,
      Compensations compensations,
      FinalVerification verification) {
    this.run = run;
    this.scheduler = new SchedulerSteps(run, compensations);
    this.identity = new IdentitySteps(run, approvals);
    this.machineIds = new MachineIdSteps(run, approvals);
    this.directory = new DirectorySteps(run, approvals, compensations);
    this.verification = verification;
  }

  /**
   * @return what the final verification found; empty for every other step
   */
  public List<String> execute(PlannedStep s) {
    run.current = s.key();
    run.visibility.phase(s.step().name(), s.target());
    if (!PlannedStep.DIRECTORY.equals(s.target())) run.serverSteps.put(s.target(), s.step().name());
    long started = Workflow.currentTimeMillis();
    StepRecord r;
    try {
      r =
          switch (s.step()) {
            case PAUSE_SCHEDULER -> scheduler.pause(s.target());
            case WAIT_FOR_SYNC_CYCLE -> scheduler.waitForSyncCycle(s.target());
            case REVERT_TO_SERVICE_ACCOUNT -> identity.revert(s);
            case VERIFY_SERVICE_ACCOUNT -> identity.verifyServiceAccount(s.target());
            case RECORD_MACHINE_ID -> machineIds.record(s.target());
            case ROTATE_CERTIFICATE -> identity.rotate(s);
            case COMPARE_MACHINE_IDS -> machineIds.compare(s.target());
            case REGENERATE_MACHINE_ID -> machineIds.regenerate(s);
            case DELETE_APPLICATIONS -> directory.deleteApplications(s);
            case CONFIGURE_ABA -> identity.configure(s);
            case VERIFY_APPLICATION -> identity.verifyApplication(s.target());
            case RESUME_SCHEDULER -> scheduler.resume(s.target());
            case FINAL_VERIFICATION -> verification.verify();
            case PREFLIGHT -> throw new IllegalStateException("preflight is not a plan step");
          };
    } catch (TemporalFailure e) {
      entry(s, started).outcome("FAILED").detail(run.describe(e, s.target())).record();
      if (s.destructive()) run.journal.seal(s.key());
      throw e;
    }
    entry(s, started)
        .actor(r.actor())
        .attempts(r.attempts())
        .outcome(r.outcome())
        .before(r.before())
        .after(r.after())
        .detail(r.detail())
        .record();
    // Each destructive step is signed as soon as it is recorded, not only at the end.
    if (s.destructive()) run.journal.seal(s.key());
    return r.problems();
  }

  private io.abafix.workflows.audit.AuditJournal.Entry entry(PlannedStep s, long started) {
    return run.journal
        .entry(s.step().name())
        .target(s.target())
        .executor(s.executor().name())
        .between(started, Workflow.currentTimeMillis());
  }
}
