package io.abafix.lab;

import io.abafix.activities.port.HostException;
import io.abafix.lab.fault.Fault;
import io.abafix.lab.fault.FaultInjector;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * What happens around every port call: the injected fault, if any, then the step's latency, then
 * the effect. Neither the fault lookup nor the sleep holds the lab lock, so that a slow step on one
 * server does not hold up the others.
 */
final class PortGuard {
  /** Graph HTTP faults are for the fake Graph endpoint; the in-process ports never take them. */
  private static final EnumSet<Fault.Kind> PORT_KINDS =
      EnumSet.complementOf(EnumSet.of(Fault.Kind.HTTP));

  private final FaultInjector faults;
  private final Map<String, Long> latencyMillis;
  private final List<Lab.StepInProgress> inProgress = new CopyOnWriteArrayList<>();
  private final List<Lab.Latency> latencies = new CopyOnWriteArrayList<>();
  private final java.util.function.LongSupplier clock;

  PortGuard(
      FaultInjector faults,
      Map<String, Long> latencyMillis,
      java.util.function.LongSupplier clock) {
    this.faults = faults;
    this.latencyMillis = Map.copyOf(latencyMillis);
    this.clock = clock;
  }

  /** Every latency served so far, oldest first. */
  List<Lab.Latency> latencies() {
    return List.copyOf(latencies);
  }

  /**
   * Runs one port method.
   *
   * @param server the server it acts on, or null for the directory
   */
  <T> T call(String step, String server, Supplier<T> effect) {
    return call(step, server, null, effect);
  }

  /**
   * Runs one port method whose first half alone can be left behind by an {@link
   * Fault.Kind#INTERRUPTED} fault.
   */
  <T> T call(String step, String server, Runnable firstHalf, Supplier<T> effect) {
    Lab.StepInProgress running = new Lab.StepInProgress(step, server);
    inProgress.add(running);
    try {
      return guarded(step, server, firstHalf, effect);
    } finally {
      inProgress.remove(running);
    }
  }

  /** The port calls running right now, oldest first. */
  List<Lab.StepInProgress> inProgress() {
    return List.copyOf(inProgress);
  }

  private <T> T guarded(String step, String server, Runnable firstHalf, Supplier<T> effect) {
    Fault fault = faults.take(step, server, PORT_KINDS).orElse(null);
    String where = server == null ? "the directory" : server;
    if (fault != null && fault.kind() == Fault.Kind.TRANSIENT) {
      throw new HostException(
          HostException.Category.TRANSIENT, "injected transient failure: " + step + " on " + where);
    }
    if (fault != null && fault.kind() == Fault.Kind.PERMANENT) {
      throw new HostException(
          HostException.Category.PERMANENT, "injected permanent failure: " + step + " on " + where);
    }
    pause(step, server, where);
    if (fault != null && fault.kind() == Fault.Kind.INTERRUPTED && firstHalf != null) {
      firstHalf.run();
      throw new HostException(
          HostException.Category.TRANSIENT,
          "worker died part way through " + step + " on " + where + " (simulated)");
    }
    T result = effect.get();
    if (fault != null && fault.kind() == Fault.Kind.CRASH) {
      // The effect is in place but the caller never hears so: its retry must find it done.
      throw new HostException(
          HostException.Category.TRANSIENT,
          "worker died during " + step + " on " + where + " (simulated)");
    }
    return result;
  }

  void run(String step, String server, Runnable effect) {
    call(
        step,
        server,
        () -> {
          effect.run();
          return null;
        });
  }

  private void pause(String step, String server, String where) {
    long millis = latencyMillis.getOrDefault(step, 0L);
    if (millis <= 0) return;
    latencies.add(new Lab.Latency(step, server, clock.getAsLong(), millis));
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HostException(
          HostException.Category.TRANSIENT, step + " on " + where + " was interrupted", e);
    }
  }
}
