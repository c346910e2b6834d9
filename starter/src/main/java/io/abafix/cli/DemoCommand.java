package io.abafix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.abafix.lab.Lab;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix demo}: the whole product in one process, against the lab. Starts Temporal's
 * in-memory server, the lab's simulated tenant and servers, and every worker; runs the remediation
 * with approvals granted automatically; prints each step and the final state.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Run the shared-app remediation end to end against the lab, in one process; scenarios"
            + " with an incident flow (rotation-breaks-a, blank-parameters) show the event-driven"
            + " path instead.")
final class DemoCommand implements Callable<Integer> {
  static final String DEMO_APPROVER = "demo (automatic approval)";

  @Spec CommandSpec spec;

  @Option(
      names = "--scenario",
      defaultValue = "seed-pair",
      description =
          "A scenario file, or a shipped one: ${COMPLETION-CANDIDATES} (default ${DEFAULT-VALUE})",
      completionCandidates = ShippedScenarios.class)
  String scenario;

  @Option(
      names = "--audit-out",
      defaultValue = "abafix-audit.jsonl",
      description =
          "Where to write the journal (JSON Lines, hash-chained; default ${DEFAULT-VALUE})")
  Path auditOut;

  @Option(
      names = "--json",
      description = "Print only the final summary, as one JSON object, on stdout")
  boolean json;

  @Option(names = "--dry-run", description = "Preflight and plan only")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    Lab lab = loadLab();
    PrintWriter progress = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    if (Scenario.Demo.INCIDENT.equals(lab.scenario().demoOrDefault().flowOrDefault())) {
      // Watchers notice, the incident workflow proposes: see EventDrivenDemo.
      return new EventDrivenDemo(progress, spec.commandLine().getOut(), lab, auditOut, json).run();
    }
    try (DemoEnvironment env = DemoEnvironment.start(lab)) {
      progress.println(
          "abafix demo: scenario "
              + lab.scenario().name()
              + " ("
              + String.join(", ", lab.serverNames())
              + "), tenant "
              + lab.tenantDomain()
              + ", embedded Temporal at "
              + env.address());
      progress.println("  " + lab.scenario().description());
      WorkflowClient client = env.client();
      String id = RemediateCommand.start(client, request(lab));
      progress.println("  run " + id + "; each step as it happens:");
      Outcome outcome;
      String message;
      try {
        RemediationResult result =
            new RunFollower(client, id, progress, DEMO_APPROVER, Duration.ofMillis(200)).follow();
        outcome = result.outcome();
        message = result.message();
        if (dryRun) Render.plan(result.plan()).forEach(progress::println);
      } catch (WorkflowFailedException e) {
        outcome = Outcome.COMPENSATED;
        message = ErrorHandler.rootMessage(e);
      }
      List<AuditEntry> audit =
          client.newWorkflowStub(SharedAppRemediationWorkflow.class, id).audit();
      AuditExport.write(audit, auditOut);
      LabSnapshot end = lab.snapshot();
      progress.println("outcome: " + outcome + ": " + message);
      progress.println("final state (read from the lab):");
      end.servers()
          .forEach(
              s ->
                  progress.println(
                      String.format(
                          "  %-10s %-15s app %-36s machine id %s  scheduler %s",
                          s.name(),
                          s.identityType(),
                          s.applicationId() == null ? "-" : s.applicationId(),
                          s.machineId(),
                          s.syncCycleEnabled() ? "enabled" : "PAUSED")));
      end.applications()
          .forEach(a -> progress.println("  app " + a.displayName() + "  appId " + a.appId()));
      progress.println("journal: " + audit.size() + " entries written to " + auditOut);
      progress.flush();
      if (json) {
        spec.commandLine().getOut().println(summaryJson(outcome, end));
        spec.commandLine().getOut().flush();
      }
      return outcome == Outcome.SUCCEEDED
              || outcome == Outcome.DRY_RUN
              || outcome == Outcome.NOTHING_TO_DO
          ? 0
          : ErrorHandler.RUN_FAILED;
    }
  }

  private Lab loadLab() {
    Path file = Path.of(scenario);
    try {
      if (Files.isRegularFile(file)) return Lab.loadFile(file, System::currentTimeMillis);
      if (Lab.listScenarioResources().contains(scenario)) {
        return Lab.loadResource(scenario, System::currentTimeMillis);
      }
    } catch (IllegalArgumentException e) {
      throw new UserError("scenario " + scenario + ": " + e.getMessage());
    }
    throw new UserError(
        "no scenario file "
            + scenario
            + ", and no shipped scenario of that name (shipped: "
            + String.join(", ", Lab.listScenarioResources())
            + ")");
  }

  private RemediationRequest request(Lab lab) {
    var first = lab.scenario().servers().get(0);
    String credential =
        first.credentialReferences() == null || first.credentialReferences().isEmpty()
            ? null
            : first.credentialReferences().get(0);
    // Short bounds: the lab's propagation delay is seconds, not the real 15 minutes.
    return new RemediationRequest(
        lab.tenantDomain(),
        lab.serverNames(),
        credential,
        null,
        dryRun,
        new ApprovalPolicy(true, false, 600),
        new Timings(120, 1, 120, 30),
        "demo");
  }

  static String summaryJson(Outcome outcome, LabSnapshot end) throws Exception {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("outcome", outcome.name());
    summary.put(
        "servers",
        end.servers().stream()
            .map(
                s -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("name", s.name());
                  m.put("identityType", String.valueOf(s.identityType()));
                  m.put("applicationId", s.applicationId());
                  m.put("machineId", s.machineId());
                  m.put("syncCycleEnabled", s.syncCycleEnabled());
                  return m;
                })
            .toList());
    summary.put(
        "applications",
        end.applications().stream()
            .map(
                a -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("id", a.id());
                  m.put("appId", a.appId());
                  m.put("displayName", a.displayName());
                  return m;
                })
            .toList());
    return new ObjectMapper()
        .disable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(summary);
  }

  /** Names of the scenarios shipped in the lab, for help and completion. */
  static final class ShippedScenarios implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Lab.listScenarioResources().iterator();
    }
  }
}
