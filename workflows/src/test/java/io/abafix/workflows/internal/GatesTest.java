package io.abafix.workflows.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.PendingApproval;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The gate protocol on its own, in the order the SDK runs an update's parts: when two decisions
 * arrive in one workflow task, both validators run before either handler, so the handler must
 * refuse what the validator could not see.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class GatesTest {
  private static final String PLAN_DIGEST = "a".repeat(64);

  private final AuditJournal journal = new AuditJournal("run");
  private final Gates gates = new Gates(journal, () -> 1000L, "nothing waits", "alice");

  @Test
  void two_decisions_in_one_workflow_task_settle_the_gate_once_and_refuse_the_second() {
    open("REVERT_TO_SERVICE_ACCOUNT@SERVERA");
    PendingApproval p = gates.pending().get(0);
    ApprovalRequest bob = new ApprovalRequest(p.gate(), "bob", true, "", p.digest());
    ApprovalRequest carol = new ApprovalRequest(p.gate(), "carol", false, "", p.digest());

    assertDoesNotThrow(() -> gates.validate(bob));
    assertDoesNotThrow(() -> gates.validate(carol));
    assertEquals(p.gate(), gates.decide(bob));
    ApplicationFailure refused = assertThrows(ApplicationFailure.class, () -> gates.decide(carol));

    assertTrue(refused.getOriginalMessage().contains("already settled: APPROVED by bob"));
    List<AuditEntry> approvals = journal.entries();
    assertEquals(1, approvals.size(), "recorded once: " + approvals);
    assertEquals("APPROVED", approvals.get(0).outcome());
    assertEquals("bob", approvals.get(0).actor());
  }

  @Test
  void a_decision_that_names_no_gate_is_refused() {
    open("REVERT_TO_SERVICE_ACCOUNT@SERVERA");
    PendingApproval p = gates.pending().get(0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> gates.validate(new ApprovalRequest(null, "bob", true, "", p.digest())));
    assertTrue(e.getMessage().contains("name the gate you decide"), e.getMessage());
    assertThrows(
        ApplicationFailure.class,
        () -> gates.decide(new ApprovalRequest(" ", "bob", true, "", p.digest())));
    assertEquals(List.of(p), gates.pending(), "still open");
  }

  @Test
  void an_approval_without_the_gates_digest_or_by_the_requester_is_refused() {
    open("DELETE_APPLICATIONS@directory");
    PendingApproval p = gates.pending().get(0);
    assertThrows(
        IllegalArgumentException.class,
        () -> gates.validate(new ApprovalRequest(p.gate(), "bob", true, "", null)));
    assertThrows(
        IllegalArgumentException.class,
        () -> gates.validate(new ApprovalRequest(p.gate(), "bob", true, "", "0".repeat(12))));
    IllegalArgumentException own =
        assertThrows(
            IllegalArgumentException.class,
            () -> gates.validate(new ApprovalRequest(p.gate(), "Alice ", true, "", p.digest())));
    assertTrue(own.getMessage().contains("two-person rule"), own.getMessage());
    assertDoesNotThrow(
        () -> gates.validate(new ApprovalRequest(p.gate(), "bob", true, "", p.digest())));
  }

  @Test
  void one_plan_approval_settles_every_open_gate() {
    open("REVERT_TO_SERVICE_ACCOUNT@SERVERA", "DELETE_APPLICATIONS@directory");
    String settled =
        gates.decide(
            new ApprovalRequest(Gates.PLAN, "bob", true, "", PLAN_DIGEST.substring(0, 12)));
    assertEquals("REVERT_TO_SERVICE_ACCOUNT@SERVERA, DELETE_APPLICATIONS@directory", settled);
    assertEquals(List.of(), gates.pending());
    assertEquals(2, journal.size());
  }

  private void open(String... names) {
    gates.open(
        java.util.Arrays.stream(names)
            .map(n -> new Gates.Request(n, "target", n, Map.of("step", n)))
            .toList(),
        PLAN_DIGEST,
        java.time.Duration.ofMinutes(1));
  }
}
