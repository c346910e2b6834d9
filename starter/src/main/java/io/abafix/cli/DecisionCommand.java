package io.abafix.cli;

import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.model.ApprovalRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** What {@code approve} and {@code reject} share: both answer the pending destructive step. */
abstract class DecisionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id")
  String run;

  @Option(names = "--as", required = true, description = "Your name, for the audit")
  String by;

  @Option(
      names = "--step",
      description =
          "The step you decide on, e.g. DELETE_APPLICATIONS@directory (default: the pending one)")
  String gate;

  @Option(names = "--comment", description = "Why, for the audit")
  String comment;

  abstract boolean approve();

  @Override
  public Integer call() {
    SharedAppRemediationWorkflow wf =
        temporal.connect().newWorkflowStub(SharedAppRemediationWorkflow.class, run);
    String decided = wf.decide(new ApprovalRequest(gate, by, approve(), comment));
    spec.commandLine()
        .getOut()
        .println((approve() ? "approved " : "rejected ") + decided + " as " + by);
    return 0;
  }

  /** {@code abafix approve RUN --as NAME}. */
  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExample:%n",
      footer = {"  abafix approve abafix-remediation-contoso.onmicrosoft.com --as alice"},
      description = "Approve the destructive step a run waits on.")
  static final class Approve extends DecisionCommand {
    @Override
    boolean approve() {
      return true;
    }
  }

  /** {@code abafix reject RUN --as NAME}: the run compensates and stops. */
  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExample:%n",
      footer = {
        "  abafix reject abafix-remediation-contoso.onmicrosoft.com --as alice \\",
        "      --comment \"not during the change freeze\""
      },
      description = "Reject the destructive step a run waits on; the run compensates and stops.")
  static final class Reject extends DecisionCommand {
    @Override
    boolean approve() {
      return false;
    }
  }
}
