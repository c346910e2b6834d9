package io.abafix.workflows.internal.remediation;

import static io.abafix.workflows.internal.remediation.RemediationRun.now;

import io.abafix.activities.model.StepResult;
import io.abafix.workflows.internal.Gates;
import io.abafix.workflows.plan.Executor;
import java.time.Duration;
import java.util.Map;

/** Pausing and resuming a server's sync scheduler, and waiting for a running cycle to end. */
public final class SchedulerSteps {
  private final RemediationRun run;
  private final Compensations compensations;

  public SchedulerSteps(RemediationRun run, Compensations compensations) {
    this.run = run;
    this.compensations = compensations;
  }

  public StepRecord pause(String server) {
    if (run.preflight.get(server).syncCycleEnabled()) {
      // Registered before the action: a pause whose reply was lost must still be undone.
      run.saga.addCompensation(() -> compensations.resumeIfWorking(server));
      run.pausedAt.putIfAbsent(server, now());
    }
    return StepRecord.of(
        run.server(server)
            .pauseScheduler(server, run.proofs.apply(Gates.name("PAUSE_SCHEDULER", server))));
  }

  public StepRecord waitForSyncCycle(String server) {
    StepResult r = run.waits.syncCycleEnd(server);
    return StepRecord.done(
        r.attempt(),
        Map.of(),
        r.after(),
        r.attempt() == 1 ? "no sync cycle running" : "waited for the running sync cycle to end");
  }

  public StepRecord resume(String server) {
    if (!run.preflight.get(server).syncCycleEnabled()) {
      return StepRecord.skipped(Map.of(), "the scheduler was paused before this run: left paused");
    }
    StepRecord r =
        StepRecord.of(
            run.server(server)
                .resumeScheduler(server, run.proofs.apply(Gates.name("RESUME_SCHEDULER", server))));
    recordPausedWindow(run, server, "resumed by the run");
    return r;
  }

  /** One entry per server that says how long it did not sync because of this run. */
  static void recordPausedWindow(RemediationRun run, String server, String how) {
    Long since = run.pausedAt.remove(server);
    if (since == null) return;
    long until = now();
    run.journal
        .entry("SYNC_PAUSED")
        .target(server)
        .executor(Executor.WORKFLOW.name())
        .between(since, until)
        .attempts(0)
        .outcome("INFO")
        .after(Map.of("pausedSeconds", String.valueOf((until - since) / 1000)))
        .detail(
            "the scheduler was paused for "
                + Duration.ofMillis(until - since).toSeconds()
                + " s; "
                + how)
        .record();
  }
}
