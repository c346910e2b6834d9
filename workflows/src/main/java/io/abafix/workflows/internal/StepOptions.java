package io.abafix.workflows.internal;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.TaskQueues;
import io.abafix.workflows.model.Timings;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Activity options for each kind of step, in one place. */
public final class StepOptions {
  private StepOptions() {}

  /**
   * Steps on one server. The schedule-to-start bound is how long a step waits for that server's
   * worker; Temporal never retries that timeout, so the workflow turns it into a message naming the
   * worker.
   */
  public static ActivityOptions server(String server, Timings timings) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.forServer(server))
        .setScheduleToStartTimeout(Duration.ofSeconds(timings.workerWaitSeconds()))
        // Configuring ABA or restarting ADSync takes minutes on a real server.
        .setStartToCloseTimeout(Duration.ofMinutes(10))
        .setHeartbeatTimeout(heartbeat(timings))
        .setRetryOptions(retry(Duration.ofMinutes(1), 8))
        .build();
  }

  /** Graph calls. Throttling answers carry their own next-retry delay (Retry-After). */
  public static ActivityOptions directory(Timings timings) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.DIRECTORY)
        .setScheduleToStartTimeout(Duration.ofSeconds(timings.workerWaitSeconds()))
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setHeartbeatTimeout(heartbeat(timings))
        .setRetryOptions(retry(Duration.ofMinutes(2), 10))
        .build();
  }

  /**
   * Without a heartbeat timeout, a worker killed in the middle of a step holds that step until its
   * StartToClose timeout runs out (ten minutes for a server step) before Temporal retries it. The
   * activities heartbeat while a script or a Graph call runs, so a silent attempt means a dead (or
   * cut-off) worker, and the step is retried once the worker, or its replacement, polls again. The
   * retry is safe because every step inspects before it acts, and because the script the dead
   * worker started (which nothing kills) holds the server's abafix mutex until it ends: the retry's
   * inspection waits for it (AbafixCommon.ps1), so it sees the effect instead of acting again.
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
