package io.abafix.workflows.internal;

import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.PendingApproval;

/** The rules every approval gate applies before it accepts a decision, in one place. */
public final class DecisionRules {
  private DecisionRules() {}

  /**
   * Refuses a decision that names nobody, comes when nothing waits, names another gate, or breaks
   * the two-person rule.
   *
   * @param nothingPending the message when no gate is waiting
   * @param requestedBy who started the run (for the two-person rule), or null when it does not
   *     apply
   */
  public static void check(
      ApprovalRequest r, PendingApproval pending, String nothingPending, String requestedBy) {
    if (r == null || r.by() == null || r.by().isBlank()) {
      throw new IllegalArgumentException("say who decides (--as NAME)");
    }
    if (pending == null) {
      throw new IllegalStateException(nothingPending);
    }
    if (r.gate() != null && !r.gate().isBlank() && !r.gate().equals(pending.gate())) {
      throw new IllegalArgumentException(
          "the decision waiting is " + pending.gate() + ", not " + r.gate());
    }
    if (r.approve() && requestedBy != null && r.by().trim().equalsIgnoreCase(requestedBy.trim())) {
      throw new IllegalArgumentException(
          "two-person rule: " + r.by() + " started this run and cannot approve it");
    }
  }
}
