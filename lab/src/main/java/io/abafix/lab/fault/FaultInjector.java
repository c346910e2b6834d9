package io.abafix.lab.fault;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Hands out a scenario's faults, each until its count is used up. Thread safe: workers call it from
 * several activity threads.
 */
public final class FaultInjector {
  private final List<Remaining> remaining = new ArrayList<>();
  private final List<String> fired = new ArrayList<>();
  private final Map<Step, Integer> reached = new LinkedHashMap<>();

  /**
   * A place a fault can hit: an operation, on a server or (server null) on the directory.
   *
   * @param name a port method or Graph operation name, as in {@link Fault#step()}
   */
  public record Step(String name, String server) {
    @Override
    public String toString() {
      return server == null ? name : name + " on " + server;
    }
  }

  public FaultInjector(List<Fault> faults) {
    if (faults != null) faults.forEach(f -> remaining.add(new Remaining(f, f.times())));
  }

  public static FaultInjector none() {
    return new FaultInjector(List.of());
  }

  /**
   * Takes one use of the first fault matching {@code step} on {@code server} (null for the
   * directory), if any.
   */
  public synchronized Optional<Fault> take(String step, String server) {
    return take(step, server, EnumSet.allOf(Fault.Kind.class));
  }

  /**
   * Like {@link #take(String, String)}, but only faults of the given kinds match. The lab's ports
   * pass every kind except {@link Fault.Kind#HTTP}: Graph HTTP faults share step names with {@code
   * Directory} methods and belong to the fake Graph endpoint, not to the in-process port.
   */
  public synchronized Optional<Fault> take(String step, String server, EnumSet<Fault.Kind> kinds) {
    reached.merge(
        new Step(step, server == null ? null : server.toUpperCase(Locale.ROOT)), 1, Integer::sum);
    for (Iterator<Remaining> it = remaining.iterator(); it.hasNext(); ) {
      Remaining r = it.next();
      if (!kinds.contains(r.fault.kind())) continue;
      if (!r.fault.step().equals(step) || !sameServer(r.fault.server(), server)) continue;
      if (r.skip > 0) {
        r.skip--;
        continue;
      }
      if (--r.left <= 0) it.remove();
      fired.add(r.fault.kind() + " " + step + (server == null ? "" : " on " + server));
      return Optional.of(r.fault);
    }
    return Optional.empty();
  }

  /** Adds a fault after the scenario was loaded (tests arm one just before the step they hit). */
  public synchronized void add(Fault fault) {
    addAfter(0, fault);
  }

  /**
   * Adds a fault that lets the first {@code skip} matching calls through, e.g. to fail the second
   * {@code setSyncCycleEnabled} on a server (the resume) rather than the first (the pause).
   */
  public synchronized void addAfter(int skip, Fault fault) {
    Remaining r = new Remaining(fault, fault.times());
    r.skip = skip;
    remaining.add(r);
  }

  /** Faults not used up yet, in the order they match. */
  public synchronized List<Fault> pending() {
    return remaining.stream().map(r -> r.fault).toList();
  }

  /**
   * Every step that asked for a fault so far, whether one fired or not, in the order first reached:
   * the operations a run performed, which is where a fault matrix can aim.
   */
  public synchronized List<Step> reached() {
    return List.copyOf(reached.keySet());
  }

  /**
   * How many times a step asked for a fault. A server step asks once per call; a directory step
   * asks at the fake Graph endpoint and again at the port behind it.
   */
  public synchronized int timesReached(Step step) {
    return reached.getOrDefault(step, 0);
  }

  /** What has fired so far, in order, for test assertions and the demo's summary. */
  public synchronized List<String> fired() {
    return List.copyOf(fired);
  }

  private static boolean sameServer(String wanted, String actual) {
    if (wanted == null) return actual == null;
    return actual != null
        && wanted.toUpperCase(Locale.ROOT).equals(actual.toUpperCase(Locale.ROOT));
  }

  private static final class Remaining {
    final Fault fault;
    int left;
    int skip;

    Remaining(Fault fault, int left) {
      this.fault = fault;
      this.left = left;
    }
  }
}
