package io.abafix.lab.powershell;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.SyncServerActivitiesImpl;
import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.ProvenParameters;
import io.abafix.activities.approval.RunRef;
import io.abafix.activities.approval.StartedRun;
import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.model.StepResult;
import io.abafix.activities.powershell.PowerShellSyncServerHost;
import io.abafix.lab.Lab;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScriptDiagnosticsTest {

  @Test
  void what_a_script_writes_to_stderr_is_kept_in_the_steps_facts_for_the_audit() {
    Lab lab = Lab.loadResource("seed-pair", () -> 1_760_000_000_000L);
    FakePowerShellRunner runner =
        new FakePowerShellRunner(lab.host("SERVERA"))
            .behave(FakePowerShellRunner.Behaviour.WARNING_ON_STDERR);
    var activities =
        new SyncServerActivitiesImpl(
            new PowerShellSyncServerHost("SERVERA", runner), guard(lab), () -> SCHEDULED);

    StepResult paused = activities.pauseScheduler("SERVERA", pauseApproved(lab));

    String stderr = paused.after().getOrDefault("stderr", "");
    assertTrue(stderr.contains("Set-AbafixSyncCycle.ps1: WARNING"), stderr);
    assertTrue(stderr.contains("this cmdlet is deprecated"), stderr);
  }

  @Test
  void a_quiet_script_adds_nothing() {
    Lab lab = Lab.loadResource("seed-pair", () -> 1_760_000_000_000L);
    var activities =
        new SyncServerActivitiesImpl(
            new PowerShellSyncServerHost("SERVERA", new FakePowerShellRunner(lab.host("SERVERA"))),
            guard(lab),
            () -> SCHEDULED);

    assertFalse(
        activities.pauseScheduler("SERVERA", pauseApproved(lab)).after().containsKey("stderr"));
  }

  private static final ApprovalGuard.Scheduling SCHEDULED =
      new ApprovalGuard.Scheduling(new RunRef("default", "wf", "run-1"), "1", 1L);

  private static ApprovalGuard guard(Lab lab) {
    return lab.identities()
        .guard(
            false,
            (ns, wf, run) ->
                new StartedRun(ns, wf, run, run, java.time.Instant.now(), null, null, null));
  }

  /** An approval of a plan that lists SERVERA's pause among its changes. */
  private static StepAuthorization pauseApproved(Lab lab) {
    return lab.identities()
        .approval(
            "alice",
            new DecisionBinding(
                "default",
                "wf",
                "run-1",
                "PLAN",
                "plan",
                java.util.Map.of(ProvenParameters.CHANGES, "PAUSE_SCHEDULER@SERVERA"),
                DecisionBinding.APPROVE));
  }
}
