package io.abafix.worker;

import io.abafix.worker.tenants.TenantsFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
    description =
        "Host the remediation workflows, for every tenant. Polls abafix-orchestrator. With"
            + " --tenants, each tenant's incidents follow the policy the file gives it.")
final class OrchestratorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions temporal;

  @Option(
      names = "--tenants",
      paramLabel = "FILE",
      description =
          "The deployment's tenants file: each tenant's policy (which workflows run unattended,"
              + " who approves) comes from it, not from the watchers; a tenant it does not list"
              + " gets the standard policy (every proposal waits for a person)")
  Path tenantsFile;

  private final Launcher launcher;

  OrchestratorCommand(Launcher launcher) {
    this.launcher = launcher;
  }

  @Override
  public Integer call() {
    TenantsFile tenants = null;
    if (tenantsFile != null) {
      try {
        tenants = TenantsFile.load(tenantsFile);
      } catch (TenantsFile.TenantsFileException e) {
        throw new UserError(e.getMessage());
      }
    }
    TenantsFile policies = tenants;
    return launcher.run(
        temporal, f -> Workers.orchestrator(f, policies), spec.commandLine().getOut());
  }
}
