package io.abafix.workflows.internal.remediation;

import static io.abafix.workflows.internal.remediation.RemediationRun.now;

import io.abafix.activities.model.StepResult;
import io.abafix.workflows.internal.Gates;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.PlannedStep;
import io.abafix.workflows.plan.StepName;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
    if (run.preflight.get(server).syncCycleEnabled()) paused(server, now());
    StepRecord r =
        StepRecord.of(
            run.server(server)
                .pauseScheduler(server, run.proofs.apply(Gates.name("PAUSE_SCHEDULER", server))));
    if (!run.schedulerSharingObserved
        && Workflow.getVersion("shared-scheduler", Workflow.DEFAULT_VERSION, 1) >= 1) {
      run.schedulerSharingObserved = true;
      observeSharing(server);
    }
    return r;
  }

  /** Registers the resume that undoes a pause, before the pause: a lost reply must be undone. */
  private void paused(String server, long since) {
    if (run.pausedAt.putIfAbsent(server, since) == null) {
      run.saga.addCompensation(() -> compensations.resumeIfWorking(server));
    }
  }

  /**
   * After the run's first pause, reads the other servers' schedulers. Microsoft's scheduler page
   * says its configuration "is stored in Microsoft Entra ID" and a change on the primary "also
   * affects the staging server", while the remediation article pauses and resumes each server on
   * its own: which settings are shared is not documented. A server found paused by another's pause
   * shares the scheduler; its window then starts with that pause.
   */
  private void observeSharing(String first) {
    List<String> alsoPaused = new ArrayList<>();
    for (String other : run.request.servers()) {
      if (other.equalsIgnoreCase(first) || run.pausedAt.containsKey(other)) continue;
      if (!run.preflight.get(other).syncCycleEnabled()) continue;
      if (!run.server(other).inspectServer(other).syncCycleEnabled()) alsoPaused.add(other);
    }
    if (alsoPaused.isEmpty()) return;
    run.sharedScheduler = true;
    long since = run.pausedAt.getOrDefault(first, now());
    alsoPaused.forEach(other -> paused(other, since));
    run.journal
        .entry("SCHEDULER_SHARED")
        .target(first)
        .executor(Executor.WORKFLOW.name())
        .between(since, now())
        .attempts(0)
        .outcome("INFO")
        .after(Map.of("alsoPaused", String.join(",", alsoPaused)))
        .detail(
            "pausing "
                + first
                + " also paused "
                + String.join(", ", alsoPaused)
                + ": the scheduler's settings are one per tenant, so no server is resumed before"
                + " the last one is done")
        .record();
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
    if (run.sharedScheduler && resumeFollows(server)) {
      // Resuming here would resume every server, the ones still being changed among them.
      return StepRecord.skipped(
          Map.of(),
          "the scheduler is one per tenant: "
              + server
              + " resumes with the last server, once every server is done");
    }
    StepRecord r =
        StepRecord.of(
            run.server(server)
                .resumeScheduler(server, run.proofs.apply(Gates.name("RESUME_SCHEDULER", server))));
    long resumed = now();
    recordPausedWindow(run, server, "resumed by the run", resumed);
    if (run.sharedScheduler) resumeTheRest(server, resumed);
    return r;
  }

  /** Whether the plan resumes another server after this one. */
  private boolean resumeFollows(String server) {
    boolean after = false;
    for (PlannedStep p : run.plan.steps()) {
      if (p.step() != StepName.RESUME_SCHEDULER) continue;
      if (after) return true;
      if (p.target().equalsIgnoreCase(server)) after = true;
    }
    return false;
  }

  /**
   * The last resume under a shared scheduler: every other server this run paused is read, its
   * window closed if the resume reached it, and resumed by its own approved step if it did not.
   */
  private void resumeTheRest(String last, long resumed) {
    for (String other : List.copyOf(run.pausedAt.keySet())) {
      if (other.equalsIgnoreCase(last)) continue;
      if (run.server(other).inspectServer(other).syncCycleEnabled()) {
        recordPausedWindow(
            run, other, "resumed with " + last + " (one scheduler per tenant)", resumed);
      } else {
        run.server(other)
            .resumeScheduler(other, run.proofs.apply(Gates.name("RESUME_SCHEDULER", other)));
        recordPausedWindow(run, other, "resumed by the run after " + last, now());
      }
    }
  }

  /** One entry per server that says how long it did not sync because of this run. */
  static void recordPausedWindow(RemediationRun run, String server, String how) {
    recordPausedWindow(run, server, how, now());
  }

  /** The same, for a scheduler that resumed at {@code until}. */
  static void recordPausedWindow(RemediationRun run, String server, String how, long until) {
    Long since = run.pausedAt.remove(server);
    if (since == null) return;
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
