package io.abafix.cli;

import io.abafix.activities.TaskQueues;
import io.abafix.workflows.visibility.RunDescriptions;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowOptions;

/** How the CLI starts a run that must be the only one under its id (per tenant, per server). */
final class RunOptions {
  private RunOptions() {}

  /**
   * On the orchestrator's queue; a start while a run with this id is open fails. The run carries
   * {@code description}'s summary, details and (where registered) search attributes.
   */
  static WorkflowOptions oneAtATime(String workflowId, RunDescriptions description) {
    return description
        .applyTo(WorkflowOptions.newBuilder())
        .setWorkflowId(workflowId)
        .setTaskQueue(TaskQueues.ORCHESTRATOR)
        .setWorkflowIdConflictPolicy(WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
        .build();
  }
}
