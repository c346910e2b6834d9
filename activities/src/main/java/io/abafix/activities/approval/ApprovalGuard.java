package io.abafix.activities.approval;

import io.abafix.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;

/**
 * The check every destructive step makes before it touches anything: the step carries a verified
 * approval, for this run (from the worker's own activity info), covering this operation on this
 * target; and, under two-person, a verified start by a requester who is someone else. Anything less
 * fails the step permanently with {@link FailureTypes#APPROVAL_REFUSED}.
 */
public final class ApprovalGuard {
  private final IdTokenVerifier verifier;

  public ApprovalGuard(IdTokenVerifier verifier) {
    if (verifier == null) throw new IllegalArgumentException("a verifier is required");
    this.verifier = verifier;
  }

  /** Whose approvals this guard accepts. */
  public ApprovalTrust trust() {
    return verifier.trust();
  }

  /**
   * The check a workflow runs on a decision as it arrives, with this guard's trust and keys: the
   * directory worker registers it beside its steps.
   */
  public DecisionCheck decisionCheck() {
    return new DecisionCheckImpl(verifier);
  }

  /** {@link #authorize(StepAuthorization, RunRef, String, String)} for the running activity. */
  public VerifiedApproval authorize(StepAuthorization proofs, String operation, String target) {
    return authorize(proofs, RunRef.ofCurrentActivity(), operation, target);
  }

  /**
   * @param operation a {@link ProvenParameters} name
   * @param target the value the step acts on (a server name, an object id)
   * @throws ApplicationFailure non-retryable, {@link FailureTypes#APPROVAL_REFUSED}
   */
  public VerifiedApproval authorize(
      StepAuthorization proofs, RunRef run, String operation, String target) {
    try {
      return check(proofs, run, operation, target);
    } catch (KeysUnavailableException e) {
      // Not a refusal: the proof is checked again at the next attempt, nothing changed before.
      throw ApplicationFailure.newFailure(
          operation + " " + target + " not yet verified, nothing changed: " + e.getMessage(),
          FailureTypes.TRANSIENT);
    } catch (ProofRefusedException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          operation + " " + target + " refused, nothing changed: " + e.getMessage(),
          FailureTypes.APPROVAL_REFUSED);
    }
  }

  private VerifiedApproval check(
      StepAuthorization proofs, RunRef run, String operation, String target)
      throws ProofRefusedException {
    ApprovalProof approval = proofs == null ? null : proofs.approval();
    if (approval == null) {
      throw new ProofRefusedException("the step carries no signed approval");
    }
    if (!DecisionBinding.APPROVE.equals(approval.decision())) {
      throw new ProofRefusedException("the decision carried is " + approval.decision());
    }
    DecisionBinding binding = approval.bindingFor(run.namespace(), run.workflowId(), run.runId());
    VerifiedIdentity approver = verifier.verify(approval.idToken(), binding.nonce(), true);
    if (!ProvenParameters.covers(binding.parameters(), operation, target)) {
      throw new ProofRefusedException(
          approver.upn()
              + " approved "
              + binding.parameters()
              + ", not "
              + operation
              + " "
              + target);
    }
    VerifiedIdentity requester = null;
    if (verifier.trust().twoPerson()) {
      ApprovalProof start = proofs.requester();
      if (start == null) {
        throw new ProofRefusedException("two-person rule: the requester's signed start is missing");
      }
      DecisionBinding startBinding =
          DecisionBinding.start(run.namespace(), run.workflowId(), run.runId());
      requester = verifier.verify(start.idToken(), startBinding.nonce(), false);
      if (requester.objectId().equals(approver.objectId())) {
        throw new ProofRefusedException(
            "two-person rule: " + approver.upn() + " started this run and cannot approve it");
      }
    }
    return new VerifiedApproval(approver, requester, binding);
  }
}
