package io.abafix.cli.bench;

import io.abafix.activities.TaskQueues;
import io.abafix.cli.EmbeddedTemporal;
import io.abafix.cli.LabApprover;
import io.abafix.cli.rehearsal.RehearsalTiming;
import io.abafix.lab.Lab;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Sync-paused window: a cloned pair (one shared app, one machine id) remediated with the lab's
 * steps taking their real-world time, scaled down by one stated factor. For each server, how long
 * its scheduler stayed paused (the journal's SYNC_PAUSED entry) against the floor: the time its own
 * steps took while it was paused (from the history: each activity's last attempt, start to close),
 * plus what is left of its new service account's propagation when its sign-in wait begins; and the
 * run's wall time against its critical path, the union of every step's time, every propagation and
 * the approver's answer (from the run's request to her signed decision). The rest is orchestration:
 * scheduling, workflow tasks, and the wait's poll interval.
 */
final class PausedWindowBench {
  static final double TARGET = 1.05;

  /**
   * What each step takes on a real server, milliseconds, before scaling. Microsoft documents the
   * propagation (up to 15 minutes); the others are typical of the cmdlets on a sync server: loading
   * the ADSync module and reading the configuration, a scheduler change, a connector account
   * change, an ADSync service restart (stop, set the id, start), the ABA wizard's work, and a Graph
   * request.
   */
  static final Map<String, Long> REAL_LATENCY_MILLIS = realLatencies();

  static final long REAL_PROPAGATION_SECONDS = 900;

  /** One server in one run. */
  record Server(
      String name,
      long pausedMillis,
      long ownFloorMillis,
      long allStepsMillis,
      Map<String, Long> othersStepsMillis) {
    @com.fasterxml.jackson.annotation.JsonProperty(
        access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public double ratio() {
      return (double) pausedMillis / ownFloorMillis;
    }
  }

  /** One run. */
  record Run(long wallMillis, long criticalPathMillis, int activityCount, List<Server> servers) {
    @com.fasterxml.jackson.annotation.JsonProperty(
        access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public double ratio() {
      return (double) wallMillis / criticalPathMillis;
    }
  }

  record Result(
      int timeScale,
      long propagationSeconds,
      Map<String, Long> latencyMillis,
      long pollSeconds,
      List<Run> runs) {
    /** Per server name, the paused/floor ratios of every run. */
    @com.fasterxml.jackson.annotation.JsonProperty(
        access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public Map<String, Stats> serverRatios() {
      Map<String, List<Double>> by = new LinkedHashMap<>();
      for (Run r : runs) {
        for (Server s : r.servers())
          by.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(s.ratio());
      }
      Map<String, Stats> out = new LinkedHashMap<>();
      by.forEach((k, v) -> out.put(k, Stats.of(v)));
      return out;
    }

    @com.fasterxml.jackson.annotation.JsonProperty(
        access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public Stats runRatios() {
      return Stats.of(runs.stream().map(Run::ratio).toList());
    }

    /** Per server name, one statistic of its runs. */
    Map<String, Stats> serverFigure(java.util.function.ToDoubleFunction<Server> f) {
      Map<String, List<Double>> by = new LinkedHashMap<>();
      for (Run r : runs) {
        for (Server s : r.servers()) {
          by.computeIfAbsent(s.name(), n -> new ArrayList<>()).add(f.applyAsDouble(s));
        }
      }
      Map<String, Stats> out = new LinkedHashMap<>();
      by.forEach((k, v) -> out.put(k, Stats.of(v)));
      return out;
    }
  }

  private PausedWindowBench() {}

  /**
   * {@code runs} runs at once, each on its own embedded Temporal server and lab: they mostly wait,
   * so running them side by side saves time without taking CPU from each other.
   */
  static Result measure(int timeScale, int runs, Consumer<String> progress) {
    Map<String, Long> latencies = new LinkedHashMap<>();
    REAL_LATENCY_MILLIS.forEach((step, ms) -> latencies.put(step, Math.max(1, ms / timeScale)));
    long propagation = Math.max(1, REAL_PROPAGATION_SECONDS / timeScale);
    long poll = 1;
    Timings timings = new Timings(propagation * 4 + 60, poll, 120, 120);
    List<CompletableFuture<Run>> started = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      int n = i + 1;
      started.add(
          CompletableFuture.supplyAsync(
              () -> {
                Run r = once(latencies, propagation, timings);
                progress.accept(
                    String.format(
                        Locale.ROOT,
                        "sync-paused run %d: wall %.1f s, critical path %.1f s; %s",
                        n,
                        r.wallMillis() / 1000.0,
                        r.criticalPathMillis() / 1000.0,
                        String.join(
                            ", ",
                            r.servers().stream()
                                .map(
                                    s ->
                                        String.format(
                                            Locale.ROOT,
                                            "%s paused %.1f s (floor %.1f s)",
                                            s.name(),
                                            s.pausedMillis() / 1000.0,
                                            s.ownFloorMillis() / 1000.0))
                                .toList())));
                return r;
              }));
    }
    List<Run> done = started.stream().map(CompletableFuture::join).toList();
    return new Result(timeScale, propagation, latencies, poll, done);
  }

  private static Run once(Map<String, Long> latencies, long propagationSeconds, Timings timings) {
    Lab lab =
        Lab.fromScenario(
            Fleets.pairs(1, true, propagationSeconds, latencies), System::currentTimeMillis);
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        LabDeployment deployment = new LabDeployment(lab, temporal.address())) {
      String id = "bench-paused";
      RemediationResult result =
          LabDeployment.succeeded(
              deployment
                  .start(id, Fleets.request(lab.tenantDomain(), lab.serverNames(), timings))
                  .join(),
              "the sync-paused benchmark's remediation");
      LabApprover.Approval approval = deployment.approval(id);
      return analyse(
          RunHistory.fetch(deployment.client(), id),
          result.audit(),
          lab.serverNames(),
          propagationSeconds * 1000,
          List.of(new long[] {approval.askedAt(), approval.signedAt()}));
    }
  }

  /** The figures of one run, from its history and its journal. */
  static Run analyse(
      RunHistory history, List<AuditEntry> audit, List<String> servers, long propagationMillis) {
    return analyse(history, audit, servers, propagationMillis, List.of());
  }

  /**
   * The same, with the intervals in which a person answered (from a request to its signed answer):
   * the procedure's time too, on the critical path.
   */
  static Run analyse(
      RunHistory history,
      List<AuditEntry> audit,
      List<String> servers,
      long propagationMillis,
      List<long[]> personMillis) {
    Intervals all = new Intervals();
    for (long[] p : personMillis) all.add(p[0], p[1]);
    Map<String, Intervals> own = new LinkedHashMap<>();
    // A server's queue carries its tenant (abafix-server-<name>@<tenant>) or, for runs from
    // before tenant routing, none: either way it names the server.
    java.util.function.Function<String, String> ownerOf =
        queue -> servers.contains(TaskQueues.targetOf(queue)) ? TaskQueues.targetOf(queue) : null;
    for (String s : servers) {
      own.put(s, new Intervals());
    }
    Map<String, Long> revertedAt = new LinkedHashMap<>();
    List<String[]> propagations = new ArrayList<>();
    for (RunHistory.Activity a : history.activities()) {
      all.add(a.startedAt(), a.closedAt());
      String server = ownerOf.apply(a.queue());
      if (server != null) own.get(server).add(a.startedAt(), a.closedAt());
      if (server != null && a.type().equals("RevertToServiceAccount")) {
        revertedAt.put(server, a.closedAt());
      }
    }
    // The new account works only once propagated: from its revert to then, waiting is the floor.
    for (RunHistory.Activity a : history.activities()) {
      String server = ownerOf.apply(a.queue());
      Long reverted = server == null ? null : revertedAt.get(server);
      if (a.type().equals("AwaitSignIn") && reverted != null && a.scheduledAt() >= reverted) {
        long until = reverted + propagationMillis;
        if (until > a.scheduledAt() && a.scheduledAt() < reverted + propagationMillis) {
          own.get(server).add(a.scheduledAt(), until);
          all.add(a.scheduledAt(), until);
          propagations.add(
              new String[] {server, Long.toString(a.scheduledAt()), Long.toString(until)});
        }
        revertedAt.remove(server);
      }
    }
    List<Server> figures = new ArrayList<>();
    for (AuditEntry e : audit) {
      if (!e.step().equals("SYNC_PAUSED")) continue;
      String server = e.target().toUpperCase(Locale.ROOT);
      long from = e.startedAt();
      long to = e.endedAt();
      Map<String, Long> others = new LinkedHashMap<>();
      for (RunHistory.Activity a : history.activities()) {
        String owner = ownerOf.apply(a.queue());
        if (owner == null) owner = "directory";
        if (owner.equals(server)) continue;
        long overlap = Math.min(a.closedAt(), to) - Math.max(a.startedAt(), from);
        if (overlap > 0) others.merge(owner + " " + a.type(), overlap, Long::sum);
      }
      for (String[] p : propagations) {
        if (p[0].equals(server)) continue;
        long overlap = Math.min(Long.parseLong(p[2]), to) - Math.max(Long.parseLong(p[1]), from);
        if (overlap > 0) others.merge(p[0] + " propagation", overlap, Long::sum);
      }
      figures.add(
          new Server(
              server,
              to - from,
              own.get(server).coveredWithin(from, to),
              all.coveredWithin(from, to),
              others));
    }
    long wall = history.closedAt() - history.startedAt();
    return new Run(
        wall,
        all.coveredWithin(history.startedAt(), history.closedAt()),
        history.activities().size(),
        figures);
  }

  /** The rehearsal's table of typical step lengths, so that both predict from one table. */
  private static Map<String, Long> realLatencies() {
    Map<String, Long> m = new LinkedHashMap<>();
    RehearsalTiming.STEP_SECONDS.forEach((step, seconds) -> m.put(step, seconds * 1000));
    return java.util.Collections.unmodifiableMap(m);
  }
}
