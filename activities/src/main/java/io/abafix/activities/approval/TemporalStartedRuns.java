package io.abafix.activities.approval;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.activity.Activity;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionStartedEventAttributes;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StartedRuns} from the Temporal server, through the client of the worker the activity runs
 * on: the first event of the run's history, which only the server writes. Its input is decoded with
 * the worker's own data converter (the payload codec included), so what a worker reads is what the
 * starter encrypted, or nothing. Runs are remembered, a start never changes.
 */
public final class TemporalStartedRuns implements StartedRuns {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final int REMEMBERED = 512;

  private final Map<String, StartedRun> known =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StartedRun> eldest) {
          return size() > REMEMBERED;
        }
      };

  @Override
  public StartedRun of(String namespace, String workflowId, String runId)
      throws ProofRefusedException {
    String key = namespace + "/" + workflowId + "/" + runId;
    synchronized (known) {
      StartedRun r = known.get(key);
      if (r != null) return r;
    }
    StartedRun r =
        read(Activity.getExecutionContext().getWorkflowClient(), namespace, workflowId, runId);
    synchronized (known) {
      known.put(key, r);
    }
    return r;
  }

  /**
   * The first run of the chain {@code runId} belongs to, which decisions bind: what the CLI signs
   * for, as the workers and the workflow compute it.
   */
  public static String firstRunId(
      WorkflowClient client, String namespace, String workflowId, String runId)
      throws ProofRefusedException {
    return firstRunOf(
        startEvent(client, namespace, workflowId, runId)
            .getWorkflowExecutionStartedEventAttributes()
            .getFirstExecutionRunId(),
        runId);
  }

  /** The first run of a chain; a server that leaves it blank names the run itself. */
  public static String firstRunOf(String firstExecutionRunId, String runId) {
    return firstExecutionRunId == null || firstExecutionRunId.isBlank()
        ? runId
        : firstExecutionRunId;
  }

  /** The run's start, read with {@code client}. */
  public static StartedRun read(
      WorkflowClient client, String namespace, String workflowId, String runId)
      throws ProofRefusedException {
    HistoryEvent first = startEvent(client, namespace, workflowId, runId);
    WorkflowExecutionStartedEventAttributes a = first.getWorkflowExecutionStartedEventAttributes();
    RunStart start = null;
    if (a.hasInput() && a.getInput().getPayloadsCount() > 0) {
      try {
        JsonNode input =
            client
                .getOptions()
                .getDataConverter()
                .withContext(new WorkflowSerializationContext(namespace, workflowId))
                .fromPayloads(0, Optional.of(a.getInput()), JsonNode.class, JsonNode.class);
        JsonNode s = input == null ? null : input.get(RunStart.INPUT_FIELD);
        if (s != null && !s.isNull()) start = JSON.treeToValue(s, RunStart.class);
      } catch (RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new ProofRefusedException(
            "the start input of run " + runId + " cannot be read: " + e.getMessage());
      }
    }
    return new StartedRun(
        namespace,
        workflowId,
        runId,
        firstRunOf(a.getFirstExecutionRunId(), runId),
        Instant.ofEpochSecond(first.getEventTime().getSeconds(), first.getEventTime().getNanos()),
        start,
        a.hasParentWorkflowExecution() ? a.getParentWorkflowExecution().getWorkflowId() : null,
        a.hasParentWorkflowExecution() ? a.getParentWorkflowExecution().getRunId() : null);
  }

  /** The start event of a run, as the server holds it. */
  private static HistoryEvent startEvent(
      WorkflowClient client, String namespace, String workflowId, String runId)
      throws ProofRefusedException {
    HistoryEvent first;
    try {
      var page =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace(namespace)
                      .setExecution(
                          WorkflowExecution.newBuilder()
                              .setWorkflowId(workflowId)
                              .setRunId(runId)
                              .build())
                      .setMaximumPageSize(1)
                      .build());
      if (page.getHistory().getEventsCount() == 0) {
        throw new ProofRefusedException("the server has no history for run " + runId);
      }
      first = page.getHistory().getEvents(0);
    } catch (io.grpc.StatusRuntimeException e) {
      if (e.getStatus().getCode() == io.grpc.Status.Code.NOT_FOUND) {
        throw new ProofRefusedException("the server has no run " + runId + " of " + workflowId);
      }
      throw new RunUnreadableException(
          "cannot read how run " + runId + " of " + workflowId + " started: " + e.getStatus(), e);
    }
    if (!first.hasWorkflowExecutionStartedEventAttributes()) {
      throw new ProofRefusedException("the first event of run " + runId + " is not its start");
    }
    return first;
  }
}
