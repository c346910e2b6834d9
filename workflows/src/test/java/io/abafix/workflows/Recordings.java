package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.lab.LabSnapshot;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentPolicy;
import io.abafix.workflows.incident.IncidentReport;
import io.abafix.workflows.incident.IncidentResult;
import io.abafix.workflows.incident.Remedy;
import io.abafix.workflows.incident.ReportKind;
import io.abafix.workflows.incident.TenantRules;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.OperatorTask;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.plan.StepName;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The lab runs behind the newer stored histories; also used by the tests that check them. */
final class Recordings {
  private Recordings() {}

  static RemediationRequest operatorRequest(LabHarness h, List<StepName> operatorSteps) {
    return new RemediationRequest(
        h.lab.tenantDomain(),
        h.lab.serverNames(),
        LabHarness.CREDENTIAL,
        null,
        false,
        new ApprovalPolicy(true, false, 3600),
        Timings.standard(),
        LabHarness.REQUESTER,
        operatorSteps);
  }

  /** Both ABA configurations done by a person in the wizard and confirmed. */
  static String operatorConfirmed() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run = h.start(operatorRequest(h, List.of(StepName.CONFIGURE_ABA)));
      for (String server : List.of("SERVERB", "SERVERA")) {
        run.driveUntil(
            LabHarness.Operator.approvingAs(LabHarness.APPROVER),
            () -> run.stub.progress().pendingOperatorStep() != null);
        OperatorTask task = run.stub.progress().pendingOperatorStep();
        assertEquals("CONFIGURE_ABA@" + server, task.gate());
        h.lab.host(server).configureApplicationAuthentication();
        run.confirmAs("carol", "CONFIGURE_ABA", server);
      }
      var done = run.drive(LabHarness.Operator.approvingAs(LabHarness.APPROVER)).succeeded();
      assertEquals(Outcome.SUCCEEDED, done.outcome(), done.message());
      return HistoryRecorder.history(h.client, h.lab.tenantDomain());
    }
  }

  /** Cancelled once SERVERA is paused and reverted; compensation resumes it. */
  static String cancelledMidRun() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run = h.start(h.request());
      run.driveUntil(
          LabHarness.Operator.approvingAs(LabHarness.APPROVER),
          () -> "VERIFY_SERVICE_ACCOUNT@SERVERA".equals(run.stub.progress().current()));
      run.cancel("change freeze");
      var failure = run.drive(LabHarness.Operator.nobody()).failed();
      assertTrue(failure.getCause() instanceof CanceledFailure, String.valueOf(failure.getCause()));
      return HistoryRecorder.history(h.client, h.lab.tenantDomain());
    }
  }

  /**
   * The apps are deleted; while CONFIGURE_ABA@SERVERB waits for its operator, someone points
   * SERVERA back at the deleted shared app (a restored backup of its configuration); nobody
   * confirms, so the run compensates and restores the app SERVERA depends on.
   */
  static String compensationRestoresApp() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabSnapshot before = h.lab.snapshot();
      String sharedAppId = before.server("SERVERA").applicationId();
      LabHarness.Run run = h.start(operatorRequest(h, List.of(StepName.CONFIGURE_ABA)));
      run.driveUntil(
          LabHarness.Operator.approvingAs(LabHarness.APPROVER),
          () -> run.stub.progress().pendingOperatorStep() != null);
      h.lab.reconnectToApplicationOutOfBand("SERVERA", sharedAppId);
      var finished = run.drive(LabHarness.Operator.nobody());
      finished.failed();
      assertTrue(
          finished.audit().stream()
              .anyMatch(
                  e -> e.step().equals("RESTORE_APPLICATION") && e.outcome().equals("COMPENSATED")),
          "the app was restored: " + finished.audit());
      assertTrue(h.lab.snapshot().applicationByAppId(sharedAppId).isPresent());
      return HistoryRecorder.history(h.client, h.lab.tenantDomain());
    }
  }

  /** SERVERB's watcher reports AADSTS700027; the remediation runs unattended as a child. */
  static String incidentStartsRemediation() {
    try (LabTemporal t = LabTemporal.start("seed-pair")) {
      String tenant = t.lab.tenantDomain();
      String id = WorkflowIds.incident(tenant);
      WorkflowClient client = t.client();
      t.incidentRules.put(tenant, new TenantRules(Set.of(Remedy.SHARED_APP_REMEDIATION), false));
      IncidentWorkflow incident =
          client.newWorkflowStub(IncidentWorkflow.class, HistoryRecorder.options(id));
      BatchRequest request = client.newSignalWithStartRequest();
      request.add(
          incident::handle,
          new IncidentConfig(
              tenant,
              t.lab.serverNames(),
              LabHarness.CREDENTIAL,
              Map.of(),
              new IncidentPolicy(Set.of(Remedy.SHARED_APP_REMEDIATION), 30, 3600, false, 30),
              new Timings(120, 1, 120, 30),
              List.of(),
              null));
      request.add(incident::report, report(tenant, "SERVERB", 4711));
      client.signalWithStart(request);
      IncidentResult result = client.newUntypedWorkflowStub(id).getResult(IncidentResult.class);
      assertEquals(IncidentResult.RESOLVED, result.outcome(), result.message());
      assertEquals(1, result.children().size());
      return client.fetchHistory(id).toJson(true);
    }
  }

  static IncidentReport report(String tenant, String server, long recordId) {
    return new IncidentReport(
        tenant,
        server,
        ReportKind.SHARED_APP_CONFLICT,
        recordId,
        906,
        "2026-01-01T00:00:00Z",
        "AADSTS700027: Client assertion contains an invalid signature.");
  }

  static Duration poll() {
    return Duration.ofSeconds(30);
  }
}
