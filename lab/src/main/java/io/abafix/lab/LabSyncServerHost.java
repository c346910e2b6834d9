package io.abafix.lab;

import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.port.SyncServerHost;
import java.util.List;

/**
 * One simulated Entra Connect Sync server, behind the production port. Every method first takes the
 * scenario's fault for that step and server (if any) and waits the step's latency; see {@link Lab}
 * for the rules the simulated server follows. Thread safe.
 */
public final class LabSyncServerHost implements SyncServerHost {
  private final LabWorld world;
  private final PortGuard guard;
  private final String server;

  LabSyncServerHost(LabWorld world, PortGuard guard, String server) {
    this.world = world;
    this.guard = guard;
    this.server = server;
  }

  @Override
  public String serverName() {
    return server;
  }

  @Override
  public ServerState inspect() {
    return guard.call("inspect", server, () -> world.inspect(server));
  }

  @Override
  public void setSyncCycleEnabled(boolean enabled) {
    guard.run("setSyncCycleEnabled", server, () -> world.setSyncCycleEnabled(server, enabled));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Throws {@code CREDENTIAL_UNAVAILABLE} when the reference does not resolve on this server.
   * Creates the account in the tenant (it signs in only after the scenario's propagation delay),
   * switches the connector to it and clears the ABA parameters.
   */
  @Override
  public void revertToServiceAccount(String accountName, String credentialReference) {
    guard.run(
        "revertToServiceAccount",
        server,
        () -> world.revertToServiceAccount(server, accountName, credentialReference));
  }

  @Override
  public String credentialUserName(String credentialReference) {
    return guard.call(
        "credentialUserName", server, () -> world.credentialUserName(server, credentialReference));
  }

  /** {@inheritDoc} Fails with {@code AADSTS700027} or {@code AccessDenied}; logs nothing. */
  @Override
  public AuthenticationCheck testConnectorAuthentication() {
    return guard.call(
        "testConnectorAuthentication", server, () -> world.testConnectorAuthentication(server));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Throws {@code PERMANENT} for a value that is not 32 hex characters or while a sync cycle
   * runs. ADSync runs again afterwards.
   */
  @Override
  public void setMachineIdentifier(String newMachineId) {
    guard.call(
        "setMachineIdentifier",
        server,
        // What a script killed between Stop-Service ADSync and the registry write leaves.
        () -> world.setAdSyncRunning(server, false),
        () -> {
          world.setMachineIdentifier(server, newMachineId);
          return null;
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>The new key replaces every key of the app, so other servers on the same app stop
   * authenticating. Throws {@code PERMANENT} when the server is not on an application or the app
   * does not exist.
   */
  @Override
  public void rotateApplicationCertificate() {
    guard.run(
        "rotateApplicationCertificate",
        server,
        () -> world.rotateApplicationCertificate(server, true));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The app is named {@code ConnectSyncProvisioning_<SERVER>_<first 12 of machine id>}; a live
   * app of that name is reused with a key added.
   */
  @Override
  public void configureApplicationAuthentication() {
    guard.run(
        "configureApplicationAuthentication",
        server,
        () -> world.configureApplicationAuthentication(server));
  }

  @Override
  public List<EventLogEntry> readEvents(long afterRecordId, int maxEntries) {
    return guard.call(
        "readEvents", server, () -> world.readEvents(server, afterRecordId, maxEntries));
  }

  /**
   * {@inheritDoc}
   *
   * <p>From the Gallery when the scenario lets the server reach it ({@code internet}), or from the
   * scenario's {@code stagedModulePath}; anything else is PERMANENT.
   */
  @Override
  public void installAdSyncTools(String source) {
    guard.run("installAdSyncTools", server, () -> world.installAdSyncTools(server, source));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Restores the parameters from the application the connector uses. PERMANENT without
   * ADSyncTools 2.3.0 or on a connector not on Application.
   */
  @Override
  public void repairConnectorParameters() {
    guard.run("repairConnectorParameters", server, () -> world.repairConnectorParameters(server));
  }

  @Override
  public String toString() {
    return "LabSyncServerHost[" + server + "]";
  }
}
