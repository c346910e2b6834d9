package io.abafix.workflows;

import io.abafix.workflows.capture.CaptureRequest;
import io.abafix.workflows.capture.FleetCapture;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Captures a fleet for a rehearsal: asks each server's worker for the raw answers of its read-only
 * scripts, and the directory worker for the provisioning apps and the connector accounts' roles.
 * Changes nothing anywhere.
 */
@WorkflowInterface
public interface FleetCaptureWorkflow {
  @WorkflowMethod
  FleetCapture capture(CaptureRequest request);
}
