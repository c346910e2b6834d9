package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.abafix.activities.TaskQueues;
import io.abafix.workflows.incident.Diagnosis;
import io.abafix.workflows.incident.DiagnosisRequest;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentPolicy;
import io.abafix.workflows.incident.IncidentReport;
import io.abafix.workflows.incident.IncidentResult;
import io.abafix.workflows.incident.Remedy;
import io.abafix.workflows.incident.ReportKind;
import io.abafix.workflows.incident.TenantRules;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.RepairRequest;
import io.abafix.workflows.model.RepairResult;
import io.abafix.workflows.model.Timings;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Records the histories that {@link StoredHistoriesReplayTest} replays, into {@code
 * src/test/resources/histories/<workflow type>/<name>.json}. Not part of the normal test run (the
 * name matches no test pattern, and it needs a property); record on purpose, after a deliberate
 * change to a workflow, with:
 *
 * <pre>
 * mvn -pl workflows -am test -Dtest=HistoryRecorder -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dabafix.recordHistories=all            # or a comma-separated list of history names
 * </pre>
 *
 * <p>Each run goes through the production adapters over the lab, on the time-skipping test
 * environment with its default data converter: no payload codec, so the histories replay without a
 * key (and hold nothing secret: the lab's credential references are references).
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@EnabledIfSystemProperty(named = "abafix.recordHistories", matches = ".+")
class HistoryRecorder {
  static final Path HISTORIES = Path.of("src", "test", "resources", "histories");

  /** Every stored history, by the file it is written to. */
  enum History {
    CLONED_PAIR_SUCCEEDED(SharedAppRemediationWorkflow.class, "cloned-pair-succeeded"),
    SEED_PAIR_DELETION_REJECTED(SharedAppRemediationWorkflow.class, "seed-pair-deletion-rejected"),
    SEED_PAIR_AWAITING_APPROVAL(SharedAppRemediationWorkflow.class, "seed-pair-awaiting-approval"),
    OPERATOR_CONFIRMED(SharedAppRemediationWorkflow.class, "seed-pair-operator-confirmed"),
    CANCELLED(SharedAppRemediationWorkflow.class, "seed-pair-cancelled-mid-run"),
    APP_RESTORED(SharedAppRemediationWorkflow.class, "seed-pair-compensation-restores-app"),
    INCIDENT_REMEDIATES(IncidentWorkflow.class, "rotation-breaks-a-remediated"),
    REPAIR_SUCCEEDED(ConnectorParameterRepairWorkflow.class, "blank-parameters-repaired"),
    REPAIR_NOTHING_TO_DO(ConnectorParameterRepairWorkflow.class, "healthy-fleet-nothing-to-do"),
    INCIDENT_RESOLVED(IncidentWorkflow.class, "blank-parameters-resolved"),
    DIAGNOSIS(FleetDiagnosisWorkflow.class, "cloned-pair-diagnosed"),
    CAPTURE(FleetCaptureWorkflow.class, "seed-pair-captured"),
    /** Compensated, its journal in its failure's details (journal-kept). */
    REJECTED_JOURNAL_KEPT(
        SharedAppRemediationWorkflow.class, "seed-pair-deletion-rejected-journal-kept"),
    /** Cancelled, its journal in a record before the end (journal-kept). */
    CANCELLED_JOURNAL_KEPT(SharedAppRemediationWorkflow.class, "seed-pair-cancelled-journal-kept");

    final Class<?> workflow;
    final String name;

    History(Class<?> workflow, String name) {
      this.workflow = workflow;
      this.name = name;
    }

    Path file() {
      return HISTORIES.resolve(workflow.getSimpleName()).resolve(name + ".json");
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(History.class)
  void record(History history) throws IOException {
    String wanted = System.getProperty("abafix.recordHistories");
    if (!wanted.equals("all") && !Arrays.asList(wanted.split(",")).contains(history.name)) return;
    if (Files.exists(history.file())) {
      if (wanted.equals("all")) return;
      throw new IllegalStateException(
          history.file()
              + " exists and stands for runs in flight: remove it first (git rm) if the change is"
              + " deliberately incompatible, and say so under \"Changing a workflow\"");
    }
    String json =
        switch (history) {
          case CLONED_PAIR_SUCCEEDED -> clonedPairSucceeded();
          case SEED_PAIR_DELETION_REJECTED -> seedPairDeletionRejected();
          case SEED_PAIR_AWAITING_APPROVAL -> seedPairAwaitingApproval();
          case OPERATOR_CONFIRMED -> Recordings.operatorConfirmed();
          case CANCELLED -> Recordings.cancelledMidRun();
          case APP_RESTORED -> Recordings.compensationRestoresApp();
          case INCIDENT_REMEDIATES -> Recordings.incidentStartsRemediation();
          case REPAIR_SUCCEEDED -> repair("blank-parameters", Outcome.SUCCEEDED);
          case REPAIR_NOTHING_TO_DO -> repair("healthy-fleet", Outcome.NOTHING_TO_DO);
          case INCIDENT_RESOLVED -> incidentResolved();
          case DIAGNOSIS -> diagnosis();
          case CAPTURE -> capture();
          case REJECTED_JOURNAL_KEPT -> seedPairDeletionRejected();
          case CANCELLED_JOURNAL_KEPT -> Recordings.cancelledMidRun();
        };
    Files.createDirectories(history.file().getParent());
    // A stored history stands for runs in flight: replacing one is a decision made by removing
    // the file (git rm), never a side effect of recording.
    Files.writeString(history.file(), json, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW);
  }

  private static String clonedPairSucceeded() {
    try (LabHarness h = LabHarness.of("cloned-pair")) {
      RemediationResult result = h.runApprovingEverything(h.request()).succeeded();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      return history(h.client, h.lab.tenantDomain());
    }
  }

  private static String seedPairDeletionRejected() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      h.start(h.request())
          .drive(
              p -> {
                boolean delete = p.gate().startsWith("DELETE_APPLICATIONS");
                return new ApprovalRequest(
                    p.gate(),
                    delete ? "bob" : LabHarness.APPROVER,
                    !delete,
                    "not today",
                    p.digest());
              })
          .failed();
      return history(h.client, h.lab.tenantDomain());
    }
  }

  /** Captured while the first gate is pending: the history of a run that is still open. */
  private static String seedPairAwaitingApproval() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run = h.start(h.request());
      SharedAppRemediationWorkflowTest.awaitGate(run);
      String json = history(h.client, h.lab.tenantDomain());
      h.client
          .newUntypedWorkflowStub(WorkflowIds.remediation(h.lab.tenantDomain()))
          .terminate("recorded");
      return json;
    }
  }

  private static String repair(String scenario, Outcome expected) {
    try (LabTemporal t = LabTemporal.start(scenario)) {
      String id = WorkflowIds.repair(t.lab.tenantDomain(), "SERVERA");
      RepairResult r =
          t.client()
              .newWorkflowStub(ConnectorParameterRepairWorkflow.class, options(id))
              .repair(
                  new RepairRequest(
                      t.lab.tenantDomain(),
                      "SERVERA",
                      "gallery",
                      new Timings(60, 1, 60, 30),
                      "recorder"));
      assertEquals(expected, r.outcome(), r.message());
      return t.client().fetchHistory(id).toJson(true);
    }
  }

  /**
   * SERVERA's watcher reports blank parameters; the repair runs unattended; the incident closes.
   */
  private static String incidentResolved() {
    try (LabTemporal t = LabTemporal.start("blank-parameters")) {
      String tenant = t.lab.tenantDomain();
      String id = WorkflowIds.incident(tenant);
      WorkflowClient client = t.client();
      t.incidentRules.put(
          tenant, new TenantRules(Set.of(Remedy.CONNECTOR_PARAMETER_REPAIR), false));
      IncidentWorkflow incident = client.newWorkflowStub(IncidentWorkflow.class, options(id));
      BatchRequest request = client.newSignalWithStartRequest();
      request.add(
          incident::handle,
          new IncidentConfig(
              tenant,
              t.lab.serverNames(),
              LabHarness.CREDENTIAL,
              Map.of(),
              new IncidentPolicy(Set.of(Remedy.CONNECTOR_PARAMETER_REPAIR), 30, 3600, false, 30),
              new Timings(120, 1, 120, 30)));
      request.add(
          incident::report,
          new IncidentReport(
              tenant,
              "SERVERA",
              ReportKind.BLANK_PARAMETERS,
              0,
              0,
              "2026-01-01T00:00:00Z",
              "ApplicationManagedBy, CertificateManagedBy and CertificateId are blank"));
      client.signalWithStart(request);
      IncidentResult result = client.newUntypedWorkflowStub(id).getResult(IncidentResult.class);
      assertEquals(IncidentResult.RESOLVED, result.outcome(), result.message());
      return client.fetchHistory(id).toJson(true);
    }
  }

  private static String diagnosis() {
    try (LabTemporal t = LabTemporal.start("cloned-pair")) {
      String id = WorkflowIds.diagnosis(t.lab.tenantDomain(), "recorded");
      Diagnosis d =
          t.client()
              .newWorkflowStub(FleetDiagnosisWorkflow.class, options(id))
              .diagnose(new DiagnosisRequest(t.lab.tenantDomain(), t.lab.serverNames(), 5, 30));
      assertEquals(List.of("SERVERA", "SERVERB"), d.servers());
      return t.client().fetchHistory(id).toJson(true);
    }
  }

  private static String capture() {
    try (LabTemporal t = LabTemporal.start("seed-pair")) {
      String id = WorkflowIds.capture(t.lab.tenantDomain(), "recorded");
      io.abafix.workflows.capture.FleetCapture c =
          t.client()
              .newWorkflowStub(FleetCaptureWorkflow.class, options(id))
              .capture(
                  new io.abafix.workflows.capture.CaptureRequest(
                      t.lab.tenantDomain(), t.lab.serverNames(), 30));
      assertEquals(2, c.servers().size());
      return t.client().fetchHistory(id).toJson(true);
    }
  }

  static String history(WorkflowClient client, String tenant) {
    return client.fetchHistory(WorkflowIds.remediation(tenant)).toJson(true);
  }

  static WorkflowOptions options(String id) {
    return WorkflowOptions.newBuilder()
        .setWorkflowId(id)
        .setTaskQueue(TaskQueues.ORCHESTRATOR)
        .build();
  }
}
