package io.abafix.cli;

import io.abafix.activities.approval.DecisionBinding;

/** Gets a person's signed proof of one decision: an Entra ID token whose nonce binds it. */
@FunctionalInterface
interface DecisionSigner {
  /**
   * @param loginHint who is expected to sign in (a hint for the sign-in page; it proves nothing)
   * @return the ID token
   */
  String sign(DecisionBinding binding, String loginHint);
}
