package io.abafix.lab;

import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One simulated Entra Connect Sync server. Guarded by the {@link LabWorld} lock. */
final class SimServer {
  /** The app the server used when the scenario began, for a scenario that points it back. */
  String originalAppId;

  final String name;
  String machineId;
  final String version;
  boolean stagingMode;
  boolean adSyncRunning;
  boolean syncCycleEnabled;

  /** Lab time at which the running sync cycle ends; in the past when none runs. */
  long cycleEndsAtMillis;

  final String connectorAccount;
  IdentityType identityType;
  String serviceAccountName;
  String appId;

  /** Thumbprint of the ABA certificate in the server's local store. */
  String certificate;

  AbaParameters abaParameters;
  String adSyncToolsVersion;

  /** Someone has the Entra Connect wizard open (AzureADConnect.exe runs), which suspends it. */
  boolean wizardOpen;

  /** Switched to ABA by an automatic upgrade: the legacy UI's OK clears its ABA parameters. */
  boolean autoUpgraded;

  /** Whether the PowerShell Gallery can be reached from the server. */
  boolean internet = true;

  String stagedModulePath;
  String stagedAdSyncToolsVersion;
  final Set<String> credentialReferences = new LinkedHashSet<>();

  /**
   * What a DPAPI credential file holds, by lower-cased reference: user principal name and password.
   * Only references with a stored secret are checked against the tenant.
   */
  final java.util.Map<String, String[]> credentialSecrets = new java.util.HashMap<>();

  final List<EventLogEntry> events = new ArrayList<>();
  long lastRecordId;

  SimServer(String name, String machineId, String version, String connectorAccount) {
    this.name = name;
    this.machineId = machineId;
    this.version = version;
    this.connectorAccount = connectorAccount;
  }

  String machineIdPrefix() {
    return machineId.substring(0, 12);
  }
}
