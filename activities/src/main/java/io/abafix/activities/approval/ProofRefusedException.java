package io.abafix.activities.approval;

/** A proof that does not verify, with the reason in words (never the token itself). */
public final class ProofRefusedException extends Exception {
  public ProofRefusedException(String reason) {
    super(reason);
  }

  public ProofRefusedException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
