package io.abafix.cli;

import io.abafix.lab.Lab;
import io.abafix.lab.LabSyncServerHost;
import io.abafix.workflows.model.OperatorTask;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.function.Function;

/**
 * The demo's person at the servers' consoles. A real run leaves the wizard steps (rotate the
 * certificate, configure ABA) and the revert to a person; so does the demo, unless {@code --fast}.
 * For each operator step it prints what the run asks and the exact {@code abafix confirm} a person
 * would type, takes a moment as a person would, does the step in the lab as the wizard or the
 * cmdlet would, and confirms it signed in as that person.
 */
final class DemoOperator {
  private final Lab lab;
  private final WorkflowClient client;
  private final String workflowId;
  private final AutoApprover person;
  private final Function<String, String> credentialReferenceOf;
  private final PrintWriter out;
  private final Duration pause;

  DemoOperator(
      Lab lab,
      WorkflowClient client,
      String workflowId,
      AutoApprover person,
      Function<String, String> credentialReferenceOf,
      PrintWriter out,
      Duration pause) {
    this.lab = lab;
    this.client = client;
    this.workflowId = workflowId;
    this.person = person;
    this.credentialReferenceOf = credentialReferenceOf;
    this.out = out;
    this.pause = pause;
  }

  void perform(OperatorTask task) {
    out.println("  operator step " + task.gate() + ": " + task.instructions());
    out.println(
        "    "
            + person.user()
            + " does it at "
            + task.server()
            + "'s console, then: abafix confirm "
            + workflowId
            + " --step "
            + task.step()
            + " --server "
            + task.server());
    out.flush();
    sleep(pause);
    LabSyncServerHost host = lab.host(task.server());
    switch (task.step()) {
      case "ROTATE_CERTIFICATE" -> host.rotateApplicationCertificate();
      case "CONFIGURE_ABA" -> host.configureApplicationAuthentication();
      case "REVERT_TO_SERVICE_ACCOUNT" ->
          host.revertToServiceAccount(
              "Sync_" + task.server() + "_" + host.inspect().machineIdPrefix(),
              credentialReferenceOf.apply(task.server()));
      default -> throw new IllegalStateException("the demo's operator cannot do " + task.step());
    }
    // The confirmation's own lines (sign-in prompts) are the person's, not the run's.
    StringWriter quiet = new StringWriter();
    String verified =
        ConfirmCommand.confirm(
            client,
            workflowId,
            task.step(),
            task.server(),
            person.user(),
            person.signer(),
            new PrintWriter(quiet));
    out.println("    " + verified + ", confirmed by " + person.user());
    out.flush();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
