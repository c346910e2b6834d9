package io.abafix.cli.status;

import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.history.RecoveredJournal;
import io.abafix.workflows.model.OperatorTask;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.plan.Plan;
import io.abafix.workflows.plan.PlannedStep;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A run as the operator sees it: every server with its steps and their state, and what to do next.
 *
 * @param elapsedMillis since the run's first journal entry
 * @param next what the operator must do now, each an exact command or instruction; empty when the
 *     run needs nobody
 * @param countdown the longest wait under way and how long until its bound, or null
 */
public record RunStatus(
    String runId,
    String outcome,
    long elapsedMillis,
    List<Server> servers,
    String waitingFor,
    List<String> next,
    Countdown countdown) {

  /** A step's state, as the operator reads it. */
  public enum State {
    PENDING("pending"),
    RUNNING("running"),
    WAITING_FOR_APPROVAL("waiting for approval"),
    WAITING_FOR_OPERATOR("waiting for an operator"),
    WAITING_FOR_WORKER("waiting for a worker"),
    DONE("done"),
    FAILED("failed"),
    COMPENSATED("compensated");

    private final String words;

    State(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /**
   * @param elapsedMillis how long the step took, or has been at it so far
   * @param attempts activity attempts the journal records (0 while it has none)
   */
  public record Step(String step, State state, long elapsedMillis, int attempts, String detail) {}

  /**
   * @param pausedMillis how long the run has kept the server's scheduler paused so far
   * @param pausedNow whether it is paused now
   */
  public record Server(
      String name, List<Step> steps, int retries, long pausedMillis, boolean pausedNow) {}

  /** A wait with a bound: what, and how long until the bound. */
  public record Countdown(String what, long remainingMillis) {}

  private static final Set<String> FAILED = Set.of("FAILED", "REJECTED", "TIMED_OUT");

  /**
   * @param plan the run's plan, or null (before preflight, or a run without one)
   * @param workersMissing servers whose worker is not polling, as {@code WorkerCheck} finds
   * @param now the time, epoch millis
   */
  public static RunStatus of(
      String runId,
      Plan plan,
      List<AuditEntry> journal,
      Progress progress,
      Set<String> workersMissing,
      long now) {
    Map<String, AuditEntry> last = new HashMap<>();
    Map<String, List<AuditEntry>> compensations = new LinkedHashMap<>();
    Map<String, Integer> retries = new HashMap<>();
    Map<String, Long> pausedSince = new HashMap<>();
    Map<String, Long> paused = new HashMap<>();
    long started = journal.isEmpty() ? now : journal.get(0).startedAt();
    long lastEnded = started;
    for (AuditEntry e : journal) {
      lastEnded = Math.max(lastEnded, e.endedAt());
      retries.merge(e.target(), Math.max(0, e.attempts() - 1), Integer::sum);
      if ("compensation".equals(e.actor())) {
        compensations.computeIfAbsent(e.target(), t -> new ArrayList<>()).add(e);
      } else if (!e.step().equals("APPROVAL") && !e.step().equals("SYNC_PAUSED")) {
        last.put(e.step() + "@" + e.target(), e);
      }
      boolean changed = !FAILED.contains(e.outcome()) && !"SKIPPED".equals(e.outcome());
      if (e.step().equals("PAUSE_SCHEDULER") && changed) {
        pausedSince.putIfAbsent(e.target(), e.endedAt());
      } else if (e.step().equals("RESUME_SCHEDULER") && changed) {
        Long since = pausedSince.remove(e.target());
        if (since != null) paused.merge(e.target(), e.endedAt() - since, Long::sum);
      }
    }

    Map<String, PendingApproval> approvals = new HashMap<>();
    for (PendingApproval a : progress.pendingApprovals()) approvals.put(a.gate(), a);
    if (progress.pendingApproval() != null) {
      approvals.putIfAbsent(progress.pendingApproval().gate(), progress.pendingApproval());
    }
    OperatorTask task = progress.pendingOperatorStep();
    String current = progress.current();
    boolean running = "RUNNING".equals(progress.outcome().name());

    // The servers and steps in the plan's order; without a plan, in the journal's.
    Map<String, List<String>> planned = new LinkedHashMap<>();
    if (plan != null) {
      for (PlannedStep s : plan.steps()) {
        planned.computeIfAbsent(s.target(), t -> new ArrayList<>()).add(s.step().name());
      }
    } else {
      for (AuditEntry e : journal) {
        if (e.step().equals("REQUEST") || e.step().equals("PLAN")) continue;
        if (last.get(e.step() + "@" + e.target()) != e) continue;
        planned.computeIfAbsent(e.target(), t -> new ArrayList<>()).add(e.step());
      }
    }
    int at = current == null ? -1 : current.indexOf('@');
    if (at > 0) {
      List<String> steps =
          planned.computeIfAbsent(current.substring(at + 1), t -> new ArrayList<>());
      if (!steps.contains(current.substring(0, at))) steps.add(current.substring(0, at));
    }
    for (String s : progress.servers().keySet()) planned.putIfAbsent(s, new ArrayList<>());

    List<Server> servers = new ArrayList<>();
    for (Map.Entry<String, List<String>> server : planned.entrySet()) {
      String name = server.getKey();
      List<Step> steps = new ArrayList<>();
      for (String stepName : server.getValue()) {
        String key = stepName + "@" + name;
        AuditEntry e = last.get(key);
        State state;
        long elapsed = 0;
        String detail = "";
        if (e != null && !(key.equals(current) && running && e.endedAt() < lastEnded)) {
          state =
              FAILED.contains(e.outcome())
                  ? State.FAILED
                  : "COMPENSATED".equals(e.outcome()) ? State.COMPENSATED : State.DONE;
          elapsed = e.endedAt() - e.startedAt();
          detail = e.detail() == null ? "" : e.detail();
        } else if (running && task != null && key.equals(task.gate())) {
          state = State.WAITING_FOR_OPERATOR;
          elapsed = now - task.requestedAt();
        } else if (running && approvals.containsKey(key)) {
          state = State.WAITING_FOR_APPROVAL;
          elapsed = now - approvals.get(key).requestedAt();
        } else if (running && key.equals(current)) {
          boolean noWorker =
              workersMissing.contains(name)
                  || (progress.waitingFor() != null && progress.waitingFor().contains("worker"));
          state = noWorker ? State.WAITING_FOR_WORKER : State.RUNNING;
          elapsed = now - lastEnded;
          detail = progress.waitingFor() == null ? "" : "waiting for " + progress.waitingFor();
        } else {
          state = State.PENDING;
        }
        steps.add(new Step(stepName, state, elapsed, e == null ? 0 : e.attempts(), detail));
      }
      for (AuditEntry c : compensations.getOrDefault(name, List.of())) {
        steps.add(
            new Step(
                c.step() + " (compensation)",
                FAILED.contains(c.outcome()) ? State.FAILED : State.COMPENSATED,
                c.endedAt() - c.startedAt(),
                c.attempts(),
                c.detail() == null ? "" : c.detail()));
      }
      Long since = pausedSince.get(name);
      long pausedMillis =
          paused.getOrDefault(name, 0L) + (since == null ? 0 : (running ? now : lastEnded) - since);
      servers.add(
          new Server(name, steps, retries.getOrDefault(name, 0), pausedMillis, since != null));
    }

    List<String> next = new ArrayList<>();
    Countdown countdown = null;
    if (running) {
      List<PendingApproval> open = new ArrayList<>(progress.pendingApprovals());
      if (open.isEmpty() && progress.pendingApproval() != null)
        open.add(progress.pendingApproval());
      for (PendingApproval a : open) next.add(approveCommand(runId, a));
      if (open.size() > 1 && open.get(0).planDigest() != null) {
        next.add(approvePlanCommand(runId, open.get(0)) + "   (all of them at once)");
      }
      if (progress.waitDeadline() > 0 && progress.waitingFor() != null) {
        countdown = new Countdown("this wait", progress.waitDeadline() - now);
      } else if (!open.isEmpty()) {
        PendingApproval first =
            open.stream().min((x, y) -> Long.compare(x.deadline(), y.deadline())).get();
        countdown = new Countdown("approval of " + first.gate(), first.deadline() - now);
      }
      if (task != null) {
        next.add(task.instructions());
        next.add(
            "abafix confirm " + runId + " --step " + task.step() + " --server " + task.server());
      }
      for (String s : workersMissing) {
        next.add(
            s.equals(PlannedStep.DIRECTORY)
                ? "start the directory worker: abafix-worker directory --tenant-id ..."
                : "start the abafix worker on " + s + ": abafix-worker server --name " + s);
      }
    }
    return new RunStatus(
        runId,
        progress.outcome().name(),
        (running ? now : lastEnded) - started,
        List.copyOf(servers),
        progress.waitingFor(),
        List.copyOf(next),
        countdown);
  }

  /**
   * A closed run from its journal as its history holds it ({@link RecoveredJournal}): nothing
   * pending, nothing next, each server's steps as the journal records them (no plan: a closed run
   * answers no query), and how it ended: its own outcome, or how Temporal closed it when it was
   * ended from outside ({@code TERMINATED}, {@code TIMED_OUT}).
   */
  public static RunStatus closed(String runId, RecoveredJournal journal) {
    // Any outcome but RUNNING: nothing is waited for, and the durations end at the last record.
    Progress over =
        new Progress(
            io.abafix.workflows.model.Outcome.FAILED,
            "DONE",
            Map.of(),
            null,
            null,
            null,
            journal.entries().size(),
            List.of());
    RunStatus s = of(runId, null, journal.entries(), over, Set.of(), journal.closedAtMillis());
    String outcome =
        journal.endedFromOutside() || journal.outcome() == null
            ? journal.closedAs()
            : journal.outcome();
    return new RunStatus(s.runId(), outcome, s.elapsedMillis(), s.servers(), null, List.of(), null);
  }

  /** The command that approves one gate, naming its digest so that it approves only that. */
  static String approveCommand(String run, PendingApproval p) {
    int at = p.gate().indexOf('@');
    String gate =
        at < 0
            ? "--gate " + p.gate()
            : "--step " + p.gate().substring(0, at) + " --server " + p.gate().substring(at + 1);
    String digest =
        p.digest() == null
            ? ""
            : " --digest " + p.digest().substring(0, Math.min(12, p.digest().length()));
    return "abafix approve " + run + " " + gate + digest;
  }

  static String approvePlanCommand(String run, PendingApproval p) {
    return "abafix approve "
        + run
        + " --gate PLAN --digest "
        + p.planDigest().substring(0, Math.min(12, p.planDigest().length()));
  }

  /** Whether the run has ended. */
  public boolean ended() {
    return !outcome.equals("RUNNING");
  }
}
