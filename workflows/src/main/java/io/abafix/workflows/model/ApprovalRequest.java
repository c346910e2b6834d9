package io.abafix.workflows.model;

import io.abafix.activities.approval.ApprovalProof;

/**
 * A person's decision on the pending destructive step.
 *
 * @param gate the step key it answers; null answers whichever step is pending
 * @param by a display label for who decides; nothing trusts it (the proof says who signed in)
 * @param approve true to approve, false to reject (which ends the run through compensation)
 * @param proof the decider's Entra ID sign-in bound to this decision; the workers refuse a
 *     destructive step without a valid one
 */
public record ApprovalRequest(
    String gate, String by, boolean approve, String comment, ApprovalProof proof) {

  /** A decision without a proof: a typed name, which no worker accepts for a destructive step. */
  public ApprovalRequest(String gate, String by, boolean approve, String comment) {
    this(gate, by, approve, comment, null);
  }
}
