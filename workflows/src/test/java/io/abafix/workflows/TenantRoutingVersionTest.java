package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.DirectoryActivitiesImpl;
import io.abafix.activities.SyncServerActivitiesImpl;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.tenant.StepTenant;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.Timings;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.WorkerFactoryOptions;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.Test;

/**
 * Tenant routing is versioned ({@code getVersion("tenant-queues")}): a run that started before it
 * replays, and goes on, with the tenant-blind queues it used; a new run sends every step to its
 * tenant's queues, with its tenant in each step's header.
 */
class TenantRoutingVersionTest {
  /** The queue of every activity the workflow code asks for, replayed or new. */
  static final Set<String> QUEUES = new ConcurrentSkipListSet<>();

  static final class RecordQueues extends WorkerInterceptorBase {
    @Override
    public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
      return new WorkflowInboundCallsInterceptorBase(next) {
        @Override
        public void init(WorkflowOutboundCallsInterceptor outbound) {
          super.init(
              new WorkflowOutboundCallsInterceptorBase(outbound) {
                @Override
                public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
                  QUEUES.add(input.getOptions().getTaskQueue());
                  return super.executeActivity(input);
                }
              });
        }
      };
    }
  }

  private static TestWorkflowEnvironment recordingEnvironment() {
    return TestWorkflowEnvironment.newInstance(
        TestEnvironmentOptions.newBuilder()
            .setWorkerFactoryOptions(
                WorkerFactoryOptions.newBuilder().setWorkerInterceptors(new RecordQueues()).build())
            .build());
  }

  @Test
  void a_run_from_before_tenant_routing_replays_on_the_tenant_blind_queues_it_used()
      throws Exception {
    for (String stored : List.of("seed-pair-awaiting-approval", "cloned-pair-succeeded")) {
      QUEUES.clear();
      String json;
      try (var in =
          getClass()
              .getResourceAsStream("/histories/SharedAppRemediationWorkflow/" + stored + ".json")) {
        json = new String(Objects.requireNonNull(in).readAllBytes(), StandardCharsets.UTF_8);
      }
      try (TestWorkflowEnvironment env = recordingEnvironment()) {
        // A loaded build machine can take more than the default second over a first task.
        io.temporal.worker.Worker worker =
            env.newWorker(
                "replay-" + stored,
                io.temporal.worker.WorkerOptions.newBuilder()
                    .setDefaultDeadlockDetectionTimeout(60_000)
                    .build());
        worker.registerWorkflowImplementationTypes(SharedAppRemediationWorkflowImpl.class);
        WorkflowReplayer.replayWorkflowExecution(WorkflowExecutionHistory.fromJson(json), worker);
      }
      assertFalse(QUEUES.isEmpty(), stored);
      for (String q : QUEUES) assertNull(TaskQueues.tenantOf(q), stored + " asked for " + q);
      assertTrue(QUEUES.contains(TaskQueues.DIRECTORY), stored + ": " + QUEUES);
      assertTrue(QUEUES.contains(TaskQueues.forServer("SERVERB")), stored + ": " + QUEUES);
    }
  }

  @Test
  void a_new_run_sends_every_step_to_its_tenants_queues_with_the_tenant_in_its_header() {
    QUEUES.clear();
    try (TestWorkflowEnvironment env = recordingEnvironment()) {
      Lab lab =
          Lab.fromScenario(
              Scenario.fromResource("seed-pair").withoutLatency(), env::currentTimeMillis);
      try (LabAdapters adapters = LabAdapters.start(lab)) {
        String tenant = lab.tenantDomain();
        env.newWorker(TaskQueues.ORCHESTRATOR)
            .registerWorkflowImplementationTypes(SharedAppRemediationWorkflowImpl.class);
        env.newWorker(TaskQueues.directory(tenant))
            .registerActivitiesImplementations(new DirectoryActivitiesImpl(adapters.directory()));
        for (String server : lab.serverNames()) {
          env.newWorker(TaskQueues.forServer(tenant, server))
              .registerActivitiesImplementations(
                  new SyncServerActivitiesImpl(adapters.host(server)));
        }
        env.start();
        String id = WorkflowIds.remediation(tenant);
        env.getWorkflowClient()
            .newWorkflowStub(
                SharedAppRemediationWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(id)
                    .setTaskQueue(TaskQueues.ORCHESTRATOR)
                    .build())
            .remediate(
                new RemediationRequest(
                    tenant,
                    lab.serverNames(),
                    "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml",
                    null,
                    true,
                    new ApprovalPolicy(true, false, 600),
                    Timings.standard(),
                    "alice"));

        assertEquals(
            new TreeSet<>(
                List.of(
                    TaskQueues.directory(tenant),
                    TaskQueues.forServer(tenant, "SERVERA"),
                    TaskQueues.forServer(tenant, "SERVERB"))),
            new TreeSet<>(QUEUES));
        List<HistoryEvent> scheduled =
            env.getWorkflowClient().fetchHistory(id).getEvents().stream()
                .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
                .toList();
        assertFalse(scheduled.isEmpty());
        for (HistoryEvent e : scheduled) {
          var header = e.getActivityTaskScheduledEventAttributes().getHeader().getFieldsMap();
          assertEquals(
              java.util.Optional.of(StepTenant.digest("contoso.onmicrosoft.com")),
              StepTenant.of(header),
              e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
        }
      }
    }
  }
}
