package io.abafix.activities.approval;

import io.abafix.activities.FailureTypes;
import io.temporal.failure.ApplicationFailure;

/** {@link DecisionCheck} over the directory worker's own trust, keys and ledger. */
final class DecisionCheckImpl implements DecisionCheck {
  private final ApprovalGuard guard;

  DecisionCheckImpl(ApprovalGuard guard) {
    this.guard = guard;
  }

  @Override
  public VerifiedIdentity verify(ApprovalProof proof, RunRef run, boolean requireRole) {
    // The run is this activity's own, as the server scheduled it: not what the caller names.
    RunRef own = RunRef.ofCurrentActivity();
    try {
      return guard.checkDecision(proof, own, requireRole);
    } catch (KeysUnavailableException | RunUnreadableException e) {
      throw ApplicationFailure.newFailure(
          "the sign-in cannot be checked now: " + e.getMessage(), FailureTypes.TRANSIENT);
    } catch (ProofRefusedException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "sign-in refused: " + e.getMessage(), FailureTypes.APPROVAL_REFUSED);
    }
  }

  @Override
  public VerifiedStart checkStart() {
    try {
      return guard.claimStart(RunRef.ofCurrentActivity());
    } catch (KeysUnavailableException | RunUnreadableException e) {
      throw ApplicationFailure.newFailure(
          "the run's start cannot be checked now: " + e.getMessage(), FailureTypes.TRANSIENT);
    } catch (ProofRefusedException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the run's start is refused, nothing was changed: " + e.getMessage(),
          FailureTypes.APPROVAL_REFUSED);
    }
  }
}
