package io.abafix.cli.status;

import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.history.RecoveredJournal;
import io.abafix.workflows.history.RecoveredJournal.UnrecordedStep;
import io.abafix.workflows.plan.PlannedStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A closed run as {@code abafix status} shows it, from its journal as its history holds it (no
 * worker needed): how it ended, each server's last step, and what it left paused: every server
 * whose scheduler the run paused and never resumed, and, for a run ended from outside (terminated,
 * timed out), the servers whose pause was under way, with how to finish by hand.
 *
 * @param leftPaused servers the run paused and did not resume, with when the pause began (epoch
 *     millis)
 * @param maybePaused servers whose pause had no result when the run ended
 * @param lastSteps each server's last journal record, in journal order
 */
public record ClosedRun(
    RecoveredJournal journal,
    Map<String, Long> leftPaused,
    Set<String> maybePaused,
    Map<String, AuditEntry> lastSteps) {

  /** The cmdlet that resumes a server's scheduler, as Microsoft documents it. */
  public static final String RESUME = "Set-ADSyncScheduler -SyncCycleEnabled $true";

  private static final String PAUSE_ACTIVITY = "PauseScheduler";

  public ClosedRun {
    leftPaused = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(leftPaused));
    maybePaused = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(maybePaused));
    lastSteps = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(lastSteps));
  }

  /** What the journal says the run left behind. */
  public static ClosedRun of(RecoveredJournal journal) {
    Map<String, Long> paused = new LinkedHashMap<>();
    Set<String> enabledAtPreflight = new LinkedHashSet<>();
    Map<String, AuditEntry> last = new LinkedHashMap<>();
    for (AuditEntry e : journal.entries()) {
      String target = e.target() == null ? "" : e.target();
      String outcome = e.outcome() == null ? "" : e.outcome();
      switch (e.step()) {
        case "PREFLIGHT" -> {
          if ("true".equals(e.after().get("syncCycleEnabled"))) enabledAtPreflight.add(target);
        }
        // NO_CHANGE: already paused, by this run's own pause whose reply was lost when the
        // scheduler was enabled at preflight, by someone else otherwise.
        case "PAUSE_SCHEDULER" -> {
          if (outcome.equals("DONE")
              || (outcome.equals("NO_CHANGE") && enabledAtPreflight.contains(target))) {
            paused.putIfAbsent(target, e.endedAt());
          }
        }
        case "SCHEDULER_SHARED" -> {
          for (String other : e.after().getOrDefault("alsoPaused", "").split(",")) {
            if (!other.isBlank()) paused.putIfAbsent(other.strip(), e.startedAt());
          }
        }
        case "SYNC_PAUSED" -> paused.remove(target);
        case "RESUME_SCHEDULER" -> {
          if (Set.of("DONE", "COMPENSATED", "NO_CHANGE").contains(outcome)) paused.remove(target);
        }
        default -> {}
      }
      if (!AuditJournal.DIGEST.equals(e.step())
          && !target.isEmpty()
          && !target.equals(PlannedStep.DIRECTORY)) {
        last.remove(target);
        last.put(target, e);
      }
    }
    Set<String> maybe = new LinkedHashSet<>();
    for (UnrecordedStep s : journal.unrecorded()) {
      if (PAUSE_ACTIVITY.equals(s.type()) && s.target() != null && !paused.containsKey(s.target()))
        maybe.add(s.target());
    }
    return new ClosedRun(journal, paused, maybe, last);
  }

  /**
   * The lines {@code abafix status RUN} prints.
   *
   * @param run the workflow id
   * @param auditCommand the command that prints the journal, e.g. {@code abafix audit RUN}
   */
  public List<String> lines(String run, String auditCommand) {
    RecoveredJournal j = journal;
    List<String> out = new ArrayList<>();
    if (j.endedFromOutside()) {
      out.add(
          run
              + ": "
              + j.closedAs()
              + " at "
              + Instant.ofEpochMilli(j.closedAtMillis())
              + (j.closedBy() == null ? "" : " by " + j.closedBy())
              + (j.message() == null ? "" : " (\"" + j.message() + "\")"));
      out.add(
          "  the run was ended from outside: it did not compensate, so what it changed stays as it"
              + " left it");
    } else {
      String outcome = j.outcome() != null ? j.outcome() : j.closedAs();
      out.add(run + ": " + outcome + ", ended " + Instant.ofEpochMilli(j.closedAtMillis()));
      if (j.message() != null && !j.message().isBlank()) out.add("  " + j.message());
    }
    lastSteps.forEach(
        (server, e) ->
            out.add(
                String.format(
                    "  %-10s %s %s%s",
                    server,
                    e.step(),
                    e.outcome(),
                    "compensation".equals(e.actor()) ? " (compensation)" : "")));
    if (!leftPaused.isEmpty()) {
      out.add("  left paused (the run paused their sync scheduler and never resumed it):");
      leftPaused.forEach(
          (server, since) ->
              out.add(
                  String.format("    %-10s paused since %s", server, Instant.ofEpochMilli(since))));
    }
    if (!maybePaused.isEmpty()) {
      out.add(
          "  maybe paused (a pause was under way when the run ended; Get-ADSyncScheduler shows"
              + " SyncCycleEnabled): "
              + String.join(", ", maybePaused));
    }
    for (UnrecordedStep s : j.unrecorded()) {
      if (s.inFlight() && !PAUSE_ACTIVITY.equals(s.type())) {
        out.add(
            "  under way when the run ended: "
                + s.type()
                + (s.target() == null ? "" : " on " + s.target())
                + " (its result is not recorded)");
      }
    }
    if (!leftPaused.isEmpty() || !maybePaused.isEmpty()) {
      out.add(
          "  finish by hand: on each server left paused, once it signs in with a working identity"
              + " (Get-ADSyncScheduler, a sync cycle without AADSTS errors), run "
              + RESUME
              + (j.endedFromOutside()
                  ? "; a step under way may have finished on its server: check it there first"
                  : ""));
    }
    out.add("  journal entries: " + j.entries().size() + " (" + auditCommand + ")");
    if (!j.complete()) {
      out.add(
          "  the journal is INCOMPLETE: recovered from its history, "
              + (j.missing().size() + j.unrecorded().size())
              + " things missing ("
              + auditCommand
              + " lists them)");
    }
    return out;
  }

  /** Whether the run ended as a followed run's exit code 0 stands for. */
  public boolean succeeded() {
    String outcome = journal.outcome() == null ? "" : journal.outcome();
    return !journal.endedFromOutside()
        && Set.of("SUCCEEDED", "DRY_RUN", "NOTHING_TO_DO")
            .contains(outcome.toUpperCase(Locale.ROOT));
  }
}
