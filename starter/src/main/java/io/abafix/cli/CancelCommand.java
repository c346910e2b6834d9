package io.abafix.cli;

import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.model.CancelRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code abafix cancel RUN --reason TEXT}: the run stops, undoes what it must (a step already
 * running on a server finishes first), and ends CANCELED. The reason goes into the audit.
 */
@Command(
    name = "cancel",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix cancel abafix-remediation-contoso.onmicrosoft.com \\",
      "      --reason \"change freeze\" --as alice"
    },
    description = "Cancel a run: it compensates, then ends CANCELED.")
final class CancelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id")
  String run;

  @Option(names = "--reason", required = true, description = "Why, for the audit")
  String reason;

  @Option(names = "--as", description = "Your name, for the audit")
  String by;

  @Override
  public Integer call() {
    if (reason.isBlank()) throw new UserError("say why you cancel (--reason TEXT)");
    WorkflowClient client = temporal.connect();
    if (WorkflowIds.isRemediation(run)) {
      client
          .newWorkflowStub(SharedAppRemediationWorkflow.class, run)
          .explainCancellation(new CancelRequest(reason, by));
    }
    WorkflowStub untyped = client.newUntypedWorkflowStub(run);
    untyped.cancel(reason);
    spec.commandLine()
        .getOut()
        .println(
            "cancellation of "
                + run
                + " requested: it compensates, then ends CANCELED (abafix status "
                + run
                + ")");
    return 0;
  }
}
