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

  /** The server name this host acts on. */
  String serverName();

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
}
