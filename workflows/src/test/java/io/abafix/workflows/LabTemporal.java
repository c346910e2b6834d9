package io.abafix.workflows;

import io.abafix.activities.DirectoryActivitiesImpl;
import io.abafix.activities.SyncServerActivitiesImpl;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.scenario.Scenario;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;

/**
 * A time-skipping Temporal test environment with a worker per task queue, over a lab reached
 * through the production adapters (PowerShell over the fake runner, Graph over the fake endpoint).
 */
final class LabTemporal implements AutoCloseable {
  final TestWorkflowEnvironment env;
  final Lab lab;
  final LabAdapters adapters;

  private LabTemporal(TestWorkflowEnvironment env, Lab lab, LabAdapters adapters) {
    this.env = env;
    this.lab = lab;
    this.adapters = adapters;
  }

  static LabTemporal start(String scenario) {
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    Lab lab =
        Lab.fromScenario(Scenario.fromResource(scenario).withoutLatency(), env::currentTimeMillis);
    LabAdapters adapters = LabAdapters.start(lab);
    Worker orchestrator = env.newWorker(TaskQueues.ORCHESTRATOR);
    orchestrator.registerWorkflowImplementationTypes(
        SharedAppRemediationWorkflowImpl.class,
        ConnectorParameterRepairWorkflowImpl.class,
        IncidentWorkflowImpl.class,
        FleetDiagnosisWorkflowImpl.class);
    orchestrator.registerActivitiesImplementations(
        io.abafix.workflows.incident.TenantPolicyActivities.unconfigured());
    env.newWorker(TaskQueues.directory(lab.tenantDomain()))
        .registerActivitiesImplementations(new DirectoryActivitiesImpl(adapters.directory()));
    for (SyncServerHost host : adapters.hosts()) {
      env.newWorker(TaskQueues.forServer(lab.tenantDomain(), host.serverName()))
          .registerActivitiesImplementations(new SyncServerActivitiesImpl(host));
    }
    env.start();
    return new LabTemporal(env, lab, adapters);
  }

  WorkflowClient client() {
    return env.getWorkflowClient();
  }

  @Override
  public void close() {
    env.close();
    adapters.close();
  }
}
