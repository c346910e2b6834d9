package io.abafix.worker;

import io.abafix.activities.DirectoryActivitiesImpl;
import io.abafix.activities.SyncServerActivitiesImpl;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.port.Directory;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.activities.tenant.TenantThrottle;
import io.abafix.worker.logging.LogContextInterceptor;
import io.abafix.worker.tenants.Tenant;
import io.abafix.worker.tenants.TenantGuard;
import io.abafix.worker.tenants.TenantsFile;
import io.abafix.worker.watch.IncidentReporter;
import io.abafix.worker.watch.ServerWatcher;
import io.abafix.worker.watch.WatcherOptions;
import io.abafix.workflows.ConnectorParameterRepairWorkflowImpl;
import io.abafix.workflows.FleetCaptureWorkflowImpl;
import io.abafix.workflows.FleetDiagnosisWorkflowImpl;
import io.abafix.workflows.IncidentWorkflowImpl;
import io.abafix.workflows.SharedAppRemediationWorkflowImpl;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.incident.IncidentRules;
import io.abafix.workflows.visibility.ActivitySummaries;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;

/**
 * The three worker roles, wired the same way in production, in the demo and in tests. Only the host
 * behind a role differs: PowerShell or Graph in production, the lab elsewhere; and so do the keys
 * the {@link ApprovalGuard} checks approvals with: Entra ID's in production, the lab's elsewhere.
 */
public final class Workers {
  private Workers() {}

  /**
   * The factory every worker process uses: workflows it hosts give each activity a summary for the
   * Web UI ({@link ActivitySummaries}), and its workers log each step with its run, tenant, server
   * and step ({@link LogContextInterceptor}).
   */
  public static WorkerFactory factory(WorkflowClient client) {
    return WorkerFactory.newInstance(
        client,
        WorkerFactoryOptions.newBuilder()
            .setWorkerInterceptors(
                new ActivitySummaries(), new TenantGuard(), new LogContextInterceptor())
            .build());
  }

  /**
   * Hosts the workflows on {@link TaskQueues#ORCHESTRATOR}, with the key that signs their journals
   * (a local activity: the key stays in this process); every tenant's incidents attended.
   */
  public static Worker orchestrator(WorkerFactory factory, AuditSigning signer) {
    return orchestrator(factory, signer, IncidentRules.attended());
  }

  /**
   * Hosts the workflows on {@link TaskQueues#ORCHESTRATOR}, with the key that signs their journals
   * and the orchestrator's own incident rules per tenant (both local activities: the key and the
   * rules stay in this process), e.g. {@link TenantsFile#incidentRules()}.
   */
  public static Worker orchestrator(
      WorkerFactory factory, AuditSigning signer, IncidentRules incidentRules) {
    Worker worker = factory.newWorker(TaskQueues.ORCHESTRATOR);
    worker.registerActivitiesImplementations(signer);
    worker.registerWorkflowImplementationTypes(
        SharedAppRemediationWorkflowImpl.class,
        ConnectorParameterRepairWorkflowImpl.class,
        IncidentWorkflowImpl.class,
        FleetDiagnosisWorkflowImpl.class,
        FleetCaptureWorkflowImpl.class);
    worker.registerActivitiesImplementations(incidentRules);
    return worker;
  }

  /**
   * One tenant's Graph steps on {@link TaskQueues#directory}, through that tenant's own directory
   * (its own sign-in, HTTP client and Graph budget, see {@link TenantThrottle}), with its own share
   * of activity slots, and the check of that tenant's signed decisions.
   */
  public static Worker directory(
      WorkerFactory factory, Tenant tenant, Directory directory, ApprovalGuard approvals) {
    return directory(factory, tenant, directory, approvals, WorkerOptions.newBuilder());
  }

  /** One tenant's Graph steps with the standard limits. */
  public static Worker directory(
      WorkerFactory factory, String tenant, Directory directory, ApprovalGuard approvals) {
    return directory(
        factory,
        tenant,
        new Tenant.Limits(null, null),
        directory,
        approvals,
        WorkerOptions.newBuilder());
  }

  /**
   * As {@link #directory(WorkerFactory, Tenant, Directory, ApprovalGuard)}, on top of {@code
   * options} (e.g. fewer pollers for a deployment of many small tenants).
   */
  public static Worker directory(
      WorkerFactory factory,
      Tenant tenant,
      Directory directory,
      ApprovalGuard approvals,
      WorkerOptions.Builder options) {
    return directory(factory, tenant.id(), tenant.limits(), directory, approvals, options);
  }

  private static Worker directory(
      WorkerFactory factory,
      String tenant,
      Tenant.Limits limits,
      Directory directory,
      ApprovalGuard approvals,
      WorkerOptions.Builder options) {
    Worker worker =
        factory.newWorker(
            TaskQueues.directory(tenant),
            options.setMaxConcurrentActivityExecutionSize(limits.maxConcurrentSteps()).build());
    // The workflows check each signed decision here too, as it arrives (SignedDecisions).
    worker.registerActivitiesImplementations(
        new DirectoryActivitiesImpl(
            new TenantThrottle(tenant, directory, limits.graphRequestsPerSecond()), approvals),
        approvals.decisionCheck());
    return worker;
  }

  /**
   * One server's steps on {@code abafix-server-<name>@<tenant>}.
   *
   * @param tenant the tenant the server syncs, as requests name it
   */
  public static Worker server(
      WorkerFactory factory, String tenant, SyncServerHost host, ApprovalGuard approvals) {
    return server(factory, tenant, host, approvals, WorkerOptions.newBuilder().build());
  }

  /** As {@link #server(WorkerFactory, String, SyncServerHost, ApprovalGuard)}, with options. */
  public static Worker server(
      WorkerFactory factory,
      String tenant,
      SyncServerHost host,
      ApprovalGuard approvals,
      WorkerOptions options) {
    Worker worker = factory.newWorker(TaskQueues.forServer(tenant, host.serverName()), options);
    worker.registerActivitiesImplementations(new SyncServerActivitiesImpl(host, approvals));
    return worker;
  }

  /**
   * The tenant-blind queue {@code abafix-server-<name>}, polled beside the tenant's while runs
   * started before tenant routing finish (see docs/development.md, "Changing a workflow").
   */
  public static Worker serverDraining(
      WorkerFactory factory, SyncServerHost host, ApprovalGuard approvals) {
    Worker worker = factory.newWorker(TaskQueues.forServer(host.serverName()));
    worker.registerActivitiesImplementations(new SyncServerActivitiesImpl(host, approvals));
    return worker;
  }

  /**
   * The tenant-blind {@link TaskQueues#DIRECTORY}, while runs from before tenant routing finish.
   */
  public static Worker directoryDraining(
      WorkerFactory factory, Directory directory, ApprovalGuard approvals) {
    Worker worker = factory.newWorker(TaskQueues.DIRECTORY);
    worker.registerActivitiesImplementations(
        new DirectoryActivitiesImpl(directory, approvals), approvals.decisionCheck());
    return worker;
  }

  /**
   * The watcher that runs beside a per-server worker: polls the server's Application log and state
   * and reports what it finds to the tenant's incident. Call {@link ServerWatcher#start()} to begin
   * and {@link ServerWatcher#close()} to stop.
   *
   * @param reporter in production a {@link io.abafix.worker.watch.TemporalIncidentReporter}
   */
  public static ServerWatcher watcher(
      SyncServerHost host, IncidentReporter reporter, WatcherOptions options) {
    return new ServerWatcher(host, reporter, options);
  }
}
