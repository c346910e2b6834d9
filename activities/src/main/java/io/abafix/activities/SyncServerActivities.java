package io.abafix.activities;

import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.ServerCaptureResult;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.StepResult;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * Steps that run on one Entra Connect server, on that server's task queue ({@link
 * TaskQueues#forServer}). Every method names the server it expects; a worker for another server
 * refuses with {@link FailureTypes#WRONG_SERVER}, so a mis-routed step can never touch the wrong
 * machine.
 *
 * <p>The destructive methods carry the signed approval that authorises them ({@link
 * StepAuthorization}); the worker verifies it itself, before it touches anything, and refuses with
 * {@link FailureTypes#APPROVAL_REFUSED} when it does not verify for this run and this server.
 *
 * <p>Every changing method is idempotent: it inspects first and reports {@code changed=false} when
 * the effect is already there, so a retry after a lost reply does nothing twice.
 */
@ActivityInterface
public interface SyncServerActivities {

  /** Reads the server's state. Changes nothing. */
  ServerState inspectServer(String server);

  /**
   * Runs the read-only scripts and returns their raw answers, for a capture of the fleet. Changes
   * nothing.
   */
  ServerCaptureResult captureServer(String server);

  /** {@code Set-ADSyncScheduler -SyncCycleEnabled $false}. A cycle already running goes on. */
  StepResult pauseScheduler(String server, StepAuthorization approval);

  /** {@code Set-ADSyncScheduler -SyncCycleEnabled $true}. */
  StepResult resumeScheduler(String server, StepAuthorization approval);

  /**
   * Reverts the Entra connector to the service account {@code Sync_<server>_<id12>} using the
   * Hybrid Identity Administrator credential that {@code credentialReference} names on the server.
   * Verifies that the connector reports {@code ServiceAccount} afterwards.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link FailureTypes#CREDENTIAL_UNAVAILABLE} when
   *     the reference does not resolve on the server, {@link FailureTypes#APPROVAL_REFUSED} without
   *     a valid approval of {@code revertToServiceAccount} for {@code server}
   */
  StepResult revertToServiceAccount(
      String server, String credentialReference, StepAuthorization approval);

  /** Tries a sign-in with the connector's current identity. Changes nothing. */
  AuthenticationCheck testConnectorAuthentication(String server);

  /**
   * Opens the revert's credential on the server and drops it (read-only): whether it exists and
   * decrypts under the worker's account there. A file that does not is a result, not a failure, so
   * preflight can name every server's problem at once.
   */
  io.abafix.activities.model.CredentialCheck checkCredential(
      String server, String credentialReference);

  /**
   * Stops ADSync, sets {@code SyncMachineIdentifier} to {@code newMachineId}, starts ADSync, and
   * verifies the value. Does nothing when the id is already {@code newMachineId}. Needs a valid
   * approval of {@code regenerateMachineId} for {@code server}.
   */
  StepResult regenerateMachineId(String server, String newMachineId, StepAuthorization approval);

  /**
   * Rotates the application certificate. Does nothing when the certificate in use is no longer
   * {@code certificateBefore}, since that means this rotation already happened.
   */
  StepResult rotateApplicationCertificate(
      String server, String certificateBefore, StepAuthorization approval);

  /**
   * Configures ABA with a new app registration of this server's own and verifies the connector
   * reports {@code Application} with an app id not in {@code retiredAppIds}. Does nothing when that
   * is already so.
   */
  StepResult configureApplicationAuthentication(
      String server, List<String> retiredAppIds, StepAuthorization approval);

  /**
   * Succeeds once the connector signs in; until then fails with a retryable failure, so that
   * Temporal polls it on the retry interval the workflow chose, within the activity's
   * schedule-to-close bound, without a workflow task per look. Changes nothing.
   *
   * @return {@code attempt} is the look on which it signed in
   */
  StepResult awaitSignIn(String server);

  /**
   * Succeeds once no sync cycle is running; until then fails with a retryable failure (see {@link
   * #awaitSignIn}). Changes nothing.
   *
   * @return the server's state in {@code after}; {@code attempt} is the look that saw it idle
   */
  StepResult awaitSyncCycleEnd(String server);

  /** Directory Synchronization entries of the Application log newer than {@code afterRecordId}. */
  List<EventLogEntry> readEvents(String server, long afterRecordId, int maxEntries);

  /** The oldest ADSyncTools that has {@code Repair-ADSyncToolsEntraAppParameters}. */
  String MIN_AD_SYNC_TOOLS_VERSION = "2.3.0";

  /**
   * Makes ADSyncTools {@value #MIN_AD_SYNC_TOOLS_VERSION} or later available on the server, from
   * the PowerShell Gallery ({@code source} = {@code "gallery"}) or from a pre-staged module folder
   * on the server ({@code source} = its absolute path). Does nothing when a new enough version is
   * already installed. Verifies the version afterwards.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link FailureTypes#PERMANENT} when the Gallery
   *     cannot be reached or the staged folder holds no usable module
   */
  StepResult installAdSyncTools(String server, String source, StepAuthorization approval);

  /**
   * Runs {@code Repair-ADSyncToolsEntraAppParameters} and verifies that ApplicationManagedBy,
   * CertificateManagedBy and CertificateId are all present afterwards. Does nothing when they
   * already are.
   *
   * @throws io.temporal.failure.ApplicationFailure {@link FailureTypes#PRECONDITION_FAILED} when
   *     the connector does not use application-based authentication or ADSyncTools is too old
   */
  StepResult repairConnectorParameters(String server, StepAuthorization approval);
}
