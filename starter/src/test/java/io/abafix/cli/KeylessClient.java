package io.abafix.cli;

import com.google.protobuf.ByteString;
import io.temporal.api.command.v1.Command;
import io.temporal.api.command.v1.ScheduleActivityTaskCommandAttributes;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.CommandType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueRequest;
import io.temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse;
import io.temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest;
import io.temporal.api.workflowservice.v1.SignalWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.StartWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A client of Temporal's frontend that holds no payload key: plain gRPC, with no data converter and
 * no codec. It reads histories and sends what it finds in them, the encrypted payloads copied
 * verbatim, which is all that reaching Temporal allows without the key.
 */
final class KeylessClient implements AutoCloseable {
  private static final String NAMESPACE = "default";
  private static final String IDENTITY = "keyless-client";

  private final WorkflowServiceStubs stubs;

  private KeylessClient(WorkflowServiceStubs stubs) {
    this.stubs = stubs;
  }

  /** Connects to the frontend at {@code address} ({@code host:port}). */
  static KeylessClient at(String address) {
    return new KeylessClient(
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build()));
  }

  private WorkflowServiceGrpc.WorkflowServiceBlockingStub rpc() {
    return stubs.blockingStub().withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  private static WorkflowExecution execution(String workflowId, String runId) {
    return WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId).build();
  }

  /** The run the server holds for {@code workflowId} now (its latest). */
  String latestRunId(String workflowId) {
    return rpc()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                .build())
        .getWorkflowExecutionInfo()
        .getExecution()
        .getRunId();
  }

  /** Every event of the run's history, in order. */
  List<HistoryEvent> history(String workflowId, String runId) {
    List<HistoryEvent> events = new ArrayList<>();
    ByteString page = ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse r =
          rpc()
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace(NAMESPACE)
                      .setExecution(execution(workflowId, runId))
                      .setNextPageToken(page)
                      .build());
      events.addAll(r.getHistory().getEventsList());
      page = r.getNextPageToken();
    } while (!page.isEmpty());
    return events;
  }

  /** Sends the run a signal it does not expect: the server schedules a workflow task for it. */
  void signal(String workflowId, String runId, String name) {
    rpc()
        .signalWorkflowExecution(
            SignalWorkflowExecutionRequest.newBuilder()
                .setNamespace(NAMESPACE)
                .setWorkflowExecution(execution(workflowId, runId))
                .setSignalName(name)
                .setInput(
                    Payloads.newBuilder()
                        .addPayloads(
                            Payload.newBuilder()
                                .putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
                                .setData(ByteString.copyFrom("{}", StandardCharsets.UTF_8))))
                .setIdentity(IDENTITY)
                .setRequestId(UUID.randomUUID().toString())
                .build());
  }

  /**
   * The first workflow task of {@code workflowId} on {@code taskQueue} (its normal queue, where a
   * task goes once the sticky queue of a worker that died has timed out); tasks of other workflows
   * are left to time out.
   *
   * @throws AssertionError when none comes within {@code within}
   */
  PollWorkflowTaskQueueResponse pollWorkflowTask(
      String taskQueue, String workflowId, Duration within) {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      PollWorkflowTaskQueueResponse task =
          stubs
              .blockingStub()
              .withDeadlineAfter(90, TimeUnit.SECONDS)
              .pollWorkflowTaskQueue(
                  PollWorkflowTaskQueueRequest.newBuilder()
                      .setNamespace(NAMESPACE)
                      .setTaskQueue(
                          TaskQueue.newBuilder()
                              .setName(taskQueue)
                              .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                      .setIdentity(IDENTITY)
                      .build());
      if (!task.getTaskToken().isEmpty()
          && task.getWorkflowExecution().getWorkflowId().equals(workflowId)) {
        return task;
      }
    }
    throw new AssertionError(
        "no workflow task of " + workflowId + " on " + taskQueue + " within " + within);
  }

  /**
   * Completes {@code task} with one command per event in {@code scheduled}: schedule the same
   * activity again (type, task queue, header, input, timeouts and retries copied verbatim) under a
   * new activity id, {@code prefix} and its index.
   *
   * @return the new activity ids, in the order of {@code scheduled}
   */
  List<String> scheduleCopies(
      PollWorkflowTaskQueueResponse task, List<HistoryEvent> scheduled, String prefix) {
    List<String> ids = new ArrayList<>();
    RespondWorkflowTaskCompletedRequest.Builder answer =
        RespondWorkflowTaskCompletedRequest.newBuilder()
            .setNamespace(NAMESPACE)
            .setTaskToken(task.getTaskToken())
            .setIdentity(IDENTITY);
    for (HistoryEvent event : scheduled) {
      ActivityTaskScheduledEventAttributes a = event.getActivityTaskScheduledEventAttributes();
      String id = prefix + ids.size();
      ids.add(id);
      answer.addCommands(
          Command.newBuilder()
              .setCommandType(CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK)
              .setScheduleActivityTaskCommandAttributes(
                  ScheduleActivityTaskCommandAttributes.newBuilder()
                      .setActivityId(id)
                      .setActivityType(a.getActivityType())
                      .setTaskQueue(a.getTaskQueue())
                      .setHeader(a.getHeader())
                      .setInput(a.getInput())
                      .setScheduleToCloseTimeout(a.getScheduleToCloseTimeout())
                      .setScheduleToStartTimeout(a.getScheduleToStartTimeout())
                      .setStartToCloseTimeout(a.getStartToCloseTimeout())
                      .setHeartbeatTimeout(a.getHeartbeatTimeout())
                      .setRetryPolicy(a.getRetryPolicy())));
    }
    rpc().respondWorkflowTaskCompleted(answer.build());
    return ids;
  }

  /**
   * Starts a new run of {@code started}'s workflow id, type and task queue with its input and
   * header copied verbatim.
   *
   * @return the new run's id
   */
  String startCopyOf(String workflowId, HistoryEvent started) {
    WorkflowExecutionStartedEventAttributes a =
        started.getWorkflowExecutionStartedEventAttributes();
    StartWorkflowExecutionRequest.Builder start =
        StartWorkflowExecutionRequest.newBuilder()
            .setNamespace(NAMESPACE)
            .setWorkflowId(workflowId)
            .setWorkflowType(a.getWorkflowType())
            .setTaskQueue(a.getTaskQueue())
            .setInput(a.getInput())
            .setHeader(a.getHeader())
            .setWorkflowTaskTimeout(a.getWorkflowTaskTimeout())
            .setIdentity(IDENTITY)
            .setRequestId(UUID.randomUUID().toString());
    if (a.hasWorkflowExecutionTimeout()) {
      start.setWorkflowExecutionTimeout(a.getWorkflowExecutionTimeout());
    }
    if (a.hasWorkflowRunTimeout()) start.setWorkflowRunTimeout(a.getWorkflowRunTimeout());
    return rpc().startWorkflowExecution(start.build()).getRunId();
  }

  @Override
  public void close() {
    stubs.shutdownNow();
  }
}
