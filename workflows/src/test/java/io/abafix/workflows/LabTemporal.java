package io.abafix.workflows;

import io.abafix.activities.DirectoryActivitiesImpl;
import io.abafix.activities.SyncServerActivitiesImpl;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.incident.IncidentRules;
import io.abafix.workflows.incident.TenantRules;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A time-skipping Temporal test environment with a worker per task queue, over a lab reached
 * through the production adapters (PowerShell over the fake runner, Graph over the fake endpoint).
 */
final class LabTemporal implements AutoCloseable {
  final TestWorkflowEnvironment env;
  final Lab lab;
  final LabAdapters adapters;

  /** The orchestrator's configured incident rules, per tenant (attended when absent). */
  final Map<String, TenantRules> incidentRules;

  /**
   * How many of the next asks for incident rules fail, as an orchestrator that cannot read them.
   */
  final AtomicInteger incidentRulesFailures;

  private LabTemporal(
      TestWorkflowEnvironment env,
      Lab lab,
      LabAdapters adapters,
      Map<String, TenantRules> incidentRules,
      AtomicInteger incidentRulesFailures) {
    this.env = env;
    this.lab = lab;
    this.adapters = adapters;
    this.incidentRules = incidentRules;
    this.incidentRulesFailures = incidentRulesFailures;
  }

  static LabTemporal start(String scenario) {
    return start(scenario, TestWorkflowEnvironment.newInstance());
  }

  /** As {@link #start(String)}, every client and worker encrypting with {@code codec}. */
  static LabTemporal start(String scenario, AesGcmPayloadCodec codec) {
    return start(
        scenario,
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(PayloadEncryption.dataConverter(codec))
                        .build())
                .build()));
  }

  private static LabTemporal start(String scenario, TestWorkflowEnvironment env) {
    Lab lab =
        Lab.fromScenario(Scenario.fromResource(scenario).withoutLatency(), env::currentTimeMillis);
    LabAdapters adapters = LabAdapters.start(lab);
    Worker orchestrator = env.newWorker(TaskQueues.ORCHESTRATOR);
    orchestrator.registerWorkflowImplementationTypes(
        SharedAppRemediationWorkflowImpl.class,
        ConnectorParameterRepairWorkflowImpl.class,
        IncidentWorkflowImpl.class,
        FleetDiagnosisWorkflowImpl.class,
        FleetCaptureWorkflowImpl.class);
    Map<String, TenantRules> rules = new ConcurrentHashMap<>();
    AtomicInteger rulesFail = new AtomicInteger();
    orchestrator.registerActivitiesImplementations(
        IncidentRules.of(
            t -> {
              if (rulesFail.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new IllegalStateException("the rules cannot be read");
              }
              return rules.getOrDefault(t, TenantRules.attended());
            }));
    orchestrator.registerActivitiesImplementations(AuditSigning.of(AuditSigning.newKeyPair()));
    env.newWorker(TaskQueues.directory(lab.tenantDomain()))
        .registerActivitiesImplementations(
            new DirectoryActivitiesImpl(adapters.directory(), lab.identities().guard(false)),
            lab.identities().guard(false).decisionCheck());
    for (SyncServerHost host : adapters.hosts()) {
      env.newWorker(TaskQueues.forServer(lab.tenantDomain(), host.serverName()))
          .registerActivitiesImplementations(
              new SyncServerActivitiesImpl(host, lab.identities().guard(false)));
    }
    env.start();
    return new LabTemporal(env, lab, adapters, rules, rulesFail);
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
