package io.abafix.lab;

import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.lab.fault.FaultInjector;
import io.abafix.lab.scenario.Scenario;
import io.abafix.lab.signin.LabIdentityProvider;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A simulated Microsoft Entra tenant and its Entra Connect Sync servers, built from a {@link
 * Scenario}. It plugs in under production code through the ports: {@link #host(String)} per server
 * and {@link #directory()} for the tenant. It follows Microsoft's troubleshooting article:
 *
 * <ul>
 *   <li>A server on Application signs in only while its app is live, has a service principal and
 *       holds the server's certificate; otherwise {@code AADSTS700027}, and a sync cycle logs event
 *       906 with the article's text.
 *   <li>A server on ServiceAccount signs in once the account exists and has propagated ({@code
 *       timing.propagationDelaySeconds}); before that {@code AccessDenied}.
 *   <li>Rotating a certificate replaces every key of the app: other servers on it break.
 *   <li>Configuring ABA registers {@code ConnectSyncProvisioning_<SERVER>_<id12>} for the server.
 *   <li>Deleting an app is a soft delete that also removes its service principal; restoring brings
 *       back the app only.
 * </ul>
 *
 * <p>Time comes from the clock given at construction (epoch millis), so tests can skip time. The
 * whole lab is guarded by one lock; it is safe to use from many threads.
 */
public final class Lab {
  private final Scenario scenario;
  private final LabWorld world;
  private final FaultInjector faults;
  private final Map<String, LabSyncServerHost> hosts = new LinkedHashMap<>();
  private final LabDirectory directory;
  private final PortGuard guard;
  private final LabIdentityProvider identities;

  /**
   * A port call that has started and not yet returned.
   *
   * @param step the port method, e.g. {@code revertToServiceAccount} or {@code deleteApplication}
   * @param server the server it acts on (upper case), or null for the directory
   */
  public record StepInProgress(String step, String server) {}

  /**
   * One step latency the lab served ({@code timing.stepLatencyMillis}).
   *
   * @param server the server, or null for the directory
   * @param startedAt lab time at which the latency began, epoch millis
   */
  public record Latency(String step, String server, long startedAt, long millis) {}

  /**
   * One call a step made into the lab, through the production adapters.
   *
   * @param tenant the tenant key of the step it came for ({@code StepTenant.current()}: on a
   *     tenant-blind queue, the digest its header holds), or null for a call outside a tenant's
   *     step
   * @param target the server (upper case), or {@code directory}
   * @param operation the adapter method, e.g. {@code revertToServiceAccount}, {@code
   *     listApplications}
   */
  public record Call(String tenant, String target, String operation) {}

  private final List<Call> calls = java.util.Collections.synchronizedList(new ArrayList<>());

  private final LabKeys keys;

  private Lab(Scenario scenario, LongSupplier clock) {
    this(scenario, clock, LabKeys.fresh());
  }

  private Lab(Scenario scenario, LongSupplier clock, LabKeys keys) {
    this.keys = keys;
    this.scenario = scenario.validate();
    this.world = new LabWorld(scenario, clock);
    this.faults = new FaultInjector(scenario.faults());
    this.guard = new PortGuard(faults, scenario.timing().stepLatencyMillis(), world::now);
    for (String name : world.serverNames()) {
      hosts.put(name, new LabSyncServerHost(world, guard, name));
    }
    this.directory = new LabDirectory(world, guard);
    this.identities =
        new LabIdentityProvider(world.domain(), new LabClock(clock), keys::signingKey);
  }

  /** The tenant's people and signing keys: signs the approvers' ID tokens. */
  public LabIdentityProvider identities() {
    return identities;
  }

  /** The lab's clock as a {@link Clock}, so tokens expire in the lab's (possibly skipped) time. */
  private static final class LabClock extends Clock {
    private final LongSupplier millis;

    LabClock(LongSupplier millis) {
      this.millis = millis;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.ofEpochMilli(millis.getAsLong());
    }
  }

  /** A lab in the scenario's initial state. */
  public static Lab fromScenario(Scenario scenario, LongSupplier clock) {
    return new Lab(scenario, clock);
  }

  /** A lab from a scenario, with the keys given (see {@link LabKeys#sharedAmong}). */
  public static Lab fromScenario(Scenario scenario, LongSupplier clock, LabKeys keys) {
    return new Lab(scenario, clock, keys);
  }

  /** The tenant's keys: its Entra ID's signing key, its directory worker's certificate. */
  public LabKeys keys() {
    return keys;
  }

  /** A lab from a shipped scenario, by name (e.g. {@code seed-pair}). */
  public static Lab loadResource(String name, LongSupplier clock) {
    return new Lab(Scenario.fromResource(name), clock);
  }

  /** A lab from a scenario file. */
  public static Lab loadFile(Path file, LongSupplier clock) {
    return new Lab(Scenario.fromFile(file), clock);
  }

  /** Names of the shipped scenarios, for {@link #loadResource}. */
  public static List<String> listScenarioResources() {
    return Scenario.SHIPPED;
  }

  public Scenario scenario() {
    return scenario;
  }

  /** The tenant's domain, e.g. {@code contoso.onmicrosoft.com}. */
  public String tenantDomain() {
    return world.domain();
  }

  /** The lab clock's current time, epoch millis. */
  public long now() {
    return world.now();
  }

  /** The server host of that name (any case). */
  /**
   * Someone opens (or closes) the Entra Connect wizard on {@code server}: the inspection then sees
   * AzureADConnect.exe running and the scheduler suspended, as the scheduler page describes.
   */
  public void setWizardOpen(String server, boolean open) {
    world.setWizardOpen(server, open);
  }

  /**
   * The key id of the live app key that holds {@code thumbprint}, as Graph lists it; null when no
   * app holds it.
   */
  public String keyIdOf(String thumbprint) {
    return world.keyIdOf(thumbprint);
  }

  public LabSyncServerHost host(String serverName) {
    LabSyncServerHost host =
        serverName == null ? null : hosts.get(serverName.toUpperCase(Locale.ROOT));
    if (host == null) {
      throw new IllegalArgumentException(
          "no server " + serverName + " in scenario " + scenario.name() + " " + serverNames());
    }
    return host;
  }

  public List<LabSyncServerHost> hosts() {
    return List.copyOf(hosts.values());
  }

  public LabDirectory directory() {
    return directory;
  }

  /** Server names in upper case, in scenario order. */
  public List<String> serverNames() {
    return List.copyOf(hosts.keySet());
  }

  /** The scenario's faults; tests may {@link FaultInjector#add add} more. */
  public FaultInjector faults() {
    return faults;
  }

  /**
   * How often each effect happened, keyed {@code <step>:<server>} for servers (e.g. {@code
   * revertToServiceAccount:SERVERA}) and {@code <step>:<object id>} for apps (e.g. {@code
   * deleteApplication:<id>}); {@code createServicePrincipal:<appId>}. Calls that found the effect
   * already in place are not counted.
   */
  public Map<String, Integer> effectCounts() {
    return world.effectCounts();
  }

  /** Records a call a step made into this lab (see {@link LabAdapters}). */
  void recordCall(String tenant, String target, String operation) {
    calls.add(new Call(tenant, target, operation));
  }

  /** Every call steps made into this lab through the production adapters, in order. */
  public List<Call> calls() {
    synchronized (calls) {
      return List.copyOf(calls);
    }
  }

  /**
   * The port calls running right now (in their fault check, their latency or their effect), oldest
   * first; a call counts as one entry for as long as it runs. With step latencies this shows what a
   * process outside the lab is in the middle of, e.g. so that a test can kill a worker mid-step.
   */
  public List<StepInProgress> stepsInProgress() {
    return guard.inProgress();
  }

  /**
   * How often one effect happened (0 if never), e.g. {@code effectCount("setMachineIdentifier",
   * "SERVERB")}.
   */
  public int effectCount(String step, String target) {
    // Server names are stored upper case; app and object ids lower case.
    String server = target.toUpperCase(Locale.ROOT);
    String key = hosts.containsKey(server) ? server : target.toLowerCase(Locale.ROOT);
    return effectCounts().getOrDefault(step + ":" + key, 0);
  }

  /**
   * Runs one sync cycle on the server if its scheduler is enabled, ADSync runs and no cycle is
   * running: it signs in, and logs event 906 when that fails.
   *
   * @return the sign-in result, or empty when no cycle ran
   */
  public Optional<AuthenticationCheck> runSyncCycle(String server) {
    return world.runSyncCycle(server);
  }

  /** Runs a sync cycle on every server whose scheduler would run one now. */
  public void tick() {
    for (String server : serverNames()) world.runSyncCycle(server);
  }

  /**
   * Automatic ABA onboarding after an upgrade: the app is found by the connector account, so
   * servers sharing an account share an app, and the one onboarding last holds its only key.
   * Refused on 2.6.84.0 and later, which no longer switch existing servers by themselves.
   */
  public void autoOnboard(String server) {
    world.autoOnboard(server);
  }

  /**
   * Someone points the server's connector back at an app registration by hand (a restored backup of
   * its configuration), whether that app is live or deleted. No fault, latency or effect count.
   */
  public void reconnectToApplicationOutOfBand(String server, String appId) {
    world.reconnectToApplication(server, appId);
  }

  /**
   * A certificate rotation nobody asked abafix for (an automatic rollover, or an operator with the
   * wizard): same effect as the port method, but no fault, latency or effect count.
   */
  public void rotateCertificateOutOfBand(String server) {
    world.rotateApplicationCertificate(server, false);
  }

  /**
   * Stores a Hybrid Identity Administrator credential on a server under a reference, as {@code
   * Get-Credential | Export-Clixml} does; the revert then signs in with it.
   */
  public void storeCredential(
      String server, String reference, String userPrincipalName, String password) {
    world.storeCredential(server, reference, userPrincipalName, password);
  }

  /** Sets a tenant account's password, against which stored credentials are checked. */
  public void setPassword(String userPrincipalName, String password) {
    world.setPassword(userPrincipalName, password);
  }

  /**
   * Blanks the ABA parameters whatever the server's history: the state after someone selected OK on
   * an auto-upgraded server's connector. See {@link #saveConnectorInSyncServiceManager} for the
   * rule itself.
   */
  public void blankAbaParameters(String server) {
    world.blankAbaParameters(server);
  }

  /**
   * Selecting OK on the Entra connector in Synchronization Service Manager. On a server that
   * switched to ABA by automatic upgrade (scenario {@code autoUpgraded}, or {@link #autoOnboard})
   * it clears ApplicationManagedBy, CertificateManagedBy and CertificateId, unless the server runs
   * 2.6.1.0 or later, which no longer does; elsewhere it changes nothing, as Microsoft's article
   * says.
   *
   * @return whether the parameters were cleared
   */
  public boolean saveConnectorInSyncServiceManager(String server) {
    return world.saveConnectorInSyncServiceManager(server);
  }

  /**
   * Logs an entry from Directory Synchronization in the server's Application log, as the sync
   * engine would (e.g. a 906 for a Conditional Access block).
   */
  public void logEvent(String server, int eventId, String level, String message) {
    world.logEvent(server, eventId, level, message);
  }

  /** Logs event 1011 (certificate nears expiry) or, with {@code expired}, 1012. */
  public void logCertificateExpiry(String server, boolean expired) {
    world.logCertificateExpiry(server, expired);
  }

  /** Stops or starts the server's ADSync service behind abafix's back. */
  public void setAdSyncRunning(String server, boolean running) {
    world.setAdSyncRunning(server, running);
  }

  /** Starts a sync cycle that runs for the given time (whatever the scheduler says). */
  public void startSyncCycle(String server, long durationMillis) {
    world.startSyncCycle(server, durationMillis);
  }

  /** The server's whole Application event log, oldest first. */
  public List<EventLogEntry> events(String server) {
    return world.events(server);
  }

  /** Every step latency served so far, oldest first (none without {@code stepLatencyMillis}). */
  public List<Latency> latencies() {
    return guard.latencies();
  }

  public LabSnapshot snapshot() {
    return world.snapshot();
  }
}
