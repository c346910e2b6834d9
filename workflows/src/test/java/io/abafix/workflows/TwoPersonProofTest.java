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
      LabHarness.Run run = h.start(h.request());
      run.attestStartAs("carol");
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
      LabHarness.Run run = h.start(h.request());
      run.attestStartAs("alice");

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

      String why = rootMessage(end.failed());
      assertTrue(why.contains("signed start"), why);
      assertEquals(0, h.lab.effectCount("revertToServiceAccount", "SERVERA"));
    }
  }
}
