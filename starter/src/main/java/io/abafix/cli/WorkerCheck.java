package io.abafix.cli;

import io.abafix.activities.TaskQueues;
import io.abafix.workflows.plan.PlannedStep;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.enums.v1.TaskQueueType;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeTaskQueueRequest;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which of a run's workers are missing, asked of Temporal (DescribeTaskQueue lists the pollers seen
 * in the last minutes). A run whose step waits for a missing worker looks merely slow; this says
 * why.
 */
final class WorkerCheck {
  private WorkerCheck() {}

  /**
   * One line per queue nobody polls, e.g. "no worker is polling abafix-server-serverb: start the
   * abafix worker on SERVERB"; empty when the server cannot tell (Temporal's in-memory server does
   * not implement DescribeTaskQueue).
   */
  static Optional<List<String>> missing(
      WorkflowClient client, String tenant, Collection<String> servers) {
    if (tenant == null) return Optional.empty(); // a run id that names no tenant
    List<String> lines = new ArrayList<>();
    try {
      for (String server : servers) {
        if (!polled(
            client, TaskQueues.forServer(tenant, server), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)) {
          lines.add(
              "no worker is polling "
                  + TaskQueues.forServer(tenant, server)
                  + ": start the abafix worker on "
                  + server);
        }
      }
      if (!polled(client, TaskQueues.directory(tenant), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)) {
        lines.add(
            "no worker is polling "
                + TaskQueues.directory(tenant)
                + ": start abafix-worker directory for tenant "
                + tenant);
      }
      if (!polled(client, TaskQueues.ORCHESTRATOR, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW)) {
        lines.add(
            "no worker is polling "
                + TaskQueues.ORCHESTRATOR
                + ": start abafix-worker orchestrator");
      }
      return Optional.of(lines);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) return Optional.empty();
      throw e;
    }
  }

  /**
   * The servers of {@code servers} (and {@code directory}) whose task queue nobody polls; empty
   * when the server cannot tell.
   */
  static Set<String> missingServers(
      WorkflowClient client, String tenant, Collection<String> servers) {
    Set<String> missing = new LinkedHashSet<>();
    if (tenant == null) return missing; // a run id that names no tenant
    try {
      for (String server : servers) {
        if (server.equals(PlannedStep.DIRECTORY)) continue;
        if (!polled(
            client, TaskQueues.forServer(tenant, server), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)) {
          missing.add(server);
        }
      }
      if (!polled(client, TaskQueues.directory(tenant), TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY)) {
        missing.add(PlannedStep.DIRECTORY);
      }
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) throw e;
    }
    return missing;
  }

  private static boolean polled(WorkflowClient client, String queue, TaskQueueType type) {
    return client
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeTaskQueue(
                DescribeTaskQueueRequest.newBuilder()
                    .setNamespace(client.getOptions().getNamespace())
                    .setTaskQueue(TaskQueue.newBuilder().setName(queue).build())
                    .setTaskQueueType(type)
                    .build())
            .getPollersCount()
        > 0;
  }
}
