package io.abafix.cli;

import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.internal.Gates;
import io.abafix.workflows.model.ConfirmRequest;
import io.abafix.workflows.model.OperatorTask;
import io.temporal.client.WorkflowClient;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code abafix confirm RUN --step S --server X}: a person did an operator step, and signs in to
 * say so. The run verifies the sign-in and the effect on the server before it accepts the
 * confirmation, and its journal names whom the sign-in proves.
 */
@Command(
    name = "confirm",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix confirm abafix-remediation-contoso.onmicrosoft.com --step \\",
      "      CONFIGURE_ABA --server SERVERB"
    },
    description = {
      "Confirm an operator step you did (the run verifies it on the server first).",
      "You sign in with Entra ID as for approve; the ID token's nonce binds this run and step."
    })
final class ConfirmCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;
  @Mixin SignInOptions signIn;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id")
  String run;

  @Option(names = "--step", required = true, description = "The step, e.g. CONFIGURE_ABA")
  String step;

  @Option(names = "--server", required = true, description = "The server you did it on")
  String server;

  @Option(
      names = "--as",
      paramLabel = "UPN",
      description =
          "Who you sign in as (a hint for the sign-in page, and a label); the journal names"
              + " whoever actually signs in")
  String by;

  @Override
  public Integer call() {
    DecisionSigner signer = signIn.signer(spec.commandLine().getErr());
    WorkflowClient client = temporal.connect();
    var out = spec.commandLine().getOut();
    String verified = confirm(client, run, step, server, by, signer, out);
    out.println(verified + "; confirmed, signed in");
    return 0;
  }

  /**
   * Signs {@code by} in for the open operator step of {@code run} and sends the confirmation.
   *
   * @return what the run verified (the identity the sign-in proves)
   */
  static String confirm(
      WorkflowClient client,
      String run,
      String step,
      String server,
      String by,
      DecisionSigner signer,
      java.io.PrintWriter out) {
    String runId = client.newUntypedWorkflowStub(run).describe().getExecution().getRunId();
    SharedAppRemediationWorkflow stub =
        client.newWorkflowStub(SharedAppRemediationWorkflow.class, run, Optional.of(runId));
    // The run's own spelling of the task's gate, which the signed binding must match exactly.
    OperatorTask open = stub.progress().pendingOperatorStep();
    String gate =
        open != null
                && open.step().equalsIgnoreCase(step.trim())
                && open.server().equalsIgnoreCase(server.trim())
            ? open.gate()
            : Gates.name(step.trim(), server.trim());
    DecisionBinding binding =
        DecisionBinding.confirm(
            client.getOptions().getNamespace(), run, Decisions.chainOf(client, run, runId), gate);
    out.println("sign in to confirm " + binding.gate());
    out.flush();
    String token = signer.sign(binding, by);
    return stub.confirm(
        new ConfirmRequest(step, server, by == null ? "" : by, ApprovalProof.of(token, binding)));
  }
}
