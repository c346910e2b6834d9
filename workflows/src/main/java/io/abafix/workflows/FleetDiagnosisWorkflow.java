package io.abafix.workflows;

import io.abafix.workflows.incident.Diagnosis;
import io.abafix.workflows.incident.DiagnosisRequest;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Diagnoses a fleet on demand ({@code abafix diagnose --tenant}): reads every server through its
 * worker and the directory through the directory worker, and returns what {@link
 * io.abafix.workflows.incident.Diagnoser} finds. Changes nothing. A short-lived workflow because
 * only the per-server workers can reach the servers.
 */
@WorkflowInterface
public interface FleetDiagnosisWorkflow {
  @WorkflowMethod
  Diagnosis diagnose(DiagnosisRequest request);
}
