package io.abafix.cli;

import io.abafix.workflows.model.PendingApproval;
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

  @Option(
      names = "--as",
      paramLabel = "UPN",
      description =
          "Who you sign in as (a hint for the sign-in page, and a label); the decision names"
              + " whoever actually signs in")
  String by;

  @Mixin SignInOptions signIn;

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
    DecisionSigner signer = signIn.signer(spec.commandLine().getErr());
    Decisions.Pinned pinned = Decisions.pin(temporal.connect(), run);
    PendingApproval pending = pinned.stub().progress().pendingApproval();
    if (pending == null) {
      throw new UserError("nothing in " + run + " is waiting for approval");
    }
    if (gate != null && !gate.equals(pending.gate())) {
      throw new UserError("the decision waiting is " + pending.gate() + ", not " + gate);
    }
    var out = spec.commandLine().getOut();
    out.println(
        "sign in to "
            + (approve() ? "approve " : "reject ")
            + pending.gate()
            + " "
            + pending.parameters()
            + " (plan "
            + pending.planDigest()
            + ")");
    out.flush();
    String decided = pinned.decide(pending, approve(), by, comment, signer);
    out.println((approve() ? "approved " : "rejected ") + decided + ", signed in");
    return 0;
  }

  /** {@code abafix approve RUN [--as UPN] [--device-code]}. */
  @Command(
      name = "approve",
      mixinStandardHelpOptions = true,
      description = {
        "Approve the destructive step a run waits on.",
        "You sign in with Entra ID (your browser, or --device-code) to abafix's app registration;"
            + " the ID token's nonce binds this run, this step, the plan and exactly what the step"
            + " acts on, and the worker that acts checks it, your app role (Abafix.Approver) and,"
            + " under two-person, that you did not start the run."
      })
  static final class Approve extends DecisionCommand {
    @Override
    boolean approve() {
      return true;
    }
  }

  /** {@code abafix reject RUN}: the run compensates and stops. */
  @Command(
      name = "reject",
      mixinStandardHelpOptions = true,
      description = {
        "Reject the destructive step a run waits on; the run compensates and stops.",
        "You sign in with Entra ID as for approve."
      })
  static final class Reject extends DecisionCommand {
    @Override
    boolean approve() {
      return false;
    }
  }
}
