package io.abafix.activities.approval;

import io.abafix.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;

/** {@link DecisionCheck} over the orchestrator's own trust in the approvers' tenant. */
public final class DecisionCheckImpl implements DecisionCheck {
  private final IdTokenVerifier verifier;

  public DecisionCheckImpl(IdTokenVerifier verifier) {
    if (verifier == null) throw new IllegalArgumentException("a verifier is required");
    this.verifier = verifier;
  }

  @Override
  public VerifiedIdentity verify(ApprovalProof proof, RunRef run, boolean requireRole) {
    try {
      if (proof == null) throw new ProofRefusedException("no sign-in: a typed name is not a proof");
      DecisionBinding binding = proof.bindingFor(run.namespace(), run.workflowId(), run.runId());
      return verifier.verify(proof.idToken(), binding.nonce(), requireRole);
    } catch (ProofRefusedException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "sign-in refused: " + e.getMessage(), FailureTypes.APPROVAL_REFUSED);
    }
  }
}
