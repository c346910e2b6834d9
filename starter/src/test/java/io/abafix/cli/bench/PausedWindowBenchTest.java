package io.abafix.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.abafix.workflows.audit.AuditEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PausedWindowBenchTest {

  @Test
  void a_servers_floor_is_its_own_steps_and_what_was_left_of_its_propagation() {
    // A paused from 1000 to 9000. Its steps: revert 1000-1500, sign-in wait scheduled at 1600
    // (propagation 5000 from the revert: until 6500, the last look 6600-6700), configure
    // 7000-8000. B's step 2000-3000 runs inside A's window; orchestration fills the gaps.
    RunHistory history = history();
    List<AuditEntry> audit = audit();

    PausedWindowBench.Run run =
        PausedWindowBench.analyse(history, audit, List.of("SERVERA", "SERVERB"), 5000);

    PausedWindowBench.Server a = run.servers().get(0);
    assertEquals(8000, a.pausedMillis());
    // 1000-1500, 1600-6500 (the rest of the propagation), 6600-6700, 7000-8000.
    assertEquals(500 + 4900 + 100 + 1000, a.ownFloorMillis());
    // Plus B's 2000-3000, which lies inside 1600-6500 already: the union does not count it twice.
    assertEquals(500 + 4900 + 100 + 1000, a.allStepsMillis());
    assertEquals(Map.of("SERVERB RotateApplicationCertificate", 1000L), a.othersStepsMillis());
    assertEquals(10_000, run.wallMillis());
  }

  @Test
  void the_critical_path_holds_the_approvers_answer_but_no_servers_floor_does() {
    // The approver answers from 200 to 600, before any scheduler is paused.
    PausedWindowBench.Run without =
        PausedWindowBench.analyse(history(), audit(), List.of("SERVERA", "SERVERB"), 5000);
    PausedWindowBench.Run with =
        PausedWindowBench.analyse(
            history(),
            audit(),
            List.of("SERVERA", "SERVERB"),
            5000,
            List.of(new long[] {200, 600}));

    assertEquals(500 + 4900 + 100 + 1000, without.criticalPathMillis());
    assertEquals(400 + 500 + 4900 + 100 + 1000, with.criticalPathMillis());
    assertEquals(without.servers().get(0).ownFloorMillis(), with.servers().get(0).ownFloorMillis());
  }

  private static RunHistory history() {
    return new RunHistory(
        100,
        0,
        10_000,
        List.of(
            new RunHistory.Activity(
                "RevertToServiceAccount", "abafix-server-servera", 900, 1000, 1500),
            new RunHistory.Activity(
                "RotateApplicationCertificate", "abafix-server-serverb", 1900, 2000, 3000),
            new RunHistory.Activity("AwaitSignIn", "abafix-server-servera", 1600, 6600, 6700),
            new RunHistory.Activity(
                "ConfigureApplicationAuthentication", "abafix-server-servera", 6900, 7000, 8000)));
  }

  private static List<AuditEntry> audit() {
    return List.of(
        new AuditEntry(
            "run",
            1,
            "SYNC_PAUSED",
            "SERVERA",
            "WORKFLOW",
            null,
            1000,
            9000,
            0,
            "INFO",
            Map.of(),
            Map.of(),
            "",
            null,
            null));
  }

  @Test
  void the_benchmark_predicts_from_the_rehearsals_one_table_of_step_lengths() {
    java.util.Map<String, Long> fromRehearsal = new java.util.LinkedHashMap<>();
    io.abafix.cli.rehearsal.RehearsalTiming.STEPS.forEach(
        s -> fromRehearsal.put(s.step(), s.seconds() * 1000));
    assertEquals(fromRehearsal, PausedWindowBench.REAL_LATENCY_MILLIS);
    io.abafix.cli.rehearsal.RehearsalTiming.STEPS.forEach(
        s -> org.junit.jupiter.api.Assertions.assertFalse(s.basis().isBlank(), s.step()));
  }
}
