package io.abafix.cli;

import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.SignInCloud;
import io.abafix.lab.signin.LabBrowser;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;

/** How a person signs in to Entra ID to sign a decision (see {@link EntraSignIn}). */
final class SignInOptions {
  @Option(
      names = "--approver-tenant-id",
      paramLabel = "GUID",
      defaultValue = "${env:ABAFIX_APPROVER_TENANT_ID}",
      description = "Your Entra ID tenant's id (default: ABAFIX_APPROVER_TENANT_ID)")
  String tenantId;

  @Option(
      names = "--approver-client-id",
      paramLabel = "APP_ID",
      defaultValue = "${env:ABAFIX_APPROVER_CLIENT_ID}",
      description =
          "The application (client) id of abafix's app registration (default:"
              + " ABAFIX_APPROVER_CLIENT_ID)")
  String clientId;

  @Option(
      names = "--approver-cloud",
      defaultValue = "${env:ABAFIX_APPROVER_CLOUD:-global}",
      description =
          "Your tenant's cloud: global, usgov (US Government and DoD) or china (default:"
              + " ABAFIX_APPROVER_CLOUD, else global)")
  String cloud;

  /**
   * The lab's fake Entra ID on loopback, or null: set only by a test's command factory ({@link
   * #atLab}), never by an option, so the production command line cannot be sent to another sign-in
   * endpoint. Its tokens are signed with the lab's keys, which no production worker trusts.
   */
  private final URI labIdentityEndpoint;

  SignInOptions() {
    this(null);
  }

  private SignInOptions(URI labIdentityEndpoint) {
    this.labIdentityEndpoint = labIdentityEndpoint;
  }

  /** Sign-in at the lab's fake Entra ID on {@code endpoint} (loopback only), as {@code --as}. */
  static SignInOptions atLab(URI endpoint) {
    return new SignInOptions(loopback(endpoint.toString()));
  }

  /** Whether the options say which app to sign in to. */
  boolean configured() {
    return tenantId != null && clientId != null;
  }

  DecisionSigner signer(PrintWriter prompt) {
    if (tenantId == null || clientId == null) {
      throw new UserError(
          "say which app you sign in to: --approver-tenant-id and --approver-client-id (or"
              + " ABAFIX_APPROVER_TENANT_ID and ABAFIX_APPROVER_CLIENT_ID)");
    }
    ApprovalTrust trust;
    try {
      trust = new ApprovalTrust(tenantId, clientId, null, false).in(SignInCloud.of(cloud));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    URI lab = labIdentityEndpoint;
    return new EntraSignIn(
        trust, lab == null ? null : new LabBrowser(ApprovalTrust.AUTHORITY_HOST, lab), lab);
  }

  private static URI loopback(String value) {
    try {
      URI url = URI.create(value);
      if ("http".equals(url.getScheme())
          && url.getHost() != null
          && InetAddress.getByName(url.getHost()).isLoopbackAddress()) {
        return url;
      }
    } catch (IllegalArgumentException | UnknownHostException e) {
      // refused below
    }
    throw new IllegalArgumentException("the lab's sign-in is on loopback http, not " + value);
  }
}
