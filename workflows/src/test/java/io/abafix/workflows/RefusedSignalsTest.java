package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.abafix.lab.LabSnapshot;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentPolicy;
import io.abafix.workflows.incident.IncidentReport;
import io.abafix.workflows.incident.IncidentState;
import io.abafix.workflows.incident.IncidentStatus;
import io.abafix.workflows.incident.TenantRules;
import io.abafix.workflows.model.CancelRequest;
import io.abafix.workflows.model.Timings;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.failure.CanceledFailure;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every signal the workflows accept ({@code explainCancellation}, {@code report}), sent with a
 * payload the codec refuses (plain text, as {@code temporal workflow signal --input} sends it;
 * encrypted under another key, by id or under the same id), is dropped: the run answers its
 * queries, takes the signals that follow, and a cancellation still compensates.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
@Timeout(120)
class RefusedSignalsTest {
  private final AesGcmPayloadCodec codec = PayloadEncryption.ephemeral();

  /** Clients on the same cluster whose payloads the workers' codec refuses. */
  private static List<WorkflowClient> forgers(WorkflowServiceStubs service) {
    AesGcmPayloadCodec otherId =
        new AesGcmPayloadCodec("other", Map.of("other", new SecretKeySpec(new byte[32], "AES")));
    return List.of(
        WorkflowClient.newInstance(service, WorkflowClientOptions.newBuilder().build()),
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setDataConverter(PayloadEncryption.dataConverter(PayloadEncryption.ephemeral()))
                .build()),
        WorkflowClient.newInstance(
            service,
            WorkflowClientOptions.newBuilder()
                .setDataConverter(PayloadEncryption.dataConverter(otherId))
                .build()));
  }

  @Test
  void a_cancellation_reason_the_codec_refuses_is_dropped_and_a_cancellation_still_compensates() {
    try (LabHarness h =
        LabHarness.builder(LabHarness.scenario("seed-pair")).encryptedWith(codec).start()) {
      LabSnapshot before = h.lab.snapshot();
      LabHarness.Run run = h.start(h.request());
      SharedAppRemediationWorkflowTest.awaitGate(run);
      String id = WorkflowIds.remediation(h.lab.tenantDomain());

      for (WorkflowClient forger : forgers(h.env.getWorkflowServiceStubs())) {
        forger
            .newWorkflowStub(SharedAppRemediationWorkflow.class, id)
            .explainCancellation(new CancelRequest("forged", "mallory"));
        run.waitAWhile();
        assertNotNull(run.stub.progress().pendingApproval(), "the run answers and still waits");
      }
      run.cancel("change freeze");
      LabHarness.Finished finished = run.drive(LabHarness.Operator.nobody());

      assertInstanceOf(CanceledFailure.class, finished.failed().getCause());
      assertEquals(before, h.lab.snapshot(), "compensated: nothing changed");
      List<AuditEntry> reasons =
          finished.audit().stream().filter(e -> e.step().equals("CANCEL_REQUESTED")).toList();
      assertEquals(1, reasons.size(), "only the genuine reason: " + reasons);
      assertEquals("change freeze", reasons.get(0).detail());
    }
  }

  @Test
  void a_report_the_codec_refuses_is_dropped_and_the_incident_takes_the_next_one() {
    try (LabTemporal t = LabTemporal.start("seed-pair", codec)) {
      String tenant = t.lab.tenantDomain();
      t.incidentRules.put(tenant, TenantRules.attended());
      IncidentWorkflow incident =
          t.client()
              .newWorkflowStub(
                  IncidentWorkflow.class, HistoryRecorder.options(WorkflowIds.incident(tenant)));
      BatchRequest start = t.client().newSignalWithStartRequest();
      start.add(
          incident::handle,
          new IncidentConfig(
              tenant,
              t.lab.serverNames(),
              LabHarness.CREDENTIAL,
              Map.of(),
              new IncidentPolicy(Set.of(), 30, 3600, false, 30, 0),
              new Timings(120, 1, 120, 30),
              List.of(),
              null));
      start.add(incident::report, Recordings.report(tenant, "SERVERB", 1));
      t.client().signalWithStart(start);

      IncidentWorkflow running =
          t.client().newWorkflowStub(IncidentWorkflow.class, WorkflowIds.incident(tenant));
      long recordId = 2;
      for (WorkflowClient forger : forgers(t.env.getWorkflowServiceStubs())) {
        forger
            .newWorkflowStub(IncidentWorkflow.class, WorkflowIds.incident(tenant))
            .report(Recordings.report(tenant, "SERVERA", recordId++));
        assertEquals(IncidentState.COLLECTING, running.status().state(), "it answers");
      }
      running.report(Recordings.report(tenant, "SERVERA", recordId));

      IncidentStatus waiting = null;
      for (int i = 0; i < 400; i++) {
        waiting = running.status();
        if (waiting.state() == IncidentState.AWAITING_APPROVAL) break;
        t.env.sleep(Duration.ofSeconds(1));
      }
      assertEquals(IncidentState.AWAITING_APPROVAL, waiting.state(), waiting.toString());
      assertEquals(
          List.of("SERVERB", "SERVERA"),
          waiting.reports().stream().map(IncidentReport::server).toList(),
          "the genuine reports, and none of the forged: " + waiting.reports());
    }
  }
}
