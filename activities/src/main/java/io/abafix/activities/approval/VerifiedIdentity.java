package io.abafix.activities.approval;

import java.time.Instant;
import java.util.List;

/**
 * Who a verified Entra ID token says signed in: for the audit, never a typed name.
 *
 * @param upn the {@code preferred_username} (the user principal name, for display)
 * @param objectId the user's {@code oid}: what the two-person rule compares
 * @param tenantId the {@code tid}
 * @param issuedAt the token's {@code iat}
 */
public record VerifiedIdentity(
    String upn, String objectId, String tenantId, Instant issuedAt, List<String> roles) {

  /** e.g. {@code alice@contoso.onmicrosoft.com (verified)}. */
  public String label() {
    return upn + " (verified)";
  }
}
