package io.abafix.workflows.model;

/**
 * A person's decision on one approval gate.
 *
 * @param gate the gate it settles, e.g. {@code REVERT_TO_SERVICE_ACCOUNT@SERVERA}, or {@code PLAN}
 *     for every gate the run waits on at once; required
 * @param by who decides; recorded in the audit
 * @param approve true to approve, false to reject (which ends the run through compensation)
 * @param digest the digest of what was looked at: the gate's {@link PendingApproval#digest()}, or
 *     for {@code PLAN} the plan's digest (all of it, or its first 12 or more characters); required
 *     to approve, so that an approval cannot settle a gate whose parameters changed since
 * @param proof the decider's Entra ID sign-in, whose nonce binds this run, the gate, the plan and
 *     the parameters ({@link io.abafix.activities.approval.DecisionBinding}); the workers refuse a
 *     destructive step without a valid one, whatever {@code by} says
 */
public record ApprovalRequest(
    String gate,
    String by,
    boolean approve,
    String comment,
    String digest,
    io.abafix.activities.approval.ApprovalProof proof) {

  /** A decision without a proof: a typed name, which no worker accepts for a destructive step. */
  public ApprovalRequest(String gate, String by, boolean approve, String comment, String digest) {
    this(gate, by, approve, comment, digest, null);
  }
}
