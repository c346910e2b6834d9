package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.TaskQueues;
import io.abafix.activities.tenant.StepTenant;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
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
    try (LabHarness h = LabHarness.of("seed-pair")) {
      String tenant = h.lab.tenantDomain();
      h.runApprovingEverything(h.request()).succeeded();

      List<HistoryEvent> scheduled =
          h.client.fetchHistory(WorkflowIds.remediation(tenant)).getEvents().stream()
              .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
              .toList();
      assertFalse(scheduled.isEmpty());
      Set<String> queues = new TreeSet<>();
      for (HistoryEvent e : scheduled) {
        var attributes = e.getActivityTaskScheduledEventAttributes();
        queues.add(attributes.getTaskQueue().getName());
        assertEquals(
            java.util.Optional.of(StepTenant.digest("contoso.onmicrosoft.com")),
            StepTenant.of(attributes.getHeader().getFieldsMap()),
            attributes.getActivityType().getName());
      }
      // The signed decisions' check goes to the tenant's directory worker too.
      assertEquals(
          new TreeSet<>(
              List.of(
                  TaskQueues.directory(tenant),
                  TaskQueues.forServer(tenant, "SERVERA"),
                  TaskQueues.forServer(tenant, "SERVERB"))),
          queues);
    }
  }
}
