package io.abafix.worker.watch;

import io.abafix.activities.TaskQueues;
import io.abafix.workflows.IncidentWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentReport;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;

/**
 * Reports to the tenant's {@link IncidentWorkflow} by signal-with-start: the first report of an
 * incident starts it with {@code config}, later ones only signal the running one, so however many
 * servers report, the tenant has one incident at a time.
 */
public final class TemporalIncidentReporter implements IncidentReporter {
  private final WorkflowClient client;
  private final IncidentConfig config;

  public TemporalIncidentReporter(WorkflowClient client, IncidentConfig config) {
    this.client = client;
    this.config = config;
  }

  @Override
  public void report(IncidentReport report) {
    signalWithStart(report);
  }

  /** Sends the report; returns the incident run it joined or started. */
  public WorkflowExecution signalWithStart(IncidentReport report) {
    IncidentWorkflow incident =
        client.newWorkflowStub(
            IncidentWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.incident(config.tenant()))
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(incident::handle, config);
    request.add(incident::report, report);
    return client.signalWithStart(request);
  }
}
