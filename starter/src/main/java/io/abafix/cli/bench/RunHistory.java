package io.abafix.cli.bench;

import com.google.protobuf.Timestamp;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a finished run's history says about time: when it started and closed, and for each activity
 * its queue, type and when it was scheduled, started (its last attempt) and closed. Event times are
 * the server's clock, epoch millis.
 */
record RunHistory(int events, long startedAt, long closedAt, List<Activity> activities) {

  /**
   * One activity. {@code startedAt} is its last attempt's start: the attempts before it (a durable
   * wait's looks) leave no event of their own.
   */
  record Activity(String type, String queue, long scheduledAt, long startedAt, long closedAt) {}

  static RunHistory fetch(WorkflowClient client, String workflowId) {
    List<HistoryEvent> events = client.fetchHistory(workflowId).getEvents();
    Map<Long, String[]> scheduled = new LinkedHashMap<>();
    Map<Long, Long> scheduledAt = new LinkedHashMap<>();
    Map<Long, Long> startedAt = new LinkedHashMap<>();
    List<Activity> activities = new ArrayList<>();
    long start = millis(events.get(0).getEventTime());
    long close = millis(events.get(events.size() - 1).getEventTime());
    for (HistoryEvent e : events) {
      long at = millis(e.getEventTime());
      switch (e.getEventType()) {
        case EVENT_TYPE_ACTIVITY_TASK_SCHEDULED -> {
          var a = e.getActivityTaskScheduledEventAttributes();
          scheduled.put(
              e.getEventId(),
              new String[] {a.getActivityType().getName(), a.getTaskQueue().getName()});
          scheduledAt.put(e.getEventId(), at);
        }
        case EVENT_TYPE_ACTIVITY_TASK_STARTED ->
            startedAt.put(e.getActivityTaskStartedEventAttributes().getScheduledEventId(), at);
        case EVENT_TYPE_ACTIVITY_TASK_COMPLETED ->
            activities.add(
                closed(
                    e.getActivityTaskCompletedEventAttributes().getScheduledEventId(),
                    at,
                    scheduled,
                    scheduledAt,
                    startedAt));
        case EVENT_TYPE_ACTIVITY_TASK_FAILED ->
            activities.add(
                closed(
                    e.getActivityTaskFailedEventAttributes().getScheduledEventId(),
                    at,
                    scheduled,
                    scheduledAt,
                    startedAt));
        case EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT ->
            activities.add(
                closed(
                    e.getActivityTaskTimedOutEventAttributes().getScheduledEventId(),
                    at,
                    scheduled,
                    scheduledAt,
                    startedAt));
        default -> {
          // Workflow tasks, timers, markers: the gaps between activities show their cost.
        }
      }
    }
    return new RunHistory(events.size(), start, close, List.copyOf(activities));
  }

  /** Activities scheduled on {@code queue}. */
  List<Activity> on(String queue) {
    return activities.stream().filter(a -> a.queue().equals(queue)).toList();
  }

  private static Activity closed(
      long scheduledId,
      long at,
      Map<Long, String[]> scheduled,
      Map<Long, Long> scheduledAt,
      Map<Long, Long> startedAt) {
    String[] typeAndQueue = scheduled.get(scheduledId);
    long sAt = scheduledAt.get(scheduledId);
    return new Activity(
        typeAndQueue[0], typeAndQueue[1], sAt, startedAt.getOrDefault(scheduledId, sAt), at);
  }

  private static long millis(Timestamp t) {
    return t.getSeconds() * 1000 + t.getNanos() / 1_000_000;
  }
}
