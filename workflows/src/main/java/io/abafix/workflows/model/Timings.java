package io.abafix.workflows.model;

/**
 * The bounds of the run's durable waits, in seconds.
 *
 * @param propagationWaitSeconds how long a new service account may take to sign in (Microsoft: up
 *     to 15 minutes)
 * @param pollSeconds how often a wait looks again
 * @param syncCycleWaitSeconds how long a running sync cycle may take to end after pausing
 * @param workerWaitSeconds how long a step waits for its server's worker to poll before failing
 */
public record Timings(
    long propagationWaitSeconds,
    long pollSeconds,
    long syncCycleWaitSeconds,
    long workerWaitSeconds) {
  public static Timings standard() {
    return new Timings(20 * 60, 30, 2 * 3600, 30 * 60);
  }
}
