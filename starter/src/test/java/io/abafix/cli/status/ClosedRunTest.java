package io.abafix.cli.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.history.RecoveredJournal;
import io.abafix.workflows.history.RecoveredJournal.Source;
import io.abafix.workflows.history.RecoveredJournal.UnrecordedStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** What a closed run left paused, from its journal alone. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClosedRunTest {
  private static final String RUN = "abafix-remediation-contoso.onmicrosoft.com";

  private final List<AuditEntry> journal = new ArrayList<>();

  private void record(String step, String target, String outcome, Map<String, String> after) {
    record(step, target, outcome, after, null);
  }

  private void record(
      String step, String target, String outcome, Map<String, String> after, String actor) {
    long t = 1_000_000L + journal.size() * 1000L;
    journal.add(
        new AuditEntry(
            "r",
            journal.size() + 1,
            step,
            target,
            "AUTOMATED",
            actor,
            t,
            t + 500,
            1,
            outcome,
            Map.of(),
            after,
            "",
            "",
            ""));
  }

  private RecoveredJournal terminated(List<UnrecordedStep> unrecorded) {
    return new RecoveredJournal(
        RUN,
        "r",
        "TERMINATED",
        9_000_000L,
        null,
        "stuck",
        "alice",
        Source.REPLAY,
        journal,
        List.of("the run was terminated"),
        unrecorded);
  }

  @Test
  void a_server_paused_and_never_resumed_is_left_paused_and_one_resumed_is_not() {
    record("PREFLIGHT", "SERVERA", "DONE", Map.of("syncCycleEnabled", "true"));
    record("PREFLIGHT", "SERVERB", "DONE", Map.of("syncCycleEnabled", "true"));
    record("PAUSE_SCHEDULER", "SERVERA", "DONE", Map.of());
    record("RESUME_SCHEDULER", "SERVERA", "DONE", Map.of());
    record("PAUSE_SCHEDULER", "SERVERB", "DONE", Map.of());
    ClosedRun c = ClosedRun.of(terminated(List.of()));
    assertEquals(Set.of("SERVERB"), c.leftPaused().keySet());
    List<String> lines = c.lines(RUN, "abafix audit " + RUN);
    assertTrue(lines.get(0).startsWith(RUN + ": TERMINATED at "), lines.toString());
    assertTrue(lines.get(0).endsWith(" by alice (\"stuck\")"), lines.get(0));
    assertTrue(lines.stream().anyMatch(l -> l.contains(ClosedRun.RESUME)), lines.toString());
    assertTrue(lines.stream().anyMatch(l -> l.contains("INCOMPLETE")), lines.toString());
  }

  @Test
  void a_lost_reply_to_the_runs_own_pause_counts_and_a_scheduler_paused_before_the_run_does_not() {
    record("PREFLIGHT", "SERVERA", "DONE", Map.of("syncCycleEnabled", "true"));
    record("PREFLIGHT", "SERVERB", "DONE", Map.of("syncCycleEnabled", "false"));
    record("PAUSE_SCHEDULER", "SERVERA", "NO_CHANGE", Map.of());
    record("PAUSE_SCHEDULER", "SERVERB", "NO_CHANGE", Map.of());
    assertEquals(Set.of("SERVERA"), ClosedRun.of(terminated(List.of())).leftPaused().keySet());
  }

  @Test
  void a_shared_scheduler_pauses_every_server_until_their_window_closes() {
    record("PAUSE_SCHEDULER", "SERVERA", "DONE", Map.of());
    record("SCHEDULER_SHARED", "SERVERA", "INFO", Map.of("alsoPaused", "SERVERB,SERVERC"));
    record("SYNC_PAUSED", "SERVERC", "INFO", Map.of());
    assertEquals(
        List.of("SERVERA", "SERVERB"),
        List.copyOf(ClosedRun.of(terminated(List.of())).leftPaused().keySet()));
  }

  @Test
  void compensation_that_left_a_server_paused_leaves_it_paused() {
    record("PAUSE_SCHEDULER", "SERVERA", "DONE", Map.of());
    record("RESUME_SCHEDULER", "SERVERA", "LEFT_PAUSED", Map.of(), "compensation");
    RecoveredJournal compensated =
        new RecoveredJournal(
            RUN,
            "r",
            "FAILED",
            9_000_000L,
            "COMPENSATED",
            "remediation stopped",
            null,
            Source.FAILURE_DETAILS,
            journal,
            List.of(),
            List.of());
    ClosedRun c = ClosedRun.of(compensated);
    assertEquals(Set.of("SERVERA"), c.leftPaused().keySet());
    List<String> lines = c.lines(RUN, "abafix audit " + RUN);
    assertTrue(lines.get(0).startsWith(RUN + ": COMPENSATED, ended "), lines.toString());
    assertTrue(
        lines.contains("  SERVERA    RESUME_SCHEDULER LEFT_PAUSED (compensation)"),
        lines.toString());
    assertFalse(lines.stream().anyMatch(l -> l.contains("INCOMPLETE")), lines.toString());
    assertFalse(c.succeeded());
  }

  @Test
  void a_pause_under_way_when_the_run_ended_leaves_its_server_maybe_paused() {
    record("PAUSE_SCHEDULER", "SERVERA", "DONE", Map.of());
    ClosedRun c =
        ClosedRun.of(
            terminated(
                List.of(
                    new UnrecordedStep("PauseScheduler", "SERVERB", "IN_FLIGHT", 5_000_000L, 0),
                    new UnrecordedStep(
                        "RevertToServiceAccount", "SERVERA", "IN_FLIGHT", 5_000_000L, 0))));
    assertEquals(Set.of("SERVERA"), c.leftPaused().keySet());
    assertEquals(Set.of("SERVERB"), c.maybePaused());
    List<String> lines = c.lines(RUN, "abafix audit " + RUN);
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("  maybe paused") && l.endsWith("SERVERB")),
        lines.toString());
    assertTrue(
        lines.contains(
            "  under way when the run ended: RevertToServiceAccount on SERVERA (its result is not"
                + " recorded)"),
        lines.toString());
  }
}
