package io.abafix.workflows.internal.remediation;

import static io.abafix.workflows.internal.remediation.RemediationRun.key;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.StepResult;
import io.abafix.workflows.plan.PlannedStep;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Phase 3: soft-deleting the shared app registrations once no server uses them. */
public final class DirectorySteps {
  private final RemediationRun run;
  private final PlanApprovals approvals;
  private final Compensations compensations;

  public DirectorySteps(RemediationRun run, PlanApprovals approvals, Compensations compensations) {
    this.run = run;
    this.approvals = approvals;
    this.compensations = compensations;
  }

  public StepRecord deleteApplications(PlannedStep s) {
    List<AppRegistration> apps = run.plan.applicationsToDelete();
    Set<String> doomed = new LinkedHashSet<>();
    apps.forEach(a -> doomed.add(key(a.appId())));
    String approver = approvals.confirm(s, PlanApprovals.deletion(apps));
    // Checked right before the deletion: no server may still sign in with a doomed app.
    for (String server : run.request.servers()) {
      ServerState st = run.server(server).inspectServer(server);
      if (st.identityType() == IdentityType.Application
          && doomed.contains(key(st.applicationId()))) {
        throw IdentitySteps.precondition(
            server
                + " still authenticates with app "
                + st.applicationId()
                + ": it must be reverted first");
      }
    }
    Map<String, String> before = new TreeMap<>();
    Map<String, String> after = new TreeMap<>();
    int attempts = 0;
    int changed = 0;
    for (AppRegistration app : apps) {
      run.saga.addCompensation(() -> compensations.restoreIfStillUsed(app));
      StepResult r =
          run.directory.deleteApplication(
              app.id(), approvals.authorization(s.key()), run.approvedDeletions());
      approver = StepRecord.approvedBy(r, approver);
      attempts = Math.max(attempts, r.attempt());
      if (r.changed()) changed++;
      before.put(app.displayName(), app.appId() + " live");
      after.put(app.displayName(), app.appId() + " deleted (object " + app.id() + ")");
    }
    return new StepRecord(
        changed == 0 ? "NO_CHANGE" : "DONE",
        attempts,
        approver,
        before,
        after,
        "soft-deleted " + changed + " of " + apps.size() + " shared apps",
        List.of());
  }
}
