package io.abafix.cli.bench;

import io.abafix.activities.SyncServerActivitiesImpl;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.worker.TemporalConnection;
import io.abafix.worker.Workers;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.visibility.RunDescriptions;
import io.abafix.workflows.visibility.SearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * abafix as the demo deploys it, in this process, against a Temporal server that is already up: the
 * orchestrator, the directory worker and one worker per lab server, wired by {@link Workers} to the
 * production PowerShell and Graph adapters over the lab, with payload encryption on.
 */
final class LabDeployment implements AutoCloseable {
  private final LabAdapters adapters;
  private final WorkflowClient client;
  private final WorkerFactory factory;

  LabDeployment(Lab lab, String address) {
    this(lab, address, false, 0);
  }

  /**
   * @param onePollerPerServer whether each lab server's worker polls with one poller instead of the
   *     SDK's default five: with hundreds of simulated servers in this one process, their idle
   *     pollers (thousands of threads) would cost more than the deployment under test; a real
   *     server's worker polls from that server
   * @param graphPageSize how many apps a page of the lab's Graph listing holds; 0 for the lab's
   *     default
   */
  LabDeployment(Lab lab, String address, boolean onePollerPerServer, int graphPageSize) {
    this.adapters =
        graphPageSize > 0 ? LabAdapters.start(lab, graphPageSize) : LabAdapters.start(lab);
    this.client = TemporalConnection.at(address, PayloadEncryption.ephemeral());
    this.factory = Workers.factory(client);
    Workers.orchestrator(factory);
    Workers.directory(factory, adapters.directory());
    for (SyncServerHost host : adapters.hosts()) {
      if (onePollerPerServer) {
        factory
            .newWorker(
                TaskQueues.forServer(host.serverName()),
                WorkerOptions.newBuilder().setMaxConcurrentActivityTaskPollers(1).build())
            .registerActivitiesImplementations(new SyncServerActivitiesImpl(host));
      } else {
        Workers.server(factory, host);
      }
    }
    factory.start();
  }

  WorkflowClient client() {
    return client;
  }

  /** Starts a remediation under {@code workflowId} (unique per run, so runs can overlap). */
  CompletableFuture<RemediationResult> start(String workflowId, RemediationRequest request) {
    return start(client, workflowId, request);
  }

  /** The same through any client of the deployment's Temporal. */
  static CompletableFuture<RemediationResult> start(
      WorkflowClient client, String workflowId, RemediationRequest request) {
    WorkflowOptions options =
        RunDescriptions.remediation(
                workflowId,
                request.tenant(),
                request.servers(),
                SearchAttributes.registeredOn(client))
            .applyTo(WorkflowOptions.newBuilder())
            .setWorkflowId(workflowId)
            .setTaskQueue(TaskQueues.ORCHESTRATOR)
            .build();
    SharedAppRemediationWorkflow run =
        client.newWorkflowStub(SharedAppRemediationWorkflow.class, options);
    WorkflowClient.start(run::remediate, request);
    return WorkflowStub.fromTyped(run).getResultAsync(RemediationResult.class);
  }

  /** The result, which must be a success: a failed run measures nothing. */
  static RemediationResult succeeded(RemediationResult result, String what) {
    if (result.outcome() != Outcome.SUCCEEDED) {
      throw new IllegalStateException(
          what + " ended " + result.outcome() + ": " + result.message());
    }
    return result;
  }

  @Override
  public void close() {
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    client.getWorkflowServiceStubs().shutdownNow();
    client.getWorkflowServiceStubs().awaitTermination(10, TimeUnit.SECONDS);
    adapters.close();
  }
}
