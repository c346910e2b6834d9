package io.abafix.worker;

import io.abafix.worker.tenants.TenantsFile;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.incident.IncidentRules;
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
    description = {
      "Host the remediation workflows, for every tenant. Polls abafix-orchestrator.",
      "Signs every run's journal with the key in ABAFIX_AUDIT_SIGNING_KEY_FILE"
          + " (abafix keygen --audit-signing).",
      "With --tenants, each tenant's incidents follow the policy the file gives it; without,"
          + " every incident's proposal waits for a person."
    })
final class OrchestratorCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions temporal;

  @Option(
      names = "--tenants",
      paramLabel = "FILE",
      description =
          "The deployment's tenants file: each tenant's policy (which workflows run unattended,"
              + " who approves) comes from it, not from the watchers; a tenant it does not list"
              + " has every proposal wait for a person")
  Path tenantsFile;

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
    IncidentRules rules = IncidentRules.attended();
    if (tenantsFile != null) {
      try {
        rules = TenantsFile.load(tenantsFile).incidentRules();
      } catch (TenantsFile.TenantsFileException e) {
        throw new UserError(e.getMessage());
      }
    }
    IncidentRules incidentRules = rules;
    return launcher.run(
        temporal, f -> Workers.orchestrator(f, signer, incidentRules), spec.commandLine().getOut());
  }
}
