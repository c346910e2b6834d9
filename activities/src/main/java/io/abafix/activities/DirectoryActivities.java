package io.abafix.activities;

import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.ApprovedDeletions;
import io.abafix.activities.model.DirectoryCapture;
import io.abafix.activities.model.DirectoryPrerequisites;
import io.abafix.activities.model.RoleCheck;
import io.abafix.activities.model.StepResult;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * Steps against Microsoft Entra ID through Microsoft Graph, on {@link TaskQueues#DIRECTORY}.
 * Changing methods are idempotent.
 */
@ActivityInterface
public interface DirectoryActivities {

  /** Prefix the Entra Connect wizard gives every ABA app registration. */
  String PROVISIONING_APP_PREFIX = "ConnectSyncProvisioning_";

  /** Every live {@code ConnectSyncProvisioning_*} app registration, all pages. */
  List<AppRegistration> listProvisioningApplications();

  /**
   * Every live {@code ConnectSyncProvisioning_*} app, whether each has a service principal, and
   * which of {@code connectorAccounts} hold the Global Administrator role: what a rehearsal needs
   * to build the tenant. Changes nothing.
   */
  DirectoryCapture captureDirectory(List<String> connectorAccounts);

  /**
   * Soft-deletes an app registration (restorable for 30 days). Does nothing when it is already in
   * deleted items. Acts only on a {@code ConnectSyncProvisioning_*} app that {@code approved}
   * names, and on no more apps per run than it allows.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link FailureTypes#PERMANENT} when no such app
   *     exists, live or deleted, or when the approval does not cover it; {@link
   *     FailureTypes#APPROVAL_REFUSED}, before anything is read or changed, without a valid signed
   *     approval of {@code deleteApplication} for {@code objectId}
   * @param approval the approver's signed proof, which names the object ids it allows
   * @param approved the plan's apps (object id, app id, display name) the live app must match
   */
  StepResult deleteApplication(
      String objectId, StepAuthorization approval, ApprovedDeletions approved);

  /**
   * Restores a soft-deleted app registration, then its own service principal from deleted items
   * (Graph restores the app without it): the same object, with its app role assignments. Only when
   * no deleted service principal exists does it create a new one, and then its result says, in
   * {@link #SERVICE_PRINCIPAL_RECREATED} and its detail, that the old role assignments are gone and
   * what to grant. Does nothing that is already in place. The same guard as {@link
   * #deleteApplication}: only an app the approval names.
   */
  StepResult restoreApplication(
      String objectId, StepAuthorization approval, ApprovedDeletions approved);

  /** The fact a restore sets to "true" when it had to create a new service principal. */
  String SERVICE_PRINCIPAL_RECREATED = "servicePrincipalRecreated";

  /**
   * Whether the account holds the Global Administrator role (it must not be a connector account).
   *
   * @throws io.temporal.failure.ApplicationFailure {@link FailureTypes#PERMANENT} when the worker
   *     cannot tell (see {@link #checkGlobalAdministrators})
   */
  boolean isGlobalAdministrator(String userPrincipalName);

  /**
   * The Global Administrator role of each account: active or eligible, direct or through a group,
   * or "cannot tell" with the permission that would let the worker see. Changes nothing.
   */
  List<RoleCheck> checkGlobalAdministrators(List<String> userPrincipalNames);

  /**
   * Proves, before anything changes, that this worker may delete and later restore each app: its
   * token holds {@code Application.ReadWrite.All}, or {@code Application.ReadWrite.OwnedBy} and its
   * own service principal is among the app's owners. Changes nothing.
   *
   * @return what is missing, one entry per app, each with its fix; empty when all is proven
   */
  List<DirectoryPrerequisites.Missing> checkApplicationAccess(List<AppRegistration> toDelete);
}
