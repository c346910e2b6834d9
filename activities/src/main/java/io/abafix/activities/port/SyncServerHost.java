package io.abafix.activities.port;

import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.ServerState;
import java.util.List;

/**
 * The operations abafix performs on one Entra Connect server. One implementation runs PowerShell on
 * the server; the lab provides another. Each method does exactly one thing and does not decide
 * whether it is needed: idempotency checks live in the activity implementation, which inspects
 * first.
 *
 * <p>Every method may throw {@link HostException}.
 */
public interface SyncServerHost {

  /**
   * What the operations run on this thread since the last call wrote besides their answer (a
   * script's stderr: warnings, verbose output), for the audit; cleared by the call. Empty when the
   * host writes nothing of the kind.
   */
  default String takeDiagnostics() {
    return "";
  }

  /** The server name this host acts on. */
  String serverName();

  /**
   * What the read-only operations answer, raw, as one capture ({@code abafix-capture/1}, see {@link
   * io.abafix.activities.powershell.ServerCapture}): the same answers a run interprets. Changes
   * nothing.
   *
   * @throws HostException PERMANENT when this host has no raw answers to give
   */
  default String capture() {
    throw new HostException(
        HostException.Category.PERMANENT,
        serverName() + " is not reached through the PowerShell adapter: it has no raw answers");
  }

  /** Reads the server's state: scheduler, identity, machine id, ABA parameters, versions. */
  ServerState inspect();

  /** {@code Set-ADSyncScheduler -SyncCycleEnabled <enabled>}. */
  void setSyncCycleEnabled(boolean enabled);

  /**
   * Assigns the service account {@code accountName} to the Entra connector with the Hybrid Identity
   * Administrator credential that {@code credentialReference} names on this server ({@code
   * Add-ADSyncAADServiceAccount}). The credential itself never leaves the server.
   */
  void revertToServiceAccount(String accountName, String credentialReference);

  /** Tries a sign-in with the connector's current identity. */
  AuthenticationCheck testConnectorAuthentication();

  /**
   * Opens the credential a revert would use, as the revert would, and drops it: the proof, before
   * anything changes, that the file exists and decrypts under this worker's account here.
   *
   * @return the credential's user name (never its password)
   * @throws HostException CREDENTIAL_UNAVAILABLE naming what is wrong with the file
   */
  String credentialUserName(String credentialReference);

  /** Stops ADSync, sets {@code SyncMachineIdentifier} to {@code newMachineId}, starts ADSync. */
  void setMachineIdentifier(String newMachineId);

  /** Rotates the application certificate (a new key replaces the app's key). */
  void rotateApplicationCertificate();

  /** Configures ABA with a new app registration of this server's own. */
  void configureApplicationAuthentication();

  /**
   * Application event-log entries from Directory Synchronization newer than {@code afterRecordId}.
   */
  List<EventLogEntry> readEvents(long afterRecordId, int maxEntries);

  /**
   * Where {@link #installAdSyncTools} takes the module from when the server reaches the internet.
   */
  String GALLERY = "gallery";

  /**
   * Installs or updates the ADSyncTools module to 2.3.0 or later for all users. With {@link
   * #GALLERY} it comes from the PowerShell Gallery ({@code Install-Module -Name ADSyncTools
   * -MinimumVersion 2.3.0 -Scope AllUsers -Force}); otherwise {@code source} is the absolute path
   * of a pre-staged module folder on the server, copied into {@code
   * $env:ProgramFiles\WindowsPowerShell\Modules}, for servers without internet access.
   *
   * <p>Throws PERMANENT when the Gallery cannot be reached or the staged folder holds no usable
   * module.
   */
  void installAdSyncTools(String source);

  /**
   * {@code Import-Module ADSyncTools; Repair-ADSyncToolsEntraAppParameters}: restores the Entra
   * connector's blank ApplicationManagedBy, CertificateManagedBy and CertificateId. Throws
   * PERMANENT when ADSyncTools 2.3.0 or later is not installed.
   */
  void repairConnectorParameters();
}
