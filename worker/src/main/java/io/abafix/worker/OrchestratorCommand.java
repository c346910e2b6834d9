package io.abafix.worker;

import io.abafix.workflows.audit.AuditSigning;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code abafix-worker orchestrator}: hosts the workflows, anywhere that reaches Temporal. */
@Command(
    name = "orchestrator",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix-worker orchestrator --address temporal.contoso.com:7233 \\",
      "      --log-format json"
    },
    description = {
      "Host the remediation workflows. Polls abafix-orchestrator.",
      "Signs every run's journal with the key in ABAFIX_AUDIT_SIGNING_KEY_FILE"
          + " (abafix keygen --audit-signing)."
    })
final class OrchestratorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions temporal;

  private final Launcher launcher;
  private final LocalMachine machine;

  OrchestratorCommand(Launcher launcher, LocalMachine machine) {
    this.launcher = launcher;
    this.machine = machine;
  }

  @Override
  public Integer call() {
    AuditSigning signer;
    try {
      signer = AuditSigning.fromEnvironment(machine::env);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    return launcher.run(
        temporal, f -> Workers.orchestrator(f, signer), spec.commandLine().getOut());
  }
}
