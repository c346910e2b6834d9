package io.abafix.workflows;

import static io.abafix.workflows.SharedAppRemediationWorkflowTest.assertEachServerOnItsOwnApp;
import static io.abafix.workflows.SharedAppRemediationWorkflowTest.assertLeftSafe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.IdentityType;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.fault.Fault;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.internal.Gates;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.OperatorTask;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.plan.StepName;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What happens when people and time interact with a run: approvals, confirmations, cancels. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(120)
class SharedAppRemediationPeopleAndTimeTest {

  @Test
  void a_plan_that_needs_three_approvals_pauses_no_scheduler_until_all_three_are_given() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run = h.start(h.request());
      run.driveUntil(p -> null, () -> run.stub.progress().pendingApprovals().size() == 3);
      List<PendingApproval> gates = run.stub.progress().pendingApprovals();
      for (PendingApproval p : gates) {
        assertEquals(0, h.lab.effectCount("setSyncCycleEnabled", "SERVERA"), "not paused yet");
        run.waitAWhile();
        run.stub.decide(
            run.signed(new ApprovalRequest(p.gate(), "bob", true, "ok", p.digest()), p));
      }
      RemediationResult result = run.drive(LabHarness.Operator.nobody()).succeeded();

      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      int lastApproval =
          result.audit().stream()
              .filter(e -> e.step().equals("APPROVAL"))
              .mapToInt(AuditEntry::seq)
              .max()
              .orElseThrow();
      int firstPause =
          result.audit().stream()
              .filter(e -> e.step().equals("PAUSE_SCHEDULER"))
              .mapToInt(AuditEntry::seq)
              .min()
              .orElseThrow();
      assertEquals(3, result.audit().stream().filter(e -> e.step().equals("APPROVAL")).count());
      assertTrue(lastApproval < firstPause, "every approval before the first pause");
      for (String server : List.of("SERVERA", "SERVERB")) {
        AuditEntry window =
            SharedAppRemediationWorkflowTest.entry(result.audit(), "SYNC_PAUSED", server);
        assertTrue(window.endedAt() >= window.startedAt(), window.toString());
      }
    }
  }

  @Test
  void a_late_approval_for_a_settled_gate_is_refused_and_changes_nothing() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run = h.start(h.request());
      PendingApproval p = SharedAppRemediationWorkflowTest.awaitGate(run);
      run.stub.decide(run.signed(new ApprovalRequest(p.gate(), "bob", true, "ok", p.digest()), p));
      WorkflowUpdateException again =
          assertThrows(
              WorkflowUpdateException.class,
              () ->
                  run.stub.decide(
                      run.signed(
                          new ApprovalRequest(p.gate(), "carol", false, "no", p.digest()), p)));
      assertTrue(
          SharedAppRemediationWorkflowTest.rootMessage(again).contains("already settled"),
          SharedAppRemediationWorkflowTest.rootMessage(again));
      RemediationResult result = run.drive(LabHarness.Operator.approvingAs("bob")).succeeded();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
    }
  }

  @Test
  void cancelled_while_it_waits_for_approval_the_run_ends_canceled_and_nothing_changed() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabSnapshot before = h.lab.snapshot();
      LabHarness.Run run = h.start(h.request());
      SharedAppRemediationWorkflowTest.awaitGate(run);
      run.cancel("change freeze");
      LabHarness.Finished finished = run.drive(LabHarness.Operator.nobody());

      assertInstanceOf(CanceledFailure.class, finished.failed().getCause());
      assertEquals(before, h.lab.snapshot());
      assertTrue(
          finished.audit().stream()
              .anyMatch(
                  e -> e.step().equals("CANCEL_REQUESTED") && e.detail().equals("change freeze")));
      assertTrue(
          finished.audit().stream()
              .anyMatch(e -> e.step().equals("APPROVAL") && e.outcome().equals("WITHDRAWN")));
    }
  }

  @Test
  void cancelled_after_a_revert_the_run_compensates_and_ends_canceled() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabSnapshot before = h.lab.snapshot();
      LabHarness.Run run = h.start(h.request());
      run.driveUntil(
          LabHarness.Operator.approvingAs("bob"),
          () -> "VERIFY_SERVICE_ACCOUNT@SERVERA".equals(run.stub.progress().current()));
      run.cancel("change freeze");
      LabHarness.Finished finished = run.drive(LabHarness.Operator.nobody());

      assertInstanceOf(CanceledFailure.class, finished.failed().getCause());
      assertEquals(Outcome.CANCELED, run.stub.progress().outcome());
      AuditEntry resumed =
          SharedAppRemediationWorkflowTest.entry(finished.audit(), "RESUME_SCHEDULER", "SERVERA");
      assertEquals("COMPENSATED", resumed.outcome(), resumed.toString());
      assertLeftSafe(before, h.lab.snapshot());
    }
  }

  /** A two-hour propagation bound, a propagation that takes most of it, and a 30-second poll. */
  @Test
  void a_two_hour_propagation_wait_stays_under_400_history_events() {
    Scenario scenario =
        LabHarness.scenario("seed-pair").withTiming(new Scenario.Timing(6000L, null, null));
    try (LabHarness h = LabHarness.of(scenario)) {
      RemediationResult result =
          h.start(
                  h.request(
                      false,
                      new ApprovalPolicy(true, false, 3600),
                      new Timings(7200, 30, 7200, 30)))
              .drive(LabHarness.Operator.approvingAs("bob"))
              .succeeded();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      AuditEntry verify =
          SharedAppRemediationWorkflowTest.entry(
              result.audit(), "VERIFY_SERVICE_ACCOUNT", "SERVERA");
      assertTrue(verify.attempts() > 100, "it did look many times: " + verify);
      long events =
          h.client
              .fetchHistory(WorkflowIds.remediation(h.lab.tenantDomain()))
              .getHistory()
              .getEventsCount();
      assertTrue(events < 400, "history events: " + events);
      assertEachServerOnItsOwnApp(h.lab.snapshot());
    }
  }

  @Test
  void a_duplicate_confirmation_and_one_for_another_server_are_refused() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run = h.start(Recordings.operatorRequest(h, List.of(StepName.CONFIGURE_ABA)));
      run.driveUntil(
          LabHarness.Operator.approvingAs("bob"),
          () -> run.stub.progress().pendingOperatorStep() != null);
      WorkflowUpdateException other =
          assertThrows(
              WorkflowUpdateException.class,
              () -> run.confirmAs("carol", "CONFIGURE_ABA", "SERVERA"));
      assertTrue(
          SharedAppRemediationWorkflowTest.rootMessage(other)
              .contains("not CONFIGURE_ABA on SERVERA"),
          SharedAppRemediationWorkflowTest.rootMessage(other));
      h.lab.host("SERVERB").configureApplicationAuthentication();
      run.confirmAs("carol", "CONFIGURE_ABA", "SERVERB");
      WorkflowUpdateException twice =
          assertThrows(
              WorkflowUpdateException.class,
              () -> run.confirmAs("dave", "CONFIGURE_ABA", "SERVERB"));
      assertTrue(
          SharedAppRemediationWorkflowTest.rootMessage(twice).contains("CONFIGURE_ABA@SERVERB"),
          SharedAppRemediationWorkflowTest.rootMessage(twice));
      // The accepted confirmation's entry is recorded by the workflow after the update returns.
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      while (configured(run) == 0 && System.nanoTime() < deadline) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError(e);
        }
      }
      assertEquals(1, configured(run), "confirmed once");
    }
  }

  private static long configured(LabHarness.Run run) {
    return run.stub.audit().stream()
        .filter(e -> e.step().equals("CONFIGURE_ABA") && e.target().equals("SERVERB"))
        .count();
  }

  @Test
  void a_decision_at_the_instant_of_the_timeout_resolves_one_way_recorded_once() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run =
          h.start(h.request(false, new ApprovalPolicy(true, false, 600), Timings.standard()));
      PendingApproval p = SharedAppRemediationWorkflowTest.awaitGate(run);
      h.env.sleep(Duration.ofMillis(p.deadline() - h.env.currentTimeMillis()));
      boolean accepted;
      try {
        run.stub.decide(
            run.signed(new ApprovalRequest(Gates.PLAN, "bob", true, "", p.planDigest()), p));
        accepted = true;
      } catch (WorkflowUpdateException | io.temporal.client.WorkflowNotFoundException refused) {
        // Refused by the gate, or the timeout already closed the run: either way not accepted.
        accepted = false;
      }
      LabHarness.Finished finished = run.drive(LabHarness.Operator.nobody());

      for (String gate :
          List.of("REVERT_TO_SERVICE_ACCOUNT@SERVERA", "DELETE_APPLICATIONS@directory")) {
        List<AuditEntry> entries =
            finished.audit().stream()
                .filter(e -> e.step().equals("APPROVAL") && gate.equals(e.after().get("gate")))
                .toList();
        assertEquals(1, entries.size(), gate + " recorded once: " + entries);
        assertEquals(accepted ? "APPROVED" : "TIMED_OUT", entries.get(0).outcome());
      }
      // Not approved in time: nothing was changed, so the run is blocked, not compensated.
      assertEquals(accepted ? Outcome.SUCCEEDED : Outcome.BLOCKED, finished.succeeded().outcome());
    }
  }

  @Test
  void a_confirmation_racing_the_operator_timeout_resolves_one_way_and_the_run_ends() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run = h.start(Recordings.operatorRequest(h, List.of(StepName.CONFIGURE_ABA)));
      run.driveUntil(
          LabHarness.Operator.approvingAs("bob"),
          () -> run.stub.progress().pendingOperatorStep() != null);
      OperatorTask task = run.stub.progress().pendingOperatorStep();
      h.lab.host("SERVERB").configureApplicationAuthentication();
      h.env.sleep(Duration.ofMillis(task.requestedAt() + 3_600_000L - h.env.currentTimeMillis()));
      boolean accepted;
      try {
        run.confirmAs("carol", "CONFIGURE_ABA", "SERVERB");
        accepted = true;
      } catch (WorkflowUpdateException | io.temporal.client.WorkflowNotFoundException refused) {
        // Refused by the gate, or the timeout already closed the run: either way not accepted.
        accepted = false;
      }
      LabHarness.Finished finished = run.drive(LabHarness.Operator.nobody());

      List<String> outcomes =
          finished.audit().stream()
              .filter(e -> e.step().equals("CONFIGURE_ABA") && e.target().equals("SERVERB"))
              .map(AuditEntry::outcome)
              .toList();
      assertEquals(List.of(accepted ? "DONE" : "FAILED"), outcomes);
      finished.failed(); // SERVERA's configuration is never confirmed either way.
    }
  }

  /** Real time: the revert takes four seconds, and the cancellation comes in the middle of it. */
  @Test
  void cancelled_in_the_middle_of_a_revert_the_script_finishes_and_compensation_runs() {
    Scenario scenario =
        LabHarness.scenario("seed-pair")
            .withTiming(new Scenario.Timing(0L, null, Map.of("revertToServiceAccount", 4000L)));
    try (LabHarness h = LabHarness.builder(scenario).inRealTime().start()) {
      LabSnapshot before = h.lab.snapshot();
      LabHarness.Run run =
          h.start(
              h.request(
                  false, new ApprovalPolicy(true, false, 3600), new Timings(120, 1, 120, 30, 2)));
      run.driveUntil(
          LabHarness.Operator.approvingAs("bob"),
          () ->
              h.lab.stepsInProgress().stream()
                  .anyMatch(s -> s.step().equals("revertToServiceAccount")));
      run.cancel("change freeze");
      LabHarness.Finished finished = run.drive(LabHarness.Operator.nobody());

      assertInstanceOf(CanceledFailure.class, finished.failed().getCause());
      LabSnapshot after = h.lab.snapshot();
      assertEquals(1, h.lab.effectCount("revertToServiceAccount", "SERVERA"), "finished, once");
      assertEquals(IdentityType.ServiceAccount, after.server("SERVERA").identityType());
      assertLeftSafe(before, after);
    }
  }

  /**
   * Real time: a step fails for good, compensation resumes SERVERB slowly, the run is cancelled
   * meanwhile, and SERVERA's first read in compensation fails for good too.
   */
  @Test
  void cancelled_during_compensation_with_a_failed_read_the_goal_is_still_met() {
    Scenario scenario =
        LabHarness.scenario("seed-pair")
            .withTiming(new Scenario.Timing(0L, null, Map.of("setSyncCycleEnabled", 1500L)))
            .withFaults(
                List.of(
                    new Fault(
                        "configureApplicationAuthentication",
                        "SERVERB",
                        Fault.Kind.PERMANENT,
                        1,
                        null,
                        null)));
    try (LabHarness h = LabHarness.builder(scenario).inRealTime().start()) {
      LabSnapshot before = h.lab.snapshot();
      LabHarness.Run run =
          h.start(
              h.request(
                  false, new ApprovalPolicy(true, false, 3600), new Timings(120, 1, 120, 30)));
      run.driveUntil(
          LabHarness.Operator.approvingAs("bob"),
          () -> "COMPENSATION".equals(run.stub.progress().current()));
      // The restore reads SERVERA first; the fault hits the next read, in SERVERA's own resume.
      h.lab
          .faults()
          .addAfter(1, new Fault("inspect", "SERVERA", Fault.Kind.PERMANENT, 1, null, null));
      run.cancel("stop it");
      LabHarness.Finished finished = run.drive(LabHarness.Operator.nobody());

      assertInstanceOf(CanceledFailure.class, finished.failed().getCause());
      assertEquals(2, h.lab.faults().fired().size(), "the read failed in compensation");
      assertTrue(
          finished.audit().stream()
              .anyMatch(
                  e ->
                      e.step().equals("RESUME_SCHEDULER")
                          && e.target().equals("SERVERA")
                          && e.outcome().equals("FAILED")),
          "SERVERA's first try failed");
      assertLeftSafe(before, h.lab.snapshot());
    }
  }

  @Test
  void a_read_that_fails_for_good_in_mid_run_ends_with_the_compensation_goal_met() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      // The first inspection is preflight's; the fourth is in the middle of the run.
      h.lab
          .faults()
          .addAfter(3, new Fault("inspect", "SERVERA", Fault.Kind.PERMANENT, 1, null, null));
      LabSnapshot before = h.lab.snapshot();

      LabHarness.Finished run = h.runApprovingEverything(h.request());

      assertEquals(1, h.lab.faults().fired().size(), "the fault fired");
      SharedAppRemediationWorkflowTest.assertRemediationFailed(run.failed(), "compensation ran");
      assertLeftSafe(before, h.lab.snapshot());
    }
  }
}
