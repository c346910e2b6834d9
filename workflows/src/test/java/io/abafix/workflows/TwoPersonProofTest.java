package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationResult;
import io.temporal.client.WorkflowUpdateException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Workers on the two-person rule: every destructive step needs the requester's signed start and an
 * approver with another {@code oid}, whatever names the decisions carry.
 */
class TwoPersonProofTest {

  /** Every message down the cause chain, so the worker's reason shows whatever wraps it. */
  static String rootMessage(Throwable t) {
    StringBuilder all = new StringBuilder();
    for (Throwable c = t; c != null; c = c.getCause()) all.append(c.getMessage()).append(" | ");
    return all.toString();
  }

  @Test
  void carolStartsAliceApprovesAndEveryStepNamesTheVerifiedApprover() {
    try (LabHarness h =
        LabHarness.builder(LabHarness.scenario("seed-pair")).twoPersonWorkers().start()) {
      LabHarness.Run run = h.startAs(h.request(), "carol");
      RemediationResult result = run.drive(LabHarness.Operator.approvingAs("alice")).succeeded();

      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      List<AuditEntry> reverts =
          result.audit().stream()
              .filter(e -> e.step().equals("REVERT_TO_SERVICE_ACCOUNT"))
              .toList();
      assertEquals(2, reverts.size(), reverts.toString());
      reverts.forEach(
          e -> assertEquals("alice@contoso.onmicrosoft.com (verified)", e.actor(), e.toString()));
      assertEquals(1, h.lab.effectCount("revertToServiceAccount", "SERVERA"));
    }
  }

  @Test
  void theRequesterApprovingHerOwnRunIsRefusedAsSheDecidesAndNothingIsReverted() {
    try (LabHarness h =
        LabHarness.builder(LabHarness.scenario("seed-pair")).twoPersonWorkers().start()) {
      LabHarness.Run run = h.startAs(h.request(), "alice");

      // The run checks the sign-in as it arrives: alice started it, so her approval is refused
      // to her at once (her workers would refuse it too), and the run keeps waiting.
      WorkflowUpdateException refused =
          assertThrows(
              WorkflowUpdateException.class,
              () -> run.drive(LabHarness.Operator.approvingAs("alice")));
      String why = rootMessage(refused);
      assertTrue(why.contains("two-person") && why.contains("alice@"), why);
      assertFalse(run.stub.progress().pendingApprovals().isEmpty(), "the gates stay open");
      assertEquals(0, h.lab.effectCount("revertToServiceAccount", "SERVERA"));
      assertEquals(0, h.lab.effectCount("revertToServiceAccount", "SERVERB"));
    }
  }

  @Test
  void withoutTheRequestersSignedStartNothingIsReverted() {
    try (LabHarness h =
        LabHarness.builder(LabHarness.scenario("seed-pair")).twoPersonWorkers().start()) {
      LabHarness.Finished end =
          h.start(h.request()).drive(LabHarness.Operator.approvingAs("alice"));

      // Stopped at its start, before preflight: nothing was paused.
      RemediationResult blocked = end.succeeded();
      assertEquals(Outcome.BLOCKED, blocked.outcome(), blocked.message());
      assertTrue(blocked.message().contains("signed start"), blocked.message());
      assertEquals(java.util.Map.of(), h.lab.effectCounts());
      assertEquals(0, h.lab.effectCount("revertToServiceAccount", "SERVERA"));
    }
  }

  @Test
  void anApprovalGivenTwoHoursAfterTheSignedStartLetsTheRunFinish() {
    try (LabHarness h =
        LabHarness.builder(LabHarness.scenario("seed-pair")).twoPersonWorkers().start()) {
      LabHarness.Run run =
          h.startAs(
              h.request(
                  false,
                  new io.abafix.workflows.model.ApprovalPolicy(true, true, 6 * 3600),
                  io.abafix.workflows.model.Timings.standard()),
              "carol");
      SharedAppRemediationWorkflowTest.awaitGate(run);
      // carol's sign-in expired an hour ago when alice approves; the workers check it as of the
      // run's start, which the server recorded.
      h.env.sleep(java.time.Duration.ofHours(2));

      RemediationResult result = run.drive(LabHarness.Operator.approvingAs("alice")).succeeded();

      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      AuditEntry revert =
          result.audit().stream()
              .filter(e -> e.step().equals("REVERT_TO_SERVICE_ACCOUNT"))
              .findFirst()
              .orElseThrow();
      assertEquals("carol@contoso.onmicrosoft.com (verified)", revert.after().get("requestedBy"));
      assertEquals("alice@contoso.onmicrosoft.com (verified)", revert.after().get("approvedBy"));
    }
  }
}
