package io.abafix.worker;

import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.FileApprovalLedger;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.activities.approval.KeysUnavailableException;
import io.abafix.activities.approval.SignInCloud;
import java.nio.file.Path;
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
      names = "--approver-group",
      paramLabel = "OBJECT_ID",
      defaultValue = "${env:ABAFIX_APPROVER_GROUP}",
      description =
          "The object id of a group an approver must also be in (the app registration emits"
              + " group ids in ID tokens; default: ABAFIX_APPROVER_GROUP, else the role alone)")
  String group;

  @Option(
      names = "--approval-ledger",
      paramLabel = "FILE",
      defaultValue = "${env:ABAFIX_APPROVAL_LEDGER}",
      description =
          "Where this worker records each approval it acted on, so that none acts twice; it"
              + " survives a restart (default: ABAFIX_APPROVAL_LEDGER, else"
              + " %%ProgramData%%\\abafix\\approvals-<worker>.jsonl on Windows,"
              + " ~/.abafix/approvals-<worker>.jsonl elsewhere)")
  Path ledgerFile;

  private FileApprovalLedger ledger;

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
  ApprovalGuard guard(Function<ApprovalTrust, IdTokenVerifier> keys, String worker) {
    ApprovalTrust trust = trustIfNamed();
    if (trust == null) {
      throw new UserError(
          "--approver-tenant-id and --approver-client-id are required: this worker verifies the"
              + " signed approval of every changing step against them");
    }
    return guard(keys, trust, worker);
  }

  /** A guard over {@code trust}, recording in this worker's one ledger. */
  ApprovalGuard guard(
      Function<ApprovalTrust, IdTokenVerifier> keys, ApprovalTrust trust, String worker) {
    return new ApprovalGuard(verifier(keys, trust), ledger(worker));
  }

  /** The worker's ledger, opened once; a worker that cannot open it does not start. */
  FileApprovalLedger ledger(String worker) {
    if (ledger != null) return ledger;
    Path file = ledgerFile;
    if (file == null) {
      String name = "approvals-" + worker.replaceAll("[^A-Za-z0-9._-]", "_") + ".jsonl";
      String programData = System.getenv("ProgramData");
      file =
          programData != null && !programData.isBlank()
              ? Path.of(programData, "abafix", name)
              : Path.of(System.getProperty("user.home"), ".abafix", name);
    }
    try {
      ledger = FileApprovalLedger.open(file);
    } catch (RuntimeException e) {
      throw new UserError(
          "cannot open the approval ledger "
              + file
              + " ("
              + e.getMessage()
              + "): give each worker a file of its own it can write (--approval-ledger)");
    }
    return ledger;
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
      return new ApprovalTrust(tenantId, clientId, role, group, twoPerson)
          .in(SignInCloud.of(cloud));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }
}
