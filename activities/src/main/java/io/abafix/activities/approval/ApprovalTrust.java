package io.abafix.activities.approval;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whose sign-ins a worker trusts as approvals: one Entra ID tenant, one app registration (the
 * tokens' audience), and the app role an approver must hold.
 *
 * @param tenantId the tenant's id (a GUID): pins the issuer {@code https://<cloud's sign-in
 *     host>/<tenantId>/v2.0} and the {@code tid} claim
 * @param clientId the application (client) id of abafix's app registration: the {@code aud}
 * @param approverRole the app role an approver's token must carry in {@code roles}
 * @param approverGroup when not null, the object id of a group the approver's token must also list
 *     in {@code groups} (the app registration emits group ids in ID tokens); null for the role
 *     alone
 * @param twoPerson when true, a step also needs the requester's signed start, and the approver's
 *     {@code oid} must differ from the requester's
 * @param cloud the national cloud the tenant lives in: its sign-in host issues and signs the
 *     tokens; null is the global cloud
 */
public record ApprovalTrust(
    String tenantId,
    String clientId,
    String approverRole,
    String approverGroup,
    boolean twoPerson,
    SignInCloud cloud) {

  public static final String DEFAULT_APPROVER_ROLE = "Abafix.Approver";

  /** Entra ID's global cloud sign-in host. */
  public static final String AUTHORITY_HOST = "https://login.microsoftonline.com";

  private static final Pattern GUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

  public ApprovalTrust {
    cloud = cloud == null ? SignInCloud.GLOBAL : cloud;
    tenantId = require(tenantId, "the approvers' tenant id");
    clientId = require(clientId, "the client id of abafix's app registration");
    approverRole =
        approverRole == null || approverRole.isBlank() ? DEFAULT_APPROVER_ROLE : approverRole;
    approverGroup =
        approverGroup == null || approverGroup.isBlank()
            ? null
            : require(approverGroup, "the approvers' group object id");
  }

  /** In the global cloud. */
  public ApprovalTrust(
      String tenantId,
      String clientId,
      String approverRole,
      String approverGroup,
      boolean twoPerson) {
    this(tenantId, clientId, approverRole, approverGroup, twoPerson, SignInCloud.GLOBAL);
  }

  /** Approvers are whoever holds the role, in the global cloud. */
  public ApprovalTrust(String tenantId, String clientId, String approverRole, boolean twoPerson) {
    this(tenantId, clientId, approverRole, null, twoPerson);
  }

  /** This trust in another cloud. */
  public ApprovalTrust in(SignInCloud other) {
    return new ApprovalTrust(tenantId, clientId, approverRole, approverGroup, twoPerson, other);
  }

  /** The issuer of v2.0 ID tokens for the tenant, pinned exactly. */
  public String issuer() {
    return cloud.host() + "/" + tenantId + "/v2.0";
  }

  /** Where the tenant publishes its signing keys. */
  public URI jwksUri() {
    return URI.create(cloud.host() + "/" + tenantId + "/discovery/v2.0/keys");
  }

  /** The authority msal4j signs in against. */
  public String authority() {
    return cloud.host() + "/" + tenantId + "/";
  }

  private static String require(String guid, String what) {
    if (guid == null || !GUID.matcher(guid.trim().toLowerCase(Locale.ROOT)).matches()) {
      throw new IllegalArgumentException(what + " must be a GUID, got: " + guid);
    }
    return guid.trim().toLowerCase(Locale.ROOT);
  }
}
