package io.abafix.cli;

import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.InteractiveRequestParameters;
import com.microsoft.aad.msal4j.OpenBrowserAction;
import com.microsoft.aad.msal4j.Prompt;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.microsoft.aad.msal4j.SystemBrowserOptions;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.graph.RedirectingIdentityHttpClient;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Signs a person in to abafix's app registration with Entra ID as a public client (msal4j), and
 * returns the ID token whose nonce binds one decision. Authorization code with PKCE on a loopback
 * redirect ({@code http://localhost}, msal4j's own listener) in the system browser.
 *
 * <p>Not the device code flow: its ID token cannot carry the decision's nonce (the device
 * authorization request takes none, and Entra ID ignores one on the token request), so no worker
 * could tell which decision it approves; and Microsoft recommends blocking the flow, which is
 * phishable, with Conditional Access.
 *
 * <p>The token is handed to the workflow as the decision's proof and to nobody else: it is never
 * printed or logged.
 */
final class EntraSignIn implements DecisionSigner {
  /** Only the sign-in itself: the ID token is what abafix needs. */
  private static final Set<String> SCOPES = Set.of("openid", "profile");

  private static final long TIMEOUT_MINUTES = 10;

  private final ApprovalTrust trust;
  private final OpenBrowserAction browser;
  private final URI labEndpoint;

  /**
   * @param browser opens the sign-in page; null for the system browser
   * @param labEndpoint null in production; the loopback address of the lab's fake Entra ID
   */
  EntraSignIn(ApprovalTrust trust, OpenBrowserAction browser, URI labEndpoint) {
    this.trust = trust;
    this.browser = browser;
    this.labEndpoint = labEndpoint;
  }

  @Override
  public String sign(DecisionBinding binding, String loginHint) {
    PublicClientApplication app = application();
    Map<String, String> nonce = Map.of("nonce", binding.nonce());
    try {
      InteractiveRequestParameters.InteractiveRequestParametersBuilder p =
          InteractiveRequestParameters.builder(URI.create("http://localhost"))
              .scopes(SCOPES)
              // A decision is signed by whoever is at the keyboard now, never a cached account.
              .prompt(Prompt.LOGIN)
              .extraQueryParameters(nonce);
      if (loginHint != null && !loginHint.isBlank()) p.loginHint(loginHint);
      if (browser != null) {
        p.systemBrowserOptions(SystemBrowserOptions.builder().openBrowserAction(browser).build());
      }
      IAuthenticationResult result =
          app.acquireToken(p.build()).get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
      String idToken = result.idToken();
      if (idToken == null || idToken.isBlank()) {
        throw new UserError("the sign-in returned no ID token");
      }
      return idToken;
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new UserError("sign-in to Entra ID failed: " + cause.getMessage());
    } catch (TimeoutException e) {
      throw new UserError(
          "sign-in to Entra ID did not finish within " + TIMEOUT_MINUTES + " minutes");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UserError("sign-in interrupted");
    }
  }

  private PublicClientApplication application() {
    try {
      PublicClientApplication.Builder b =
          PublicClientApplication.builder(trust.clientId()).authority(trust.authority());
      if (labEndpoint != null) {
        b.instanceDiscovery(false)
            .httpClient(
                new RedirectingIdentityHttpClient(
                    URI.create(ApprovalTrust.AUTHORITY_HOST), labEndpoint));
      }
      return b.build();
    } catch (MalformedURLException e) {
      throw new UserError("invalid authority " + trust.authority());
    }
  }
}
