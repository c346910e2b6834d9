package io.abafix.activities.approval;

/**
 * The proofs a destructive step carries: the approver's signed decision and, where the two-person
 * rule applies, the requester's signed start of the run (to show the approver is someone else).
 *
 * @param requester the requester's {@link DecisionBinding#START} proof, or null
 * @param approval the approver's {@link DecisionBinding#APPROVE} proof
 */
public record StepAuthorization(ApprovalProof requester, ApprovalProof approval) {

  /** Nothing: what a step scheduled by anyone but an approved run carries. */
  public static StepAuthorization none() {
    return new StepAuthorization(null, null);
  }
}
