package io.abafix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.model.ServerNames;
import io.abafix.workflows.FleetDiagnosisWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.incident.Diagnoser;
import io.abafix.workflows.incident.Diagnosis;
import io.abafix.workflows.incident.DiagnosisRequest;
import io.abafix.workflows.incident.Finding;
import io.abafix.workflows.visibility.RunDescriptions;
import io.abafix.workflows.visibility.SearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix diagnose}: the incident workflow's diagnosis, on demand. Prints each finding with
 * its evidence and the recommended action. Changes nothing.
 *
 * <p>Against the lab ({@code --scenario}) it runs in this process, reading the simulated servers
 * and tenant through the production adapters. Against a fleet ({@code --tenant} and {@code
 * --server}) it runs the short-lived {@code FleetDiagnosisWorkflow} on a running Temporal, because
 * only each server's worker can read that server.
 *
 * <p>Exit codes: 0 when the diagnosis ran, whatever it found; with {@code --fail-on-findings}, 5
 * when it found something. Otherwise as every command: 2 bad input, 4 Temporal unreachable.
 */
@Command(
    name = "diagnose",
    mixinStandardHelpOptions = true,
    description = "Diagnose a fleet: findings, their evidence, and what to do. Changes nothing.")
final class DiagnoseCommand implements Callable<Integer> {
  /** Exit code with {@code --fail-on-findings} when the diagnosis found something. */
  static final int FINDINGS = 5;

  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(
        names = "--scenario",
        description = "Diagnose the lab in this process: a scenario file or a shipped scenario")
    String scenario;

    @ArgGroup(exclusive = false)
    Fleet fleet;
  }

  static final class Fleet {
    @Option(names = "--tenant", required = true, description = "Tenant domain")
    String tenant;

    @Option(names = "--server", required = true, description = "An Entra Connect server (repeat)")
    List<String> servers;
  }

  @Option(names = "--json", description = "Print the diagnosis as one JSON object")
  boolean json;

  @Option(
      names = "--fail-on-findings",
      description = "Exit with " + FINDINGS + " when something was found (default: exit 0)")
  boolean failOnFindings;

  @Option(
      names = "--expiry-warning-days",
      defaultValue = "30",
      description =
          "A certificate expiring within this many days is a finding (default ${DEFAULT-VALUE})")
  int expiryWarningDays;

  @Option(
      names = "--worker-wait-seconds",
      defaultValue = "60",
      description =
          "With --tenant: how long to wait for each server's worker (default ${DEFAULT-VALUE})")
  long workerWaitSeconds;

  @Override
  public Integer call() throws Exception {
    Diagnosis diagnosis =
        target.scenario != null ? inLab(target.scenario) : onTemporal(target.fleet);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(json(diagnosis));
    } else {
      render(diagnosis).forEach(out::println);
    }
    out.flush();
    return failOnFindings && !diagnosis.healthy() ? FINDINGS : 0;
  }

  private Diagnosis inLab(String scenario) {
    return Diagnoser.diagnose(
        LabFleet.throughAdapters(ScenarioLoader.load(scenario)),
        System.currentTimeMillis(),
        expiryWarningDays);
  }

  private Diagnosis onTemporal(Fleet fleet) {
    try {
      ServerNames.checkFleet(fleet.servers);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    String id = WorkflowIds.diagnosis(fleet.tenant, UUID.randomUUID().toString().substring(0, 8));
    WorkflowClient client = temporal.connect();
    FleetDiagnosisWorkflow wf =
        client.newWorkflowStub(
            FleetDiagnosisWorkflow.class,
            RunDescriptions.diagnosis(
                    id, fleet.tenant, fleet.servers, SearchAttributes.registeredOn(client))
                .applyTo(WorkflowOptions.newBuilder())
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    return wf.diagnose(
        new DiagnosisRequest(fleet.tenant, fleet.servers, workerWaitSeconds, expiryWarningDays));
  }

  static List<String> render(Diagnosis d) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "diagnosis of "
            + d.tenant()
            + " ("
            + String.join(", ", d.servers())
            + "): "
            + (d.healthy() ? "nothing to fix" : d.findings().size() + " finding(s)"));
    for (Finding f : d.findings()) {
      lines.add("");
      lines.add(
          String.format("  %-7s %-38s %s", f.severity(), f.kind(), String.join(", ", f.servers())));
      lines.add("    " + f.summary());
      f.evidence().forEach(e -> lines.add("    evidence: " + e));
      lines.add("    recommended: " + f.recommendation());
    }
    return lines;
  }

  static String json(Diagnosis d) throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("tenant", d.tenant());
    m.put("servers", d.servers());
    m.put("healthy", d.healthy());
    m.put("findings", d.findings());
    return new ObjectMapper().writeValueAsString(m);
  }
}
