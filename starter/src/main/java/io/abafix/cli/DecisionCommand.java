package io.abafix.cli;

import io.abafix.workflows.IncidentWorkflow;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.PendingApproval;
import io.temporal.client.WorkflowClient;
import java.util.List;
import java.util.Locale;
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

  @Option(names = "--as", required = true, description = "Your name, for the audit")
  String by;

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
    WorkflowClient client = temporal.connect();
    boolean incident = WorkflowIds.isIncident(run);
    List<PendingApproval> open =
        incident
            ? pendingOf(
                client.newWorkflowStub(IncidentWorkflow.class, run).status().pendingApproval())
            : client
                .newWorkflowStub(SharedAppRemediationWorkflow.class, run)
                .progress()
                .pendingApprovals();
    String bound = digest == null ? digestNow(name, open) : digest;
    ApprovalRequest decision = new ApprovalRequest(name, by, approve(), comment, bound);
    String decided =
        incident
            ? client.newWorkflowStub(IncidentWorkflow.class, run).decide(decision)
            : client.newWorkflowStub(SharedAppRemediationWorkflow.class, run).decide(decision);
    spec.commandLine()
        .getOut()
        .println(
            (approve() ? "approved " : "rejected ")
                + decided
                + " as "
                + by
                + (bound == null
                    ? ""
                    : " (digest " + bound.substring(0, Math.min(12, bound.length())) + ")"));
    return 0;
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

  /** {@code abafix approve RUN --step S --server X --as NAME}. */
  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = "Approve a gate a run waits on (abafix status prints the exact command).")
  static final class Approve extends DecisionCommand {
    @Override
    boolean approve() {
      return true;
    }
  }

  /** {@code abafix reject RUN --step S --server X --as NAME}: the run compensates and stops. */
  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = "Reject a gate a run waits on; the run compensates and stops.")
  static final class Reject extends DecisionCommand {
    @Override
    boolean approve() {
      return false;
    }
  }
}
