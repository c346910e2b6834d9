package io.abafix.cli;

import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.lab.signin.LabBrowser;
import java.net.URI;

/**
 * A person who approves whatever a followed run asks, signed in through {@code signer}: the demo's
 * lab users, never a production setting.
 *
 * @param user who signs in (a lab user such as {@code alice@contoso.onmicrosoft.com})
 */
record AutoApprover(String user, DecisionSigner signer) {
  /**
   * {@code user} signing in by msal4j's interactive sign-in (authorization code with PKCE) at the
   * lab's fake Entra ID on {@code identityEndpoint}, through a lab browser in which she signs in.
   *
   * @param trust the tenant and app whose sign-ins approve
   */
  static AutoApprover atLab(ApprovalTrust trust, URI identityEndpoint, String user) {
    return new AutoApprover(
        user,
        new EntraSignIn(
            trust,
            new LabBrowser(ApprovalTrust.AUTHORITY_HOST, identityEndpoint),
            identityEndpoint));
  }
}
