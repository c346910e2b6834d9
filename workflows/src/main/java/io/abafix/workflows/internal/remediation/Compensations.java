package io.abafix.workflows.internal.remediation;

import static io.abafix.workflows.internal.remediation.RemediationRun.facts;
import static io.abafix.workflows.internal.remediation.RemediationRun.key;
import static io.abafix.workflows.internal.remediation.RemediationRun.now;

import io.abafix.activities.DirectoryActivities;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.StepResult;
import io.abafix.workflows.internal.Gates;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.PlannedStep;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the run undoes when it stops: the compensation goal is that no server is left paused with a
 * working identity available, and no app a server still authenticates with stays deleted. Each
 * compensation inspects first and records what it did; one that fails is recorded and the others
 * still run.
 */
public final class Compensations {
  private static final String COMPENSATION = "compensation";

  private final RemediationRun run;

  public Compensations(RemediationRun run) {
    this.run = run;
  }

  /**
   * Resumes a scheduler this run paused, once its server has a working identity. A read that fails
   * for good is tried once more after a poll interval: leaving a server paused that could sync is
   * the outcome compensation exists to avoid.
   */
  public void resumeIfWorking(String server) {
    if (!resumeIfWorking(server, false)) {
      pause();
      resumeIfWorking(server, true);
    }
  }

  private void pause() {
    Workflow.sleep(Duration.ofSeconds(Math.max(1, run.request.timings().pollSeconds())));
  }

  /** Returns false when it could not find out, and may be tried again. */
  private boolean resumeIfWorking(String server, boolean last) {
    long started = now();
    try {
      ServerState st = run.server(server).inspectServer(server);
      if (st.syncCycleEnabled()) {
        recorded(server, started, "NO_CHANGE", st, "scheduler already enabled");
        return true;
      }
      AuthenticationCheck check = run.server(server).testConnectorAuthentication(server);
      if (!check.authenticated()
          && st.identityType() == IdentityType.ServiceAccount
          && "AccessDenied".equals(check.errorCode())) {
        // A service account that was just created: wait out its propagation, then resume.
        run.waits.signIn(
            server, "the service account on " + server + " to sign in before resuming");
        check = AuthenticationCheck.ok();
      }
      if (!check.authenticated()) {
        recorded(
            server,
            started,
            "LEFT_PAUSED",
            st,
            "left paused: no working identity ("
                + check.errorCode()
                + "); give it one, then Set-ADSyncScheduler -SyncCycleEnabled $true");
        return true;
      }
      String blocked = run.sharedScheduler ? sharedWithoutIdentity(server) : null;
      if (blocked != null) {
        recorded(server, started, "LEFT_PAUSED", st, blocked);
        return true;
      }
      // A compensation acts under the run's approvals: the plan's lists the resume.
      run.server(server)
          .resumeScheduler(
              server, run.proofs.apply(Gates.name("RESUME_SCHEDULER", server)).forCompensation());
      recorded(
          server,
          started,
          "COMPENSATED",
          run.server(server).inspectServer(server),
          "resumed: signs in with its " + st.identityType());
      SchedulerSteps.recordPausedWindow(run, server, "resumed by compensation");
      if (run.sharedScheduler) {
        for (String other : List.copyOf(run.pausedAt.keySet())) {
          if (run.server(other).inspectServer(other).syncCycleEnabled()) {
            SchedulerSteps.recordPausedWindow(
                run,
                other,
                "resumed by compensation with " + server + " (one scheduler per tenant)");
          }
        }
      }
      return true;
    } catch (TemporalFailure e) {
      if (CancellationScope.current().isCancelRequested()) throw e;
      run.journal
          .entry("RESUME_SCHEDULER")
          .target(server)
          .executor(Executor.AUTOMATED.name())
          .actor(COMPENSATION)
          .between(started, now())
          .outcome("FAILED")
          .detail(
              "could not resume: " + run.describe(e, server) + (last ? "" : "; trying once more"))
          .record();
      return false;
    }
  }

  /**
   * Under a scheduler shared by the tenant, resuming one server resumes the others this run paused:
   * the reason to leave it paused when one of them cannot sign in, else null.
   */
  private String sharedWithoutIdentity(String server) {
    for (String other : List.copyOf(run.pausedAt.keySet())) {
      if (other.equalsIgnoreCase(server)) continue;
      AuthenticationCheck check = run.server(other).testConnectorAuthentication(other);
      if (!check.authenticated()) {
        return "left paused: the scheduler is one per tenant, and resuming would also resume "
            + other
            + ", which has no working identity ("
            + check.errorCode()
            + "); give it one, then Set-ADSyncScheduler -SyncCycleEnabled $true";
      }
    }
    return null;
  }

  /** Restores a deleted app only when a server still authenticates with it; a failed read twice. */
  public void restoreIfStillUsed(AppRegistration app) {
    if (!restoreIfStillUsed(app, false)) {
      pause();
      restoreIfStillUsed(app, true);
    }
  }

  private boolean restoreIfStillUsed(AppRegistration app, boolean last) {
    long started = now();
    try {
      List<String> users = new ArrayList<>();
      for (String s : run.request.servers()) {
        ServerState st = run.server(s).inspectServer(s);
        if (st.identityType() == IdentityType.Application
            && key(app.appId()).equals(key(st.applicationId()))) {
          users.add(s);
        }
      }
      if (users.isEmpty()) {
        restore(started)
            .outcome("SKIPPED")
            .after(Map.of("appId", app.appId()))
            .detail("not restored: no server authenticates with " + app.displayName())
            .record();
        return true;
      }
      // Under the approval that let this very app be deleted.
      StepResult r =
          run.directory.restoreApplication(
              app.id(),
              run.proofs
                  .apply(Gates.name("DELETE_APPLICATIONS", PlannedStep.DIRECTORY))
                  .forCompensation(),
              run.approvedDeletions());
      restore(started)
          .attempts(r.attempt())
          .outcome(r.changed() ? "COMPENSATED" : "NO_CHANGE")
          .before(r.before())
          .after(r.after())
          .detail("restored for " + String.join(", ", users) + ": " + r.detail())
          .record();
      if ("true".equals(r.after().get(DirectoryActivities.SERVICE_PRINCIPAL_RECREATED))) {
        run.compensationNotes.add(r.detail());
      }
      return true;
    } catch (TemporalFailure e) {
      restore(started)
          .outcome("FAILED")
          .after(Map.of("appId", app.appId()))
          .detail(
              "could not restore: " + run.describe(e, null) + (last ? "" : "; trying once more"))
          .record();
      return false;
    }
  }

  private io.abafix.workflows.audit.AuditJournal.Entry restore(long started) {
    return run.journal
        .entry("RESTORE_APPLICATION")
        .target(PlannedStep.DIRECTORY)
        .executor(Executor.AUTOMATED.name())
        .actor(COMPENSATION)
        .between(started, now());
  }

  private void recorded(String server, long started, String outcome, ServerState st, String d) {
    run.journal
        .entry("RESUME_SCHEDULER")
        .target(server)
        .executor(Executor.AUTOMATED.name())
        .actor(COMPENSATION)
        .between(started, now())
        .attempts(1)
        .outcome(outcome)
        .after(facts(st))
        .detail(d)
        .record();
  }
}
