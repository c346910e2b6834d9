package io.abafix.workflows.history;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.util.Timestamps;
import io.abafix.activities.TaskQueues;
import io.abafix.workflows.ConnectorParameterRepairWorkflow;
import io.abafix.workflows.ConnectorParameterRepairWorkflowImpl;
import io.abafix.workflows.IncidentWorkflow;
import io.abafix.workflows.IncidentWorkflowImpl;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.SharedAppRemediationWorkflowImpl;
import io.abafix.workflows.audit.AuditChain;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.history.RecoveredJournal.Source;
import io.abafix.workflows.history.RecoveredJournal.UnrecordedStep;
import io.abafix.workflows.model.RunJournal;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.failure.ApplicationFailure;
import io.temporal.payload.context.WorkflowSerializationContext;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Reads a closed run's journal from Temporal's history, without a worker: from the run's result (it
 * completed), the details of its failure (it failed or compensated), the record it kept as it was
 * cancelled ({@link RunJournal}), and otherwise by replaying the history in this process with the
 * workflow's own code, as a worker would to answer a query.
 *
 * <p>A terminated (or timed-out) run never ended its journal. Its history is replayed up to the
 * termination, which gives every record the run had made; what the journal cannot hold is said in
 * {@link RecoveredJournal#missing()}: no closing signed digest, the records no digest covers, and
 * each step the history shows in flight or finished after the run's last decision ({@link
 * RecoveredJournal#unrecorded()}). The termination event itself is left out of the replay: the Java
 * SDK refuses to replay it (a query on a terminated run fails the same way).
 *
 * <p>Client side: never call it from workflow code.
 */
public final class JournalHistory {
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final TypeReference<List<AuditEntry>> ENTRIES = new TypeReference<>() {};

  /** The task queue of the replaying worker: it never polls, so any name does. */
  private static final String REPLAY_QUEUE = "abafix-journal-replay";

  /** The marker name the Java SDK gives {@code Workflow.sideEffect} records. */
  private static final String SIDE_EFFECT = "SideEffect";

  private JournalHistory() {}

  /**
   * The journal of the closed run {@code runId} of {@code workflowId} (the latest when null).
   *
   * @throws IllegalStateException when the run is still open: ask the run itself
   */
  public static RecoveredJournal read(WorkflowClient client, String workflowId, String runId) {
    String run =
        runId != null
            ? runId
            : client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
    return read(client, client.fetchHistory(workflowId, run), run);
  }

  /**
   * As {@link #read(WorkflowClient, String, String)}, from a history already fetched.
   *
   * @param runId the run the history is of; when null, the run its first event names (a reset run
   *     names the run it was reset from there: give its own id)
   */
  public static RecoveredJournal read(
      WorkflowClient client, WorkflowExecutionHistory history, String runId) {
    String run =
        runId != null
            ? runId
            : history
                .getEvents()
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getOriginalExecutionRunId();
    return readClosed(client, history, run);
  }

  private static RecoveredJournal readClosed(
      WorkflowClient client, WorkflowExecutionHistory history, String runId) {
    List<HistoryEvent> events = history.getEvents();
    HistoryEvent last = events.get(events.size() - 1);
    String workflowId = history.getWorkflowExecution().getWorkflowId();
    // Decoded as the run's own: a payload sealed for another workflow does not decrypt here.
    DataConverter converter =
        client
            .getOptions()
            .getDataConverter()
            .withContext(
                new WorkflowSerializationContext(client.getOptions().getNamespace(), workflowId));
    long closedAt = Timestamps.toMillis(last.getEventTime());
    Closing closing = new Closing(workflowId, runId, closedAt);

    switch (last.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED -> {
        Payloads result = last.getWorkflowExecutionCompletedEventAttributes().getResult();
        JsonNode node = firstJson(converter, result);
        if (node != null && node.has("audit")) {
          return closing.of(
              "COMPLETED",
              text(node, "outcome"),
              text(node, "message"),
              null,
              Source.RESULT,
              entries(node.get("audit")));
        }
        return replayed(client, history, closing, "COMPLETED", null, null, null);
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_FAILED -> {
        RuntimeException failure =
            converter.failureToException(
                last.getWorkflowExecutionFailedEventAttributes().getFailure());
        String message = failure.getMessage();
        if (failure instanceof ApplicationFailure a) {
          message = a.getOriginalMessage();
          RunJournal kept = keptJournal(a);
          if (kept != null) {
            return closing.of(
                "FAILED",
                kept.outcome() == null ? null : kept.outcome().name(),
                kept.message() == null ? message : kept.message(),
                null,
                Source.FAILURE_DETAILS,
                kept.audit());
          }
        }
        return replayed(client, history, closing, "FAILED", null, message, null);
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED -> {
        RunJournal kept = cancellationRecord(converter, events);
        if (kept != null) {
          return closing.of(
              "CANCELED",
              kept.outcome() == null ? null : kept.outcome().name(),
              kept.message(),
              null,
              Source.CANCELLATION_RECORD,
              kept.audit());
        }
        return replayed(client, history, closing, "CANCELED", null, null, null);
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED -> {
        var t = last.getWorkflowExecutionTerminatedEventAttributes();
        return replayed(
            client,
            history,
            closing,
            "TERMINATED",
            null,
            t.getReason().isBlank() ? null : t.getReason(),
            t.getIdentity().isBlank() ? null : t.getIdentity());
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT -> {
        return replayed(client, history, closing, "TIMED_OUT", null, null, null);
      }
      case EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW -> {
        return replayed(client, history, closing, "CONTINUED_AS_NEW", null, null, null);
      }
      default ->
          throw new IllegalStateException(
              workflowId + " (run " + runId + ") is still open: its journal is read by query");
    }
  }

  // ---- where a run kept its journal ------------------------------------------------------

  /** The journal in a failure's details, or null when it carries none. */
  private static RunJournal keptJournal(ApplicationFailure failure) {
    if (failure.getDetails() == null || failure.getDetails().getSize() == 0) return null;
    try {
      return runJournal(failure.getDetails().get(0, JsonNode.class));
    } catch (RuntimeException notAJournal) {
      return null;
    }
  }

  /** The last side-effect record that is a run's journal, or null. */
  private static RunJournal cancellationRecord(DataConverter converter, List<HistoryEvent> events) {
    for (int i = events.size() - 1; i >= 0; i--) {
      HistoryEvent e = events.get(i);
      if (e.getEventType() != EventType.EVENT_TYPE_MARKER_RECORDED) continue;
      var marker = e.getMarkerRecordedEventAttributes();
      if (!SIDE_EFFECT.equals(marker.getMarkerName())) continue;
      for (Payloads data : marker.getDetailsMap().values()) {
        try {
          RunJournal kept = runJournal(firstJson(converter, data));
          if (kept != null) return kept;
        } catch (RuntimeException notAJournal) {
          // Another value the run recorded (its plan): keep looking.
        }
      }
    }
    return null;
  }

  private static RunJournal runJournal(JsonNode node) {
    if (node == null || !RunJournal.KIND.equals(text(node, "kind"))) return null;
    return JSON.convertValue(node, RunJournal.class);
  }

  // ---- replay -----------------------------------------------------------------------------

  /**
   * The journal as the workflow's code rebuilds it from the history. A run ended from outside
   * (terminated, timed out) is replayed without its last event, then, if that fails, up to its last
   * completed workflow task.
   */
  private static RecoveredJournal replayed(
      WorkflowClient client,
      WorkflowExecutionHistory history,
      Closing closing,
      String closedAs,
      String outcome,
      String message,
      String closedBy) {
    List<HistoryEvent> events = history.getEvents();
    boolean fromOutside =
        closedAs.equals("TERMINATED")
            || closedAs.equals("TIMED_OUT")
            || closedAs.equals("CONTINUED_AS_NEW");
    List<List<HistoryEvent>> tries = new ArrayList<>();
    if (fromOutside) {
      tries.add(events.subList(0, events.size() - 1));
      int lastCompleted = lastIndexOf(events, EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      if (lastCompleted > 0 && lastCompleted < events.size() - 2) {
        tries.add(events.subList(0, lastCompleted + 1));
      }
    } else {
      tries.add(events);
    }
    List<AuditEntry> entries = null;
    List<HistoryEvent> replayedEvents = List.of();
    String failure = null;
    for (List<HistoryEvent> attempt : tries) {
      try {
        entries =
            replay(
                client,
                new WorkflowExecutionHistory(
                    History.newBuilder().addAllEvents(attempt).build(),
                    history.getWorkflowExecution().getWorkflowId()));
        replayedEvents = attempt;
        break;
      } catch (Exception e) {
        if (failure == null) failure = rootMessage(e);
      }
    }
    List<String> missing = new ArrayList<>();
    if (fromOutside) {
      missing.add(
          "the run was "
              + closedAs.toLowerCase(Locale.ROOT).replace('_', ' ')
              + " at "
              + java.time.Instant.ofEpochMilli(closing.closedAt)
              + (closedBy == null ? "" : " by " + closedBy)
              + (message == null ? "" : " (\"" + message + "\")")
              + ": it did not end its journal, compensate or sign a closing digest");
    }
    if (entries == null) {
      missing.add("its history could not be replayed, so no record was recovered: " + failure);
      entries = List.of();
    } else {
      entries = rechained(entries, closing.runId);
      String mismatch = notAsSigned(entries);
      if (mismatch != null) missing.add(mismatch);
      missing.addAll(unsigned(entries, fromOutside, true));
    }
    // Without a replay, the steps the history shows in flight or after the last workflow task.
    List<UnrecordedStep> unrecorded =
        fromOutside
            ? unrecorded(events, replayedEvents.isEmpty() ? events : replayedEvents)
            : List.<UnrecordedStep>of();
    return new RecoveredJournal(
        closing.workflowId,
        closing.runId,
        closedAs,
        closing.closedAt,
        outcome,
        message,
        closedBy,
        Source.REPLAY,
        entries,
        missing,
        unrecorded);
  }

  /** Replays {@code history} with the workflow's code and returns the journal it rebuilt. */
  private static List<AuditEntry> replay(WorkflowClient client, WorkflowExecutionHistory history)
      throws Exception {
    String type =
        history
            .getEvents()
            .get(0)
            .getWorkflowExecutionStartedEventAttributes()
            .getWorkflowType()
            .getName();
    WorkerFactory factory = WorkerFactory.newInstance(client);
    try {
      Worker worker = factory.newWorker(REPLAY_QUEUE);
      Supplier<List<AuditEntry>> journal = register(worker, type);
      worker.replayWorkflowExecution(history);
      return journal.get();
    } finally {
      factory.shutdownNow();
    }
  }

  /** Registers the code of a workflow type that keeps a journal; returns how to read it after. */
  private static Supplier<List<AuditEntry>> register(Worker worker, String type) {
    if (type.equals(SharedAppRemediationWorkflow.class.getSimpleName())) {
      AtomicReference<SharedAppRemediationWorkflowImpl> run = new AtomicReference<>();
      worker.registerWorkflowImplementationFactory(
          SharedAppRemediationWorkflow.class,
          () -> kept(run, new SharedAppRemediationWorkflowImpl()));
      return () -> run.get() == null ? List.of() : run.get().audit();
    }
    if (type.equals(ConnectorParameterRepairWorkflow.class.getSimpleName())) {
      AtomicReference<ConnectorParameterRepairWorkflowImpl> run = new AtomicReference<>();
      worker.registerWorkflowImplementationFactory(
          ConnectorParameterRepairWorkflow.class,
          () -> kept(run, new ConnectorParameterRepairWorkflowImpl()));
      return () -> run.get() == null ? List.of() : run.get().audit();
    }
    if (type.equals(IncidentWorkflow.class.getSimpleName())) {
      AtomicReference<IncidentWorkflowImpl> run = new AtomicReference<>();
      worker.registerWorkflowImplementationFactory(
          IncidentWorkflow.class, () -> kept(run, new IncidentWorkflowImpl()));
      return () -> run.get() == null ? List.of() : run.get().audit();
    }
    throw new IllegalArgumentException("a " + type + " run keeps no journal");
  }

  private static <T> T kept(AtomicReference<T> holder, T instance) {
    holder.set(instance);
    return instance;
  }

  /**
   * The records with the run's own id, chained again. A replay runs under a stand-in run id, and
   * each record's hash covers its run id: with the real one the chain is the run's own, which
   * {@link #notAsSigned} checks against the digests the orchestrator signed.
   */
  private static List<AuditEntry> rechained(List<AuditEntry> replayed, String runId) {
    List<AuditEntry> out = new ArrayList<>();
    String prev = AuditChain.GENESIS;
    for (AuditEntry e : replayed) {
      AuditEntry unhashed =
          new AuditEntry(
              runId,
              e.seq(),
              e.step(),
              e.target(),
              e.executor(),
              e.actor(),
              e.startedAt(),
              e.endedAt(),
              e.attempts(),
              e.outcome(),
              e.before(),
              e.after(),
              e.detail(),
              prev,
              null);
      String hash = AuditChain.hashOf(unhashed);
      out.add(
          new AuditEntry(
              runId,
              e.seq(),
              e.step(),
              e.target(),
              e.executor(),
              e.actor(),
              e.startedAt(),
              e.endedAt(),
              e.attempts(),
              e.outcome(),
              e.before(),
              e.after(),
              e.detail(),
              prev,
              hash));
      prev = hash;
    }
    return out;
  }

  /**
   * Null when every signed digest names the head of the rebuilt chain it covers; otherwise which
   * records the replay rebuilt differently from the run (other workflow code than the run's).
   */
  private static String notAsSigned(List<AuditEntry> entries) {
    for (AuditEntry e : entries) {
      if (!AuditJournal.DIGEST.equals(e.step()) || !"SIGNED".equals(e.outcome())) continue;
      String head = e.after().get("headHash");
      String lastSeq = e.after().get("lastSeq");
      int last;
      try {
        last = Integer.parseInt(lastSeq);
      } catch (NumberFormatException malformed) {
        continue;
      }
      String signedIn = e.after().get("runId");
      if (signedIn != null && !signedIn.equals(e.runId())) {
        return "records up to "
            + last
            + " were signed in run "
            + signedIn
            + ", which this run was reset from (temporal workflow reset): those signatures cover"
            + " that run's records (abafix audit with --run-id "
            + signedIn
            + ")";
      }
      if (last < 1 || last > entries.size() || !entries.get(last - 1).hash().equals(head)) {
        return "records up to "
            + last
            + " as the replay rebuilt them are not the ones the orchestrator signed in record "
            + e.seq()
            + ": this abafix's workflow code differs from the code the run ran; read the journal"
            + " with the abafix version that ran it";
      }
    }
    return null;
  }

  // ---- what the journal cannot say ------------------------------------------------------

  /**
   * What no signed digest covers: the closing digest, and the records after the last signed one.
   */
  private static List<String> unsigned(
      List<AuditEntry> entries, boolean fromOutside, boolean replayed) {
    List<String> missing = new ArrayList<>();
    if (entries.isEmpty()) return missing;
    int signedUpTo = 0;
    boolean closed = false;
    for (AuditEntry e : entries) {
      if (!AuditJournal.DIGEST.equals(e.step()) || !"SIGNED".equals(e.outcome())) continue;
      signedUpTo = e.seq();
      closed = "true".equals(e.after().get("closing"));
    }
    if (closed) return missing;
    if (!fromOutside && entries.stream().noneMatch(e -> AuditJournal.DIGEST.equals(e.step()))) {
      missing.add(
          "the journal has no signed digest: the run is from before abafix signed journals");
      return missing;
    }
    if (!fromOutside) {
      missing.add("the journal has no closing signed digest");
    }
    int last = entries.get(entries.size() - 1).seq();
    if (signedUpTo < last) {
      missing.add(
          (signedUpTo + 1 == last
                  ? "record " + last + " is"
                  : "records " + (signedUpTo + 1) + ".." + last + " are")
              + (replayed ? " rebuilt from the history and" : "")
              + " covered by no signed digest"
              + (signedUpTo == 0 ? "" : " (the last one signs records up to " + signedUpTo + ")"));
    }
    return missing;
  }

  /**
   * The activities the replayed part of the history had no result of: in flight when the run ended,
   * or finished in events the replay did not reach or the workflow never handled.
   */
  private static List<UnrecordedStep> unrecorded(
      List<HistoryEvent> all, List<HistoryEvent> replayed) {
    // The workflow's code saw what came before the last workflow task it ran.
    long seenBefore = 0;
    for (HistoryEvent e : replayed) {
      if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
        seenBefore = e.getEventId();
      }
    }
    Map<Long, HistoryEvent> scheduled = new LinkedHashMap<>();
    Map<Long, HistoryEvent> ended = new LinkedHashMap<>();
    for (HistoryEvent e : all) {
      switch (e.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> scheduled.put(e.getEventId(), e);
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED ->
            ended.put(e.getActivityTaskCompletedEventAttributes().getScheduledEventId(), e);
        case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
            ended.put(e.getActivityTaskFailedEventAttributes().getScheduledEventId(), e);
        case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT ->
            ended.put(e.getActivityTaskTimedOutEventAttributes().getScheduledEventId(), e);
        case EVENT_TYPE_ACTIVITY_TASK_CANCELED ->
            ended.put(e.getActivityTaskCanceledEventAttributes().getScheduledEventId(), e);
        default -> {}
      }
    }
    List<UnrecordedStep> steps = new ArrayList<>();
    for (HistoryEvent s : scheduled.values()) {
      var a = s.getActivityTaskScheduledEventAttributes();
      String type = a.getActivityType().getName();
      String target = TaskQueues.targetOf(a.getTaskQueue().getName());
      long at = Timestamps.toMillis(s.getEventTime());
      HistoryEvent end = ended.get(s.getEventId());
      if (end == null) {
        steps.add(new UnrecordedStep(type, target, "IN_FLIGHT", at, 0));
      } else if (end.getEventId() > seenBefore) {
        String state =
            switch (end.getEventType()) {
              case EVENT_TYPE_ACTIVITY_TASK_COMPLETED -> "COMPLETED";
              case EVENT_TYPE_ACTIVITY_TASK_FAILED -> "FAILED";
              case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT -> "TIMED_OUT";
              default -> "CANCELED";
            };
        steps.add(
            new UnrecordedStep(type, target, state, at, Timestamps.toMillis(end.getEventTime())));
      }
    }
    return steps;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private record Closing(String workflowId, String runId, long closedAt) {
    RecoveredJournal of(
        String closedAs,
        String outcome,
        String message,
        String closedBy,
        Source source,
        List<AuditEntry> entries) {
      return new RecoveredJournal(
          workflowId,
          runId,
          closedAs,
          closedAt,
          outcome,
          message,
          closedBy,
          source,
          entries,
          unsigned(entries, false, false),
          List.of());
    }
  }

  private static JsonNode firstJson(DataConverter converter, Payloads payloads) {
    if (payloads == null || payloads.getPayloadsCount() == 0) return null;
    return converter.fromPayloads(0, Optional.of(payloads), JsonNode.class, JsonNode.class);
  }

  private static List<AuditEntry> entries(JsonNode audit) {
    return audit == null || audit.isNull() ? List.of() : JSON.convertValue(audit, ENTRIES);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static int lastIndexOf(List<HistoryEvent> events, EventType type) {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).getEventType() == type) return i;
    }
    return -1;
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String m = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return m.lines().findFirst().orElse(m);
  }
}
