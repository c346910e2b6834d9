package io.abafix.workflows.model;

/**
 * The bounds of the run's durable waits, in seconds.
 *
 * @param propagationWaitSeconds how long a new service account may take to sign in (Microsoft: up
 *     to 15 minutes)
 * @param pollSeconds how often a wait looks again
 * @param syncCycleWaitSeconds how long a running sync cycle may take to end after pausing
 * @param workerWaitSeconds how long a step waits for its server's worker to poll before failing
 * @param heartbeatSeconds how long a running step may go without a sign of life from its worker
 *     before Temporal takes the worker for dead and retries the step elsewhere; {@value
 *     #DEFAULT_HEARTBEAT_SECONDS} when zero or less (which is also what a request written before
 *     this field existed reads as)
 */
public record Timings(
    long propagationWaitSeconds,
    long pollSeconds,
    long syncCycleWaitSeconds,
    long workerWaitSeconds,
    long heartbeatSeconds) {

  /**
   * Long enough that a busy worker (a script loading the ADSync module, a GC pause) never misses
   * it, short enough that a dead worker's step moves on within a minute.
   */
  public static final long DEFAULT_HEARTBEAT_SECONDS = 30;

  public Timings {
    if (heartbeatSeconds <= 0) heartbeatSeconds = DEFAULT_HEARTBEAT_SECONDS;
  }

  /** Bounds with the standard heartbeat timeout. */
  public Timings(
      long propagationWaitSeconds,
      long pollSeconds,
      long syncCycleWaitSeconds,
      long workerWaitSeconds) {
    this(
        propagationWaitSeconds,
        pollSeconds,
        syncCycleWaitSeconds,
        workerWaitSeconds,
        DEFAULT_HEARTBEAT_SECONDS);
  }

  public static Timings standard() {
    return new Timings(20 * 60, 30, 2 * 3600, 30 * 60);
  }
}
