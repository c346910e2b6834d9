package io.abafix.cli.bench;

import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.cli.LabApprover;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.worker.TemporalConnection;
import io.abafix.worker.Workers;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditSigning;
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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * abafix as the demo deploys it, in this process, against a Temporal server that is already up: the
 * orchestrator (signing its journals with a key of its own), the directory worker and one worker
 * per lab server, wired by {@link Workers} to the production PowerShell and Graph adapters over the
 * lab, their approvals verified with the lab's keys, with payload encryption on. The demo's
 * approver approves each run's plan as soon as it asks ({@link Approvals}).
 */
final class LabDeployment implements AutoCloseable {
  private final LabAdapters adapters;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final Approvals approvals;
  private final Map<String, LabApprover.Approval> approved = new ConcurrentHashMap<>();

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
    ApprovalGuard guard = lab.identities().guard(false);
    Workers.orchestrator(factory, AuditSigning.of(AuditSigning.newKeyPair()));
    String tenant = lab.tenantDomain();
    Workers.directory(factory, tenant, adapters.directory(), guard);
    for (SyncServerHost host : adapters.hosts()) {
      if (onePollerPerServer) {
        Workers.server(
            factory,
            tenant,
            host,
            guard,
            WorkerOptions.newBuilder().setMaxConcurrentActivityTaskPollers(1).build());
      } else {
        Workers.server(factory, tenant, host, guard);
      }
    }
    factory.start();
    this.approvals =
        new Approvals(LabApprover.of(lab, adapters.entra().identityEndpoint(), client));
  }

  WorkflowClient client() {
    return client;
  }

  /**
   * Starts a remediation under {@code workflowId} (unique per run, so runs can overlap), approved
   * as soon as it asks.
   */
  CompletableFuture<RemediationResult> start(String workflowId, RemediationRequest request) {
    return start(client, approvals, workflowId, request, a -> approved.put(workflowId, a));
  }

  /** When run {@code workflowId} asked for approval and when its decision was signed. */
  LabApprover.Approval approval(String workflowId) {
    LabApprover.Approval a = approved.get(workflowId);
    if (a == null) throw new IllegalStateException(workflowId + " was not approved");
    return a;
  }

  /**
   * The same through any client of the deployment's Temporal, approved by {@code approvals}.
   *
   * @return the run's result; failed at once when its approval fails
   */
  static CompletableFuture<RemediationResult> start(
      WorkflowClient client,
      Approvals approvals,
      String workflowId,
      RemediationRequest request,
      java.util.function.Consumer<LabApprover.Approval> whenApproved) {
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
    WorkflowClient.start(
        run::remediate,
        request.startedAs(
            io.abafix.activities.approval.RunStart.unsigned(
                io.abafix.activities.approval.RunStart.newStartId(), false)));
    CompletableFuture<RemediationResult> result =
        WorkflowStub.fromTyped(run).getResultAsync(RemediationResult.class);
    CompletableFuture<RemediationResult> outcome = new CompletableFuture<>();
    result.whenComplete(
        (r, e) -> {
          if (e != null) outcome.completeExceptionally(e);
          else outcome.complete(r);
        });
    approvals
        .approve(workflowId, result)
        .whenComplete(
            (a, e) -> {
              if (a != null) whenApproved.accept(a);
              else if (!result.isDone()) outcome.completeExceptionally(e);
            });
    return outcome;
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
    approvals.close();
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    client.getWorkflowServiceStubs().shutdownNow();
    client.getWorkflowServiceStubs().awaitTermination(10, TimeUnit.SECONDS);
    adapters.close();
  }
}
