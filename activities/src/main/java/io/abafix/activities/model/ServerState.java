package io.abafix.activities.model;

import com.fasterxml.jackson.annotation.JsonAlias;

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
 * @param certificateId the server's current ABA certificate as its connector names it: a thumbprint
 *     (40 hex characters) or the key id of the app's key credential (a GUID); {@link
 *     KeyCredential#identifies} matches either
 * @param adSyncToolsVersion the newest installed ADSyncTools module version, or null
 * @param schedulerSuspended the scheduler's SchedulerSuspended (an upgrade or the wizard holds it)
 * @param wizardOpen whether the Entra Connect wizard is running on the server
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
    // Named certificateThumbprint in histories written before a key id was accepted.
    @JsonAlias("certificateThumbprint") String certificateId,
    AbaParameters abaParameters,
    String adSyncToolsVersion,
    boolean schedulerSuspended,
    boolean wizardOpen) {

  /** The state without the scheduler-suspended and wizard facts (both false). */
  public ServerState(
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
      String certificateId,
      AbaParameters abaParameters,
      String adSyncToolsVersion) {
    this(
        server,
        machineId,
        version,
        stagingMode,
        adSyncRunning,
        syncCycleEnabled,
        syncCycleInProgress,
        connectorAccount,
        identityType,
        serviceAccountName,
        applicationId,
        certificateId,
        abaParameters,
        adSyncToolsVersion,
        false,
        false);
  }

  /** The first 12 characters of the machine id, as used in account and app names. */
  public String machineIdPrefix() {
    return machineId == null ? "" : machineId.substring(0, Math.min(12, machineId.length()));
  }

  /**
   * Whether the connector uses the service account {@code name}. The connector reports a user
   * principal name ({@code Sync_X_id12@contoso.onmicrosoft.com}) where {@code
   * Add-ADSyncAADServiceAccount -Name} took the bare name: the part before {@code @} is compared.
   */
  public boolean usesServiceAccount(String name) {
    return identityType == IdentityType.ServiceAccount
        && name != null
        && serviceAccountName != null
        && localPart(serviceAccountName).equalsIgnoreCase(localPart(name));
  }

  private static String localPart(String account) {
    int at = account.indexOf('@');
    return at < 0 ? account : account.substring(0, at);
  }

  /**
   * The identity the connector signs in with, as an approval names it: {@code ServiceAccount} or
   * {@code Application <app id in lower case>}.
   */
  public String identityLabel() {
    return identityType
        + (applicationId == null ? "" : " " + applicationId.toLowerCase(java.util.Locale.ROOT));
  }

  /** The service account name the documented revert creates: {@code Sync_<server>_<id12>}. */
  public String expectedServiceAccountName() {
    return "Sync_" + server + "_" + machineIdPrefix();
  }
}
