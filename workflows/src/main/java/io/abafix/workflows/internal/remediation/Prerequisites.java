package io.abafix.workflows.internal.remediation;

import static io.abafix.workflows.internal.remediation.RemediationRun.now;

import io.abafix.activities.graph.GraphPermissions;
import io.abafix.activities.model.CredentialCheck;
import io.abafix.activities.model.DirectoryPrerequisites.Missing;
import io.abafix.activities.model.RoleCheck;
import io.abafix.activities.model.ServerState;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.PlannedStep;
import io.abafix.workflows.plan.StepName;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Proves, after the plan and before any approval is asked, what the plan will need of the
 * directory: that its worker may delete and restore every app the plan deletes, and that the Global
 * Administrator check could read what it needed. Anything missing ends the run BLOCKED with nothing
 * paused: found here it costs nothing, found mid-run it costs a sync outage.
 */
public final class Prerequisites {
  public static final String STEP = "PREREQUISITES";

  private final RemediationRun run;

  public Prerequisites(RemediationRun run) {
    this.run = run;
  }

  /**
   * Each server whose revert abafix runs (not an operator) opens its credential now, as the revert
   * would, and drops it: a missing or undecryptable file found here pauses nothing.
   */
  private List<Missing> credentials() {
    List<Missing> missing = new ArrayList<>();
    for (PlannedStep s : run.plan.steps()) {
      if (s.step() != StepName.REVERT_TO_SERVICE_ACCOUNT || s.executor() == Executor.OPERATOR) {
        continue;
      }
      String reference = run.request.credentialReferenceFor(s.target());
      if (reference == null || reference.isBlank()) {
        // A dry run names no credential unless asked to check one: it changes nothing.
        if (run.request.dryRun()) continue;
        missing.add(
            new Missing(
                "the revert of " + s.target(),
                "no credential reference names the Hybrid Identity Administrator credential",
                "give --credential-ref (or make the revert an operator step: --operator-step"
                    + " REVERT_TO_SERVICE_ACCOUNT)"));
        continue;
      }
      CredentialCheck c = run.server(s.target()).checkCredential(s.target(), reference);
      if (!c.usable()) {
        missing.add(
            new Missing(
                "the revert's credential on " + s.target() + " (" + reference + ")",
                c.problem(),
                "as the worker's account, on "
                    + s.target()
                    + ": Get-Credential | Export-Clixml <the file the reference names>; or make the"
                    + " revert an operator step (--operator-step REVERT_TO_SERVICE_ACCOUNT)"));
      }
    }
    return missing;
  }

  /**
   * A server where someone has the wizard open, or whose scheduler an upgrade or the wizard holds
   * suspended: every step there would be refused, so the run stops before the first pause.
   */
  private List<Missing> busyServers() {
    List<Missing> missing = new ArrayList<>();
    for (String s : run.request.servers()) {
      ServerState st = run.preflight.get(s);
      if (st == null) continue;
      if (st.wizardOpen()) {
        missing.add(
            new Missing(
                s,
                "the Entra Connect wizard is open (AzureADConnect.exe runs): someone may be"
                    + " changing its configuration",
                "finish or close the wizard on " + s + ", then run the remediation again"));
      } else if (st.schedulerSuspended()) {
        missing.add(
            new Missing(
                s,
                "its scheduler is suspended (SchedulerSuspended: an upgrade or the wizard holds"
                    + " it)",
                "let the upgrade or the wizard on "
                    + s
                    + " finish, then run the remediation again"));
      }
    }
    return missing;
  }

  /** What is missing, each with its fix; recorded in the journal either way. */
  public List<Missing> prove() {
    long started = now();
    run.current = STEP + "@" + PlannedStep.DIRECTORY;
    List<Missing> missing = new ArrayList<>();
    for (RoleCheck c : run.roleChecks) {
      if (c.status() == RoleCheck.Status.CANNOT_TELL) {
        missing.add(
            new Missing(
                "the Global Administrator check of " + c.account(),
                "the directory worker cannot tell whether it holds the role: " + c.how(),
                "grant the directory worker's app the Microsoft Graph application permission "
                    + c.missingPermission()
                    + " with admin consent (App registrations > the worker's app > API"
                    + " permissions); every permission abafix uses: "
                    + GraphPermissions.summary()));
      }
    }
    missing.addAll(run.directory.checkApplicationAccess(run.plan.applicationsToDelete()));
    if (Workflow.getVersion("credential-prerequisite", Workflow.DEFAULT_VERSION, 1) >= 1) {
      missing.addAll(credentials());
    }
    if (Workflow.getVersion("quiet-servers", Workflow.DEFAULT_VERSION, 1) >= 1) {
      missing.addAll(busyServers());
    }
    run.journal
        .entry(STEP)
        .target(PlannedStep.DIRECTORY)
        .executor(Executor.AUTOMATED.name())
        .between(started, now())
        .attempts(1)
        .outcome(missing.isEmpty() ? "DONE" : "BLOCKED")
        .after(
            Map.of(
                "applicationsToDelete",
                String.valueOf(run.plan.applicationsToDelete().size()),
                "missing",
                String.valueOf(missing.size())))
        .detail(
            missing.isEmpty()
                ? "the directory worker may delete and restore every app the plan deletes, and"
                    + " read every role it checked"
                : String.join(" | ", missing.stream().map(Missing::describe).toList()))
        .record();
    return missing;
  }
}
