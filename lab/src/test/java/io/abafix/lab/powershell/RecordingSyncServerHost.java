package io.abafix.lab.powershell;

import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.SyncServerHost;
import java.util.ArrayList;
import java.util.List;

/**
 * A small simulated server for these tests: it holds a state, applies each operation to it, and
 * records what it was asked to do. A failure set with {@link #failNext} hits the next operation.
 */
class RecordingSyncServerHost implements SyncServerHost {
  final List<String> calls = new ArrayList<>();
  final List<EventLogEntry> events = new ArrayList<>();
  String server;
  String machineId = "0123456789abcdef0123456789abcdef";
  boolean syncCycleEnabled = true;
  boolean syncCycleInProgress;
  IdentityType identityType = IdentityType.Application;
  String serviceAccountName;
  String applicationId = "11111111-2222-3333-4444-555555555555";
  String thumbprint = "A1B2C3D4E5F60718293A4B5C6D7E8F9011223344";
  // A server reports its certificate through the connector's CertificateId.
  AbaParameters abaParameters =
      new AbaParameters("Microsoft", null, "A1B2C3D4E5F60718293A4B5C6D7E8F9011223344");
  String adSyncToolsVersion = "2.3.0";
  AuthenticationCheck authentication = AuthenticationCheck.ok();
  String lastCredentialReference;
  private HostException nextFailure;

  RecordingSyncServerHost(String server) {
    this.server = server;
  }

  void failNext(HostException failure) {
    this.nextFailure = failure;
  }

  private void enter(String call) {
    calls.add(call);
    HostException failure = nextFailure;
    nextFailure = null;
    if (failure != null) throw failure;
  }

  @Override
  public String serverName() {
    return server;
  }

  @Override
  public ServerState inspect() {
    enter("inspect");
    return new ServerState(
        server,
        machineId,
        "2.5.79.0",
        false,
        true,
        syncCycleEnabled,
        syncCycleInProgress,
        // The connector's UserName names the identity in use.
        identityType == IdentityType.Application
            ? applicationId + "@contoso.onmicrosoft.com"
            : serviceAccountName + "@contoso.onmicrosoft.com",
        identityType,
        serviceAccountName,
        applicationId,
        identityType == IdentityType.Application ? abaParameters.certificateId() : null,
        abaParameters,
        adSyncToolsVersion);
  }

  @Override
  public void setSyncCycleEnabled(boolean enabled) {
    enter("setSyncCycleEnabled " + enabled);
    syncCycleEnabled = enabled;
  }

  @Override
  public void revertToServiceAccount(String accountName, String credentialReference) {
    enter("revertToServiceAccount " + accountName);
    lastCredentialReference = credentialReference;
    identityType = IdentityType.ServiceAccount;
    serviceAccountName = accountName;
    applicationId = null;
    abaParameters = new AbaParameters(null, null, null);
  }

  @Override
  public AuthenticationCheck testConnectorAuthentication() {
    enter("testConnectorAuthentication");
    return authentication;
  }

  @Override
  public String credentialUserName(String credentialReference) {
    enter("credentialUserName");
    return "hia@contoso.onmicrosoft.com";
  }

  @Override
  public void setMachineIdentifier(String newMachineId) {
    enter("setMachineIdentifier " + newMachineId);
    if (syncCycleInProgress) {
      throw new HostException(HostException.Category.TRANSIENT, "a sync cycle is running");
    }
    machineId = newMachineId;
  }

  @Override
  public void rotateApplicationCertificate() {
    enter("rotateApplicationCertificate");
    thumbprint = "D4E5F60718293A4B5C6D7E8F9011223344556677";
    abaParameters =
        new AbaParameters(
            abaParameters.applicationManagedBy(), abaParameters.certificateManagedBy(), thumbprint);
  }

  @Override
  public void configureApplicationAuthentication() {
    enter("configureApplicationAuthentication");
    identityType = IdentityType.Application;
    applicationId = "99999999-8888-7777-6666-555555555555";
    serviceAccountName = null;
    abaParameters = new AbaParameters("Microsoft", "Microsoft", thumbprint);
  }

  @Override
  public List<EventLogEntry> readEvents(long afterRecordId, int maxEntries) {
    enter("readEvents " + afterRecordId + " " + maxEntries);
    return events.stream().filter(e -> e.recordId() > afterRecordId).limit(maxEntries).toList();
  }

  @Override
  public void installAdSyncTools(String source) {
    enter("installAdSyncTools " + source);
    adSyncToolsVersion = "2.3.0";
  }

  @Override
  public void repairConnectorParameters() {
    enter("repairConnectorParameters");
    abaParameters = new AbaParameters("Microsoft", "Microsoft", thumbprint);
  }
}
