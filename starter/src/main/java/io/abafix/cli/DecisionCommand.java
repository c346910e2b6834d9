package io.abafix.cli;

import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.workflows.IncidentWorkflow;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.DecisionScope;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.plan.PlanDigest;
import io.temporal.client.WorkflowClient;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * What {@code approve} and {@code reject} share: both settle one named gate of a run (or, with
 * {@code --gate PLAN}, every gate it waits on), bound to the digest of what the person looked at.
 */
abstract class DecisionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id")
  String run;

  @Option(
      names = "--as",
      paramLabel = "UPN",
      description =
          "Who you sign in as (a hint for the sign-in page, and a label); the decision names"
              + " whoever actually signs in")
  String by;

  @Mixin SignInOptions signIn;

  @Option(names = "--step", description = "The step you decide on, e.g. DELETE_APPLICATIONS")
  String step;

  @Option(names = "--server", description = "Its server (directory for directory steps)")
  String server;

  @Option(
      names = "--gate",
      description = "The gate by name instead: STEP@SERVER, PLAN (every open gate) or PROPOSAL")
  String gate;

  @Option(
      names = "--digest",
      description =
          "The digest abafix status showed for the gate (12 or more characters); without it, the"
              + " gate's digest now, which is printed")
  String digest;

  @Option(names = "--comment", description = "Why, for the audit")
  String comment;

  abstract boolean approve();

  @Override
  public Integer call() {
    String name = gateName();
    DecisionSigner signer = signIn.signer(spec.commandLine().getErr());
    WorkflowClient client = temporal.connect();
    boolean incident = WorkflowIds.isIncident(run);
    String runId = client.newUntypedWorkflowStub(run).describe().getExecution().getRunId();
    List<PendingApproval> open =
        incident
            ? pendingOf(
                client
                    .newWorkflowStub(IncidentWorkflow.class, run, Optional.of(runId))
                    .status()
                    .pendingApproval())
            : client
                .newWorkflowStub(SharedAppRemediationWorkflow.class, run, Optional.of(runId))
                .progress()
                .pendingApprovals();
    String current = digestNow(name, open);
    if (digest != null && current != null && !PlanDigest.matches(current, digest)) {
      // Sign only what is on the gate now: a digest that differs means the person looked at
      // another plan (or another run), so nothing is signed.
      throw new UserError(
          "the gate "
              + name
              + " of "
              + run
              + " now shows digest "
              + current.substring(0, Math.min(12, current.length()))
              + ", not "
              + digest
              + ": look again (abafix status "
              + run
              + ") and decide on what it shows; nothing was signed");
    }
    String bound = digest == null ? current : digest;
    DecisionBinding binding;
    try {
      binding =
          DecisionScope.binding(
              client.getOptions().getNamespace(),
              run,
              Decisions.chainOf(client, run, runId),
              name,
              open,
              approve());
    } catch (IllegalArgumentException e) {
      throw new UserError(
          run + " has no open gate " + name + (open.isEmpty() ? "" : "; open: " + names(open)));
    }
    var out = spec.commandLine().getOut();
    out.println(
        "sign in to "
            + (approve() ? "approve " : "reject ")
            + binding.gate()
            + " "
            + binding.parameters()
            + " (plan "
            + binding.planDigest().substring(0, Math.min(12, binding.planDigest().length()))
            + ")");
    out.flush();
    String token = signer.sign(binding, by);
    ApprovalRequest decision =
        new ApprovalRequest(
            name,
            by == null ? "" : by,
            approve(),
            comment,
            bound,
            ApprovalProof.of(token, binding));
    String decided =
        incident
            ? client
                .newWorkflowStub(IncidentWorkflow.class, run, Optional.of(runId))
                .decide(decision)
            : client
                .newWorkflowStub(SharedAppRemediationWorkflow.class, run, Optional.of(runId))
                .decide(decision);
    out.println(
        (approve() ? "approved " : "rejected ")
            + decided
            + ", signed in"
            + (bound == null
                ? ""
                : " (digest " + bound.substring(0, Math.min(12, bound.length())) + ")"));
    return 0;
  }

  private static String names(List<PendingApproval> open) {
    return String.join(", ", open.stream().map(PendingApproval::gate).toList());
  }

  private String gateName() {
    if (gate != null && (step != null || server != null)) {
      throw new UserError("name the gate either with --gate or with --step and --server, not both");
    }
    if (gate != null) return gate.trim();
    if (step == null || server == null) {
      throw new UserError(
          "name the gate you decide: --step STEP --server SERVER, or --gate PLAN for every open"
              + " gate (abafix status "
              + run
              + " prints the exact command)");
    }
    return step.trim().toUpperCase(Locale.ROOT) + "@" + server.trim();
  }

  private static String digestNow(String name, List<PendingApproval> open) {
    for (PendingApproval p : open) {
      if (name.equalsIgnoreCase("PLAN")) return p.planDigest();
      if (p.gate().equalsIgnoreCase(name)) return p.digest();
    }
    return null;
  }

  private static List<PendingApproval> pendingOf(PendingApproval p) {
    return p == null ? List.of() : List.of(p);
  }

  /** {@code abafix approve RUN --step S --server X [--as UPN]}. */
  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExample:%n",
      footer = {
        "  abafix approve abafix-remediation-contoso.onmicrosoft.com --step \\",
        "      DELETE_APPLICATIONS --server directory --digest 7e1e71c35e9e"
      },
      description = {
        "Approve a gate a run waits on (abafix status prints the exact command).",
        "You sign in with Entra ID to abafix's app registration: in your browser (authorization"
            + " code with PKCE, on a loopback redirect). There is no device code sign-in: its token"
            + " cannot carry the decision's nonce."
            + " The ID token's nonce binds this run, the gate, the plan and exactly what the step"
            + " will act on; the worker that acts verifies it, your app role (Abafix.Approver) and,"
            + " under two-person, that you are not who started the run."
      })
  static final class Approve extends DecisionCommand {
    @Override
    boolean approve() {
      return true;
    }
  }

  /** {@code abafix reject RUN --step S --server X}: the run compensates and stops. */
  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExample:%n",
      footer = {
        "  abafix reject abafix-remediation-contoso.onmicrosoft.com --gate PLAN \\",
        "      --comment \"not during the change freeze\""
      },
      description = {
        "Reject a gate a run waits on; the run compensates and stops.",
        "You sign in with Entra ID as for approve."
      })
  static final class Reject extends DecisionCommand {
    @Override
    boolean approve() {
      return false;
    }
  }
}
