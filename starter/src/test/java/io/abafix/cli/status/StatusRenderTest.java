package io.abafix.cli.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.cli.status.RunStatus.Server;
import io.abafix.cli.status.RunStatus.State;
import io.abafix.cli.status.RunStatus.Step;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.Progress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The status from what the queries answer, without Temporal. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatusRenderTest {
  private static final String RUN = "abafix-remediation-contoso.onmicrosoft.com";

  private static AuditEntry entry(
      int seq, String step, String target, long start, long end, int attempts) {
    return new AuditEntry(
        "r",
        seq,
        step,
        target,
        "AUTOMATED",
        null,
        start,
        end,
        attempts,
        "DONE",
        Map.of(),
        Map.of(),
        "ok",
        "",
        "");
  }

  @Test
  void a_run_waiting_for_approval_shows_the_wait_its_countdown_and_the_exact_command() {
    long t = 1_000_000;
    List<AuditEntry> journal =
        List.of(
            entry(1, "PAUSE_SCHEDULER", "SERVERA", t, t + 500, 1),
            entry(2, "WAIT_FOR_SYNC_CYCLE", "SERVERA", t + 500, t + 2_000, 3));
    PendingApproval gate =
        new PendingApproval(
            "REVERT_TO_SERVICE_ACCOUNT@SERVERA",
            "revert",
            t + 2_000,
            t + 2_000 + 600_000,
            "p".repeat(64),
            Map.of(),
            "d".repeat(64));
    Progress progress =
        new Progress(
            Outcome.RUNNING,
            "REVERT_TO_SERVICE_ACCOUNT@SERVERA",
            Map.of("SERVERA", "x"),
            "approval of REVERT_TO_SERVICE_ACCOUNT@SERVERA",
            gate,
            null,
            2,
            List.of(gate));
    RunStatus s = RunStatus.of(RUN, null, journal, progress, Set.of(), t + 62_000);

    Server a = s.servers().get(0);
    assertEquals(
        List.of(State.DONE, State.DONE, State.WAITING_FOR_APPROVAL),
        a.steps().stream().map(Step::state).toList());
    assertEquals(2, a.retries());
    assertEquals(61_500, a.pausedMillis(), "paused since the pause ended, so far");
    assertEquals(
        List.of(
            "abafix approve "
                + RUN
                + " --step REVERT_TO_SERVICE_ACCOUNT --server SERVERA"
                + " --digest dddddddddddd"),
        s.next());
    List<String> screen = StatusRender.screen(s);
    assertTrue(
        String.join("\n", screen).contains("times out in 9 min 0 s"), String.join("\n", screen));
    assertTrue(
        screen.contains(
            "    abafix approve "
                + RUN
                + " --step REVERT_TO_SERVICE_ACCOUNT --server SERVERA --digest dddddddddddd"));

    // Piped: the first look lists every step; the next lists only what changed.
    List<String> first = StatusRender.changes(null, s, t);
    assertEquals(
        3 + 2, first.size(), String.join("\n", first)); // 3 steps, the command, the countdown
    RunStatus later =
        RunStatus.of(
            RUN,
            null,
            List.of(
                journal.get(0),
                journal.get(1),
                entry(3, "REVERT_TO_SERVICE_ACCOUNT", "SERVERA", t + 70_000, t + 72_000, 1)),
            new Progress(
                Outcome.RUNNING,
                "VERIFY_SERVICE_ACCOUNT@SERVERA",
                Map.of(),
                null,
                null,
                null,
                3,
                List.of()),
            Set.of(),
            t + 73_000);
    List<String> changes = StatusRender.changes(s, later, t);
    RunStatus waiting =
        RunStatus.of(
            RUN,
            null,
            later.servers().isEmpty() ? List.of() : List.of(journal.get(0)),
            new Progress(
                Outcome.RUNNING,
                "VERIFY_SERVICE_ACCOUNT@SERVERA",
                Map.of(),
                "SERVERA to sign in with its service account",
                null,
                null,
                3,
                List.of(),
                t + 80_000 + 900_000),
            Set.of(),
            t + 80_000);
    assertEquals(new RunStatus.Countdown("this wait", 900_000), waiting.countdown());
    assertTrue(
        StatusRender.changes(later, waiting, t).stream()
            .anyMatch(
                l ->
                    l.endsWith(
                        "waiting for SERVERA to sign in with its service account (this wait times out in 15 min 0 s)")),
        String.join("\n", StatusRender.changes(later, waiting, t)));
    assertTrue(
        changes.get(0).contains("REVERT_TO_SERVICE_ACCOUNT  waiting for approval -> done (2.0 s)"),
        String.join("\n", changes));
    assertTrue(
        changes.get(1).contains("VERIFY_SERVICE_ACCOUNT")
            && changes.get(1).endsWith("running (1.0 s)"),
        String.join("\n", changes));
  }
}
