package io.abafix.activities;

import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.ApprovedDeletions;
import io.abafix.activities.model.DirectoryCapture;
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
   * Restores a soft-deleted app registration and recreates its service principal, which Graph does
   * not restore. Does nothing that is already in place. The same guard as {@link
   * #deleteApplication}: only an app the approval names.
   */
  StepResult restoreApplication(String objectId, ApprovedDeletions approved);

  /**
   * Whether the account holds the Global Administrator role (it must not be a connector account).
   */
  boolean isGlobalAdministrator(String userPrincipalName);
}
