package io.abafix.workflows.internal.remediation;

import static io.abafix.workflows.internal.remediation.RemediationRun.facts;
import static io.abafix.workflows.internal.remediation.RemediationRun.key;
import static io.abafix.workflows.internal.remediation.RemediationRun.now;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.StepResult;
import io.abafix.workflows.model.OperatorTask;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.PlannedStep;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The steps that change what a connector signs in with: the revert to a service account, the
 * certificate rotation, ABA configuration, and the checks after each. Operator-executed variants
 * show a person what to do and check the effect on the server before they accept the word.
 */
public final class IdentitySteps {
  private final RemediationRun run;
  private final PlanApprovals approvals;

  public IdentitySteps(RemediationRun run, PlanApprovals approvals) {
    this.run = run;
    this.approvals = approvals;
  }

  public StepRecord revert(PlannedStep s) {
    String server = s.target();
    while (true) {
      // Checked right before the action, and again after any wait for a new approval.
      ServerState st = run.server(server).inspectServer(server);
      if (st.identityType() == IdentityType.ServiceAccount
          && st.expectedServiceAccountName().equalsIgnoreCase(st.serviceAccountName())) {
        return StepRecord.noChange(facts(st), "connector already uses " + st.serviceAccountName());
      }
      if (st.syncCycleEnabled()) {
        throw precondition(
            server + "'s scheduler was re-enabled since it was paused: revert refused");
      }
      var now =
          approvals.revert(server, st.expectedServiceAccountName(), PlanApprovals.identity(st));
      String approver = approvals.confirm(s, now);
      if (!st.equals(run.server(server).inspectServer(server))) continue;
      if (s.executor() != Executor.OPERATOR) {
        StepResult r =
            run.server(server)
                .revertToServiceAccount(
                    server,
                    run.request.credentialReferenceFor(server),
                    approvals.authorization(s.key()));
        return StepRecord.of(r).by(StepRecord.approvedBy(r, approver));
      }
      String account = st.expectedServiceAccountName();
      String by =
          operator(
              s,
              "On "
                  + server
                  + ", in an elevated PowerShell: $cred = Get-Credential (a Hybrid Identity"
                  + " Administrator); Add-ADSyncAADServiceAccount -AADCredential $cred -Name '"
                  + account
                  + "'.",
              () -> {
                ServerState x = run.server(server).inspectServer(server);
                return x.identityType() == IdentityType.ServiceAccount
                        && account.equalsIgnoreCase(x.serviceAccountName())
                    ? null
                    : server
                        + " reports "
                        + x.identityType()
                        + " "
                        + (x.serviceAccountName() == null ? "" : x.serviceAccountName())
                        + ", not ServiceAccount "
                        + account;
              });
      return new StepRecord(
          "DONE",
          1,
          by,
          facts(st),
          facts(run.server(server).inspectServer(server)),
          "done by an operator (approved by " + approver + ") and verified",
          List.of());
    }
  }

  public StepRecord verifyServiceAccount(String server) {
    ServerState st = run.server(server).inspectServer(server);
    if (st.identityType() != IdentityType.ServiceAccount) {
      throw precondition(
          server + " reports " + st.identityType() + " after the revert, not ServiceAccount");
    }
    int polls = run.waits.signIn(server, "the new service account on " + server + " to sign in");
    return StepRecord.done(
        polls,
        java.util.Map.of(),
        facts(st),
        "ServiceAccount "
            + st.serviceAccountName()
            + " signs in"
            + (polls > 1 ? " after " + (polls - 1) + " propagation waits" : ""));
  }

  public StepRecord rotate(PlannedStep s) {
    String server = s.target();
    ServerState st = run.server(server).inspectServer(server);
    if (st.identityType() != IdentityType.Application) {
      return StepRecord.skipped(facts(st), server + " no longer uses an app: nothing to rotate");
    }
    if (s.executor() != Executor.OPERATOR) {
      StepResult r =
          run.server(server)
              .rotateApplicationCertificate(
                  server, st.certificateId(), approvals.authorization(s.key()));
      int polls = run.waits.signIn(server, server + " to sign in with its rotated certificate");
      return StepRecord.of(r).plusPolls(polls - 1);
    }
    String before = st.certificateId();
    String by =
        operator(
            s,
            "On "
                + server
                + ", start the Microsoft Entra Connect wizard, choose 'Rotate application"
                + " certificate' and complete every page.",
            () -> {
              ServerState x = run.server(server).inspectServer(server);
              return x.identityType() == IdentityType.Application
                      && x.certificateId() != null
                      && !x.certificateId().equalsIgnoreCase(before)
                  ? null
                  : server
                      + " still uses certificate "
                      + x.certificateId()
                      + ": the rotation has not happened";
            });
    int polls = run.waits.signIn(server, server + " to sign in with its rotated certificate");
    return new StepRecord(
        "DONE",
        polls,
        by,
        facts(st),
        facts(run.server(server).inspectServer(server)),
        "certificate rotated by an operator and verified",
        List.of());
  }

  public StepRecord configure(PlannedStep s) {
    String server = s.target();
    if (s.executor() != Executor.OPERATOR) {
      return StepRecord.of(
          run.server(server)
              .configureApplicationAuthentication(
                  server, new ArrayList<>(run.retiredAppIds), approvals.authorization(s.key())));
    }
    ServerState before = run.server(server).inspectServer(server);
    String by =
        operator(
            s,
            "On "
                + server
                + ", start the Microsoft Entra Connect wizard, choose 'Configure"
                + " application-based authentication' and complete it: it registers a new app for "
                + server
                + ".",
            () -> {
              ServerState x = run.server(server).inspectServer(server);
              return x.identityType() == IdentityType.Application
                      && x.applicationId() != null
                      && !run.retiredAppIds.contains(key(x.applicationId()))
                  ? null
                  : server
                      + " reports "
                      + x.identityType()
                      + (x.applicationId() == null ? "" : " with retired app " + x.applicationId())
                      + ": ABA is not configured with a new app yet";
            });
    return new StepRecord(
        "DONE",
        1,
        by,
        facts(before),
        facts(run.server(server).inspectServer(server)),
        "configured by an operator and verified",
        List.of());
  }

  public StepRecord verifyApplication(String server) {
    ServerState st = run.server(server).inspectServer(server);
    if (st.identityType() != IdentityType.Application
        || run.retiredAppIds.contains(key(st.applicationId()))) {
      throw precondition(
          server
              + " does not use a new app of its own: "
              + st.identityType()
              + " "
              + st.applicationId());
    }
    int polls = run.waits.signIn(server, server + " to sign in with its new app");
    return StepRecord.done(
        polls, java.util.Map.of(), facts(st), "signs in with its own app " + st.applicationId());
  }

  /** Shows a person what to do and waits until they confirm and the effect is verified. */
  private String operator(PlannedStep s, String instructions, Supplier<String> missing) {
    OperatorTask task =
        new OperatorTask(
            s.key(),
            s.step().name(),
            s.target(),
            instructions
                + " Then run: abafix confirm "
                + Workflow.getInfo().getWorkflowId()
                + " --step "
                + s.step()
                + " --server "
                + s.target()
                + " (it signs you in)",
            now());
    String saved = run.waitingFor;
    run.waitingFor = "an operator to do " + s.key() + " and confirm it";
    run.visibility.waiting(
        io.abafix.workflows.visibility.RunVisibility.WAITING_OPERATOR,
        run.waitingFor + ". " + instructions,
        "abafix confirm "
            + Workflow.getInfo().getWorkflowId()
            + " --step "
            + s.step()
            + " --server "
            + s.target());
    try {
      return run.operatorTasks.await(
          task, missing, Duration.ofSeconds(run.request.approvals().timeoutSeconds()));
    } finally {
      run.waitingFor = saved;
      run.visibility.doneWaiting();
    }
  }

  static ApplicationFailure precondition(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.PRECONDITION_FAILED);
  }
}
