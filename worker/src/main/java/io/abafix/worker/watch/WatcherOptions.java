package io.abafix.worker.watch;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a watcher runs.
 *
 * @param tenant the tenant the server belongs to, put in every report
 * @param interval how often it polls the event log and the server's state
 * @param stateFile where it keeps what it has already reported (JSON), so that a restart does not
 *     report the same event twice
 * @param firstRunLookback with no state file yet: how far back the first poll reports events; older
 *     ones are taken as seen
 */
public record WatcherOptions(
    String tenant, Duration interval, Path stateFile, Duration firstRunLookback) {

  public WatcherOptions {
    if (tenant == null || tenant.isBlank()) throw new IllegalArgumentException("no tenant");
    interval = interval == null ? Duration.ofMinutes(1) : interval;
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("the watch interval must be positive");
    }
    if (stateFile == null) throw new IllegalArgumentException("no watcher state file");
    firstRunLookback = firstRunLookback == null ? Duration.ofHours(24) : firstRunLookback;
  }
}
