package io.abafix.activities.model;

/**
 * What one Entra Connect server reports about itself. Read-only facts gathered by one inspection;
 * fields that a server's version does not report are null.
 *
 * @param server the server name as abafix knows it (its NetBIOS computer name)
 * @param machineId the registry value {@code SyncMachineIdentifier} (32 hex characters)
 * @param version the Entra Connect version, e.g. {@code 2.5.79.0}
 * @param adSyncRunning whether the ADSync service is running
 * @param connectorAccount the Entra connector account the server was installed with
 * @param identityType what the connector authenticates with now
 * @param serviceAccountName the service account in use, when {@code identityType} is ServiceAccount
 * @param applicationId the app (client) id in use, when {@code identityType} is Application
 * @param certificateThumbprint the thumbprint of the server's current ABA certificate
 * @param adSyncToolsVersion the newest installed ADSyncTools module version, or null
 */
public record ServerState(
    String server,
    String machineId,
    String version,
    boolean stagingMode,
    boolean adSyncRunning,
    boolean syncCycleEnabled,
    boolean syncCycleInProgress,
    String connectorAccount,
    IdentityType identityType,
    String serviceAccountName,
    String applicationId,
    String certificateThumbprint,
    AbaParameters abaParameters,
    String adSyncToolsVersion) {

  /** The first 12 characters of the machine id, as used in account and app names. */
  public String machineIdPrefix() {
    return machineId == null ? "" : machineId.substring(0, Math.min(12, machineId.length()));
  }

  /** The service account name the documented revert creates: {@code Sync_<server>_<id12>}. */
  public String expectedServiceAccountName() {
    return "Sync_" + server + "_" + machineIdPrefix();
  }
}
