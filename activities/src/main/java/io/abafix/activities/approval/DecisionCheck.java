package io.abafix.activities.approval;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The workflow's own check of a signed decision as it arrives, on the tenant's directory worker
 * (which trusts that tenant's approvers): the person who approves, rejects, confirms or starts a
 * run hears at once when their sign-in does not verify, and the journal names whom the token
 * proves, never a typed name. The workers that act still verify every proof themselves ({@link
 * ApprovalGuard}); this check is for feedback and the audit, not the enforcement point.
 */
@ActivityInterface
public interface DecisionCheck {
  /**
   * @param run the run the decision is for, as the workflow knows it
   * @param requireRole whether the signer must hold the approver role (an approval does; a
   *     rejection, a confirmation or a requester's start need only a sign-in of the tenant)
   * @return who signed in
   * @throws io.temporal.failure.ApplicationFailure non-retryable, {@link
   *     io.abafix.activities.FailureTypes#APPROVAL_REFUSED}, naming the check that failed
   */
  @ActivityMethod(name = "VerifyDecision")
  VerifiedIdentity verify(ApprovalProof proof, RunRef run, boolean requireRole);

  /**
   * The run's own start, as the server recorded it, checked once at preflight: a start record is
   * there, its start id was used by no other run (a replayed start input is refused), and under the
   * two-person rule the requester signed it. The run that calls this is the one checked.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable, {@link
   *     io.abafix.activities.FailureTypes#APPROVAL_REFUSED}, saying why
   */
  @ActivityMethod(name = "CheckStart")
  VerifiedStart checkStart();
}
