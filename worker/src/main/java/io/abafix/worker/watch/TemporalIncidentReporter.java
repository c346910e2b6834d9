package io.abafix.worker.watch;

import io.abafix.activities.TaskQueues;
import io.abafix.workflows.IncidentWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentReport;
import io.abafix.workflows.visibility.RunDescriptions;
import io.abafix.workflows.visibility.SearchAttributes;
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
  private Boolean indexed;

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
            RunDescriptions.incident(
                    WorkflowIds.incident(config.tenant()),
                    config.tenant(),
                    config.servers(),
                    indexed())
                .applyTo(WorkflowOptions.newBuilder())
                .setWorkflowId(WorkflowIds.incident(config.tenant()))
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(incident::handle, config);
    request.add(incident::report, report);
    return client.signalWithStart(request);
  }

  /**
   * Whether the cluster has abafix's search attributes, asked once: a watcher reports for weeks,
   * and {@code abafix setup} runs before the workers are deployed.
   */
  private synchronized boolean indexed() {
    if (indexed == null) indexed = SearchAttributes.registeredOn(client);
    return indexed;
  }
}
