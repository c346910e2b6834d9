package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.RemediationResult;
import io.temporal.client.WorkflowUpdateException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The run checks each signed decision as it arrives, so a person hears at once what is wrong, and
 * its journal names whom the sign-in proves. (The workers check again: UnapprovedStepsTest.)
 */
class SignedDecisionsTest {

  @Test
  void a_typed_name_alone_is_refused_as_the_person_decides_and_the_gate_stays_open() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run = h.start(h.request());
      PendingApproval gate = firstGate(h, run);

      WorkflowUpdateException refused =
          assertThrows(
              WorkflowUpdateException.class,
              () ->
                  run.stub.decide(
                      new ApprovalRequest("PLAN", "alice", true, "", gate.planDigest())));
      String why = TwoPersonProofTest.rootMessage(refused);
      assertTrue(why.contains("a typed name is not a proof"), why);
      assertFalse(run.stub.progress().pendingApprovals().isEmpty(), "the gates stay open");
    }
  }

  @Test
  void a_sign_in_made_for_another_gate_or_by_someone_without_the_role_is_refused() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run = h.start(h.request());
      PendingApproval gate = firstGate(h, run);

      // alice signed to reject, but the request says approve: the nonce binds the decision.
      DecisionBinding reject = run.binding("PLAN", false);
      String aliceRejects = h.lab.identities().idToken("alice", reject.nonce());
      WorkflowUpdateException moved =
          assertThrows(
              WorkflowUpdateException.class,
              () ->
                  run.stub.decide(
                      new ApprovalRequest(
                          "PLAN",
                          "alice",
                          true,
                          "",
                          gate.planDigest(),
                          new ApprovalProof(
                              aliceRejects,
                              "PLAN",
                              reject.planDigest(),
                              reject.parameters(),
                              DecisionBinding.APPROVE))));
      assertTrue(
          TwoPersonProofTest.rootMessage(moved).contains("nonce was made for another decision"),
          TwoPersonProofTest.rootMessage(moved));

      // carol signs in properly but holds no approver role.
      DecisionBinding approve = run.binding("PLAN", true);
      String carol = h.lab.identities().idToken("carol", approve.nonce());
      WorkflowUpdateException noRole =
          assertThrows(
              WorkflowUpdateException.class,
              () ->
                  run.stub.decide(
                      new ApprovalRequest(
                          "PLAN",
                          "carol",
                          true,
                          "",
                          gate.planDigest(),
                          ApprovalProof.of(carol, approve))));
      assertTrue(
          TwoPersonProofTest.rootMessage(noRole).contains("does not hold the app role"),
          TwoPersonProofTest.rootMessage(noRole));
      assertFalse(run.stub.progress().pendingApprovals().isEmpty(), "the gates stay open");
    }
  }

  @Test
  void every_decision_in_the_journal_names_the_verified_identity_and_when_it_signed_in() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      RemediationResult result =
          h.start(h.request()).drive(LabHarness.Operator.approvingAs("alice")).succeeded();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());

      var alice = h.lab.identities().requireUser("alice");
      List<AuditEntry> decisions =
          result.audit().stream().filter(e -> e.step().equals("APPROVAL")).toList();
      assertFalse(decisions.isEmpty());
      for (AuditEntry e : decisions) {
        assertEquals("alice@contoso.onmicrosoft.com (verified)", e.actor(), e.toString());
        assertEquals(alice.objectId(), e.after().get("objectId"), e.toString());
        assertEquals(h.lab.identities().tenantId(), e.after().get("tenantId"), e.toString());
        assertTrue(e.after().get("signedInAt").matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), e.toString());
      }
    }
  }

  private static PendingApproval firstGate(LabHarness h, LabHarness.Run run) {
    for (int i = 0; i < 200; i++) {
      var open = run.stub.progress().pendingApprovals();
      if (!open.isEmpty()) return open.get(0);
      run.waitAWhile();
    }
    throw new AssertionError("no gate opened: " + run.stub.progress());
  }
}
