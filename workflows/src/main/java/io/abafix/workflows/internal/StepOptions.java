package io.abafix.workflows.internal;

import io.abafix.activities.DirectoryActivities;
import io.abafix.activities.FailureTypes;
import io.abafix.activities.StepBudgets;
import io.abafix.activities.SyncServerActivities;
import io.abafix.workflows.model.Timings;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Activity options for each kind of step, in one place. */
public final class StepOptions {
  /** Directory calls that change Entra ID. */
  private static final Set<String> DIRECTORY_CHANGES =
      Set.of("deleteApplication", "restoreApplication");

  private StepOptions() {}

  /**
   * Steps on one server. The schedule-to-start bound is how long a step waits for that server's
   * worker; Temporal never retries that timeout, so the workflow turns it into a message naming the
   * worker. Use {@link #serverStub}, which also sets each method's own StartToClose.
   */
  public static ActivityOptions server(Route route, String server, Timings timings) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(route.serverQueue(server))
        .setContextPropagators(route.propagators())
        .setScheduleToStartTimeout(Duration.ofSeconds(timings.workerWaitSeconds()))
        .setStartToCloseTimeout(StepBudgets.startToClose("inspectServer"))
        .setHeartbeatTimeout(heartbeat(timings))
        .setRetryOptions(retry(Duration.ofMinutes(1), 8))
        .build();
  }

  /**
   * The stub for one server's steps: each method's StartToClose is at least its scripts' own
   * timeouts plus its inspections ({@link StepBudgets}), so Temporal never abandons an attempt
   * whose script may still be running; and a step that changes the server waits for its attempt to
   * end when the run is cancelled ({@code WAIT_CANCELLATION_COMPLETED}) instead of leaving it
   * behind.
   */
  public static SyncServerActivities serverStub(Route route, String server, Timings timings) {
    return Workflow.newActivityStub(
        SyncServerActivities.class,
        server(route, server, timings),
        serverMethods(route, server, timings));
  }

  /** Per method (by activity type), the options {@link #serverStub} uses. */
  public static Map<String, ActivityOptions> serverMethods(
      Route route, String server, Timings timings) {
    Map<String, ActivityOptions> byType = new HashMap<>();
    for (String method : StepBudgets.methods()) {
      ActivityOptions.Builder b =
          ActivityOptions.newBuilder(server(route, server, timings))
              .setStartToCloseTimeout(StepBudgets.startToClose(method));
      if (StepBudgets.changes(method)) {
        b.setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED);
      }
      byType.put(activityType(method), b.build());
    }
    return byType;
  }

  /**
   * A durable wait on one server ({@link DurableWaits}): retried every poll interval, never more
   * often, until {@code bound} has passed since the first look.
   */
  public static ActivityOptions poll(Route route, String server, Timings timings, Duration bound) {
    Duration poll = Duration.ofSeconds(Math.max(1, timings.pollSeconds()));
    return ActivityOptions.newBuilder(server(route, server, timings))
        .setStartToCloseTimeout(StepBudgets.startToClose("awaitSignIn"))
        .setScheduleToCloseTimeout(bound.isZero() ? poll : bound)
        .setRetryOptions(
            RetryOptions.newBuilder()
                .setInitialInterval(poll)
                .setBackoffCoefficient(1.0)
                .setMaximumInterval(poll)
                .setDoNotRetry(FailureTypes.NON_RETRYABLE)
                .build())
        .build();
  }

  /** Graph calls. Throttling answers carry their own next-retry delay (Retry-After). */
  public static ActivityOptions directory(Route route, Timings timings) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(route.directoryQueue())
        .setContextPropagators(route.propagators())
        .setScheduleToStartTimeout(Duration.ofSeconds(timings.workerWaitSeconds()))
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setHeartbeatTimeout(heartbeat(timings))
        .setRetryOptions(retry(Duration.ofMinutes(2), 10))
        .build();
  }

  /**
   * The directory stub: deletions and restores wait for their attempt when the run is cancelled.
   */
  public static DirectoryActivities directoryStub(Route route, Timings timings) {
    Map<String, ActivityOptions> byType = new HashMap<>();
    for (String method : DIRECTORY_CHANGES) {
      byType.put(
          activityType(method),
          ActivityOptions.newBuilder(directory(route, timings))
              .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
              .build());
    }
    return Workflow.newActivityStub(DirectoryActivities.class, directory(route, timings), byType);
  }

  /** The SDK's default activity type of a method: its name with a capital first letter. */
  static String activityType(String method) {
    return method.substring(0, 1).toUpperCase(Locale.ROOT) + method.substring(1);
  }

  /**
   * Without a heartbeat timeout, a worker killed in the middle of a step holds that step until its
   * StartToClose timeout runs out before Temporal retries it. The activities heartbeat while a
   * script or a Graph call runs, so a silent attempt means a dead (or cut-off) worker, and the step
   * is retried once the worker, or its replacement, polls again. The retry is safe because every
   * step inspects before it acts, and because the script the dead worker started (which nothing
   * kills) holds the server's abafix mutex until it ends: the retry's inspection waits for it
   * (AbafixCommon.ps1), so it sees the effect instead of acting again.
   */
  private static Duration heartbeat(Timings timings) {
    return Duration.ofSeconds(timings.heartbeatSeconds());
  }

  private static RetryOptions retry(Duration maximumInterval, int maximumAttempts) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2.0)
        .setMaximumInterval(maximumInterval)
        .setMaximumAttempts(maximumAttempts)
        .setDoNotRetry(FailureTypes.NON_RETRYABLE)
        .build();
  }
}
