package io.abafix.worker;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code abafix-worker orchestrator}: hosts the workflows, anywhere that reaches Temporal. */
@Command(
    name = "orchestrator",
    mixinStandardHelpOptions = true,
    description = "Host the remediation workflows. Polls abafix-orchestrator.")
final class OrchestratorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions temporal;

  private final Launcher launcher;

  OrchestratorCommand(Launcher launcher) {
    this.launcher = launcher;
  }

  @Override
  public Integer call() {
    return launcher.run(temporal, Workers::orchestrator, spec.commandLine().getOut());
  }
}
