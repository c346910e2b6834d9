package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.TaskQueues;
import io.abafix.workflows.incident.Diagnosis;
import io.abafix.workflows.incident.DiagnosisRequest;
import io.abafix.workflows.incident.Finding;
import io.abafix.workflows.incident.FindingKind;
import io.temporal.client.WorkflowOptions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FleetDiagnosisWorkflowTest {
  private LabTemporal t;

  @AfterEach
  void stop() {
    if (t != null) t.close();
  }

  private Diagnosis diagnose(List<String> servers) {
    FleetDiagnosisWorkflow wf =
        t.client()
            .newWorkflowStub(
                FleetDiagnosisWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(WorkflowIds.diagnosis(t.lab.tenantDomain(), "test"))
                    .setTaskQueue(TaskQueues.ORCHESTRATOR)
                    .build());
    return wf.diagnose(new DiagnosisRequest(t.lab.tenantDomain(), servers, 5, 30));
  }

  @Test
  void the_cloned_pair_is_diagnosed_through_the_workers_and_nothing_changes() {
    t = LabTemporal.start("cloned-pair");
    var before = t.lab.snapshot();

    Diagnosis d = diagnose(List.of("SERVERA", "SERVERB"));

    assertEquals(
        List.of("SERVERA", "SERVERB"), d.of(FindingKind.DUPLICATE_MACHINE_ID).get(0).servers());
    assertEquals(before, t.lab.snapshot());
    assertTrue(t.lab.effectCounts().isEmpty(), t.lab.effectCounts().toString());
  }

  @Test
  void a_server_without_a_worker_is_reported_unreachable_and_the_rest_is_diagnosed() {
    t = LabTemporal.start("healthy-fleet");

    Diagnosis d = diagnose(List.of("SERVERA", "SERVERB", "SERVERZ"));

    Finding f = d.of(FindingKind.SERVER_UNREACHABLE).get(0);
    assertEquals(List.of("SERVERZ"), f.servers());
    assertTrue(f.evidence().get(0).contains("abafix-server-serverz"), f.evidence().toString());
    assertEquals(1, d.findings().size(), d.findings().toString());
  }
}
