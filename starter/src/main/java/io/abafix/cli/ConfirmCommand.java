package io.abafix.cli;

import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.model.ConfirmRequest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code abafix confirm RUN --step S --server X --as NAME}: a person did an operator step. The run
 * verifies the effect on the server before it accepts the confirmation.
 */
@Command(
    name = "confirm",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix confirm abafix-remediation-contoso.onmicrosoft.com --step \\",
      "      CONFIGURE_ABA --server SERVERB --as bob"
    },
    description = "Confirm an operator step you did (the run verifies it on the server first).")
final class ConfirmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id")
  String run;

  @Option(names = "--step", required = true, description = "The step, e.g. CONFIGURE_ABA")
  String step;

  @Option(names = "--server", required = true, description = "The server you did it on")
  String server;

  @Option(names = "--as", required = true, description = "Your name, for the audit")
  String by;

  @Override
  public Integer call() {
    String verified =
        temporal
            .connect()
            .newWorkflowStub(SharedAppRemediationWorkflow.class, run)
            .confirm(new ConfirmRequest(step, server, by));
    spec.commandLine().getOut().println(verified + "; confirmed by " + by);
    return 0;
  }
}
