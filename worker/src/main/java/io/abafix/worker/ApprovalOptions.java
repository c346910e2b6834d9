package io.abafix.worker;

import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.activities.approval.KeysUnavailableException;
import io.abafix.activities.approval.SignInCloud;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Whose signed approvals this worker accepts for its destructive steps. Every value can also come
 * from the environment. There is no option that turns the check off: a worker that is not told whom
 * to trust does not start.
 */
final class ApprovalOptions {
  @Option(
      names = "--approver-tenant-id",
      paramLabel = "GUID",
      defaultValue = "${env:ABAFIX_APPROVER_TENANT_ID}",
      description =
          "The Entra ID tenant whose sign-ins approve destructive steps (default:"
              + " ABAFIX_APPROVER_TENANT_ID)")
  String tenantId;

  @Option(
      names = "--approver-client-id",
      paramLabel = "APP_ID",
      defaultValue = "${env:ABAFIX_APPROVER_CLIENT_ID}",
      description =
          "The application (client) id of abafix's app registration that approvers sign in to:"
              + " the ID tokens' audience (default: ABAFIX_APPROVER_CLIENT_ID)")
  String clientId;

  @Option(
      names = "--approver-role",
      paramLabel = "ROLE",
      defaultValue = "${env:ABAFIX_APPROVER_ROLE:-" + ApprovalTrust.DEFAULT_APPROVER_ROLE + "}",
      description = "The app role an approver must hold (default: ${DEFAULT-VALUE})")
  String role;

  @Option(
      names = "--approver-cloud",
      defaultValue = "${env:ABAFIX_APPROVER_CLOUD:-global}",
      description =
          "The approvers' cloud: global, usgov (US Government and DoD) or china; its sign-in host"
              + " issues the tokens and their keys (default: ABAFIX_APPROVER_CLOUD, else global)")
  String cloud;

  @Option(
      names = "--two-person",
      defaultValue = "${env:ABAFIX_TWO_PERSON:-false}",
      description =
          "Also require the requester's signed start, and an approver who is someone else"
              + " (default: ABAFIX_TWO_PERSON, else false)")
  boolean twoPerson;

  /**
   * The guard over the configured trust, with keys from {@code keys} (Entra ID's, in production).
   */
  ApprovalGuard guard(Function<ApprovalTrust, IdTokenVerifier> keys) {
    ApprovalTrust trust = trustIfNamed();
    if (trust == null) {
      throw new UserError(
          "--approver-tenant-id and --approver-client-id are required: this worker verifies the"
              + " signed approval of every destructive step against them");
    }
    return new ApprovalGuard(verifier(keys, trust));
  }

  /**
   * The verifier for {@code trust}; a worker that cannot fetch the approvers' keys stops here,
   * saying which host it could not reach and how to give Java a proxy.
   */
  static IdTokenVerifier verifier(
      Function<ApprovalTrust, IdTokenVerifier> keys, ApprovalTrust trust) {
    try {
      return keys.apply(trust);
    } catch (KeysUnavailableException e) {
      throw new UserError(e.getMessage());
    }
  }

  /**
   * The configured trust, or null when neither the tenant nor the app is named (a tenants file may
   * name them per tenant instead).
   */
  ApprovalTrust trustIfNamed() {
    boolean noTenant = tenantId == null || tenantId.isBlank();
    boolean noClient = clientId == null || clientId.isBlank();
    if (noTenant && noClient) return null;
    if (noTenant || noClient) {
      throw new UserError(
          "--approver-tenant-id and --approver-client-id go together: name both, or neither");
    }
    try {
      return new ApprovalTrust(tenantId, clientId, role, twoPerson).in(SignInCloud.of(cloud));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}
