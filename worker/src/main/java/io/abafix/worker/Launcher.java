package io.abafix.worker;

import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.PrintWriter;
import java.util.function.Function;

/**
 * Runs one worker role against Temporal. A role command validates its input, builds what its
 * activities need, and only then calls the launcher, so that bad input starts nothing. Tests
 * replace the launcher to see that.
 */
interface Launcher {
  /**
   * Connects, registers the role, polls until the process is told to stop.
   *
   * @param addressOverride host:port that replaces TEMPORAL_ADDRESS; null to use the environment
   * @param role registers the role's worker on the factory and returns it
   * @param out where the one "polling" line goes
   * @return the exit code once polling has stopped
   * @throws TemporalUnreachableException when Temporal does not answer at startup
   * @throws UserError when Temporal answers but refuses the namespace or the credentials
   */
  int run(String addressOverride, Function<WorkerFactory, Worker> role, PrintWriter out);

  /** As {@link #run(String, Function, PrintWriter)}, with every connection option. */
  default int run(
      ConnectionOptions temporal, Function<WorkerFactory, Worker> role, PrintWriter out) {
    return run(temporal.address, role, out);
  }
}
