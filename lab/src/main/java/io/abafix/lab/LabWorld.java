package io.abafix.lab;

import static io.abafix.activities.port.HostException.Category.CREDENTIAL_UNAVAILABLE;
import static io.abafix.activities.port.HostException.Category.PERMANENT;
import static io.abafix.activities.port.HostException.Category.TRANSIENT;

import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.KeyCredential;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.port.HostException;
import io.abafix.lab.scenario.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The simulated tenant and its sync servers, and the rules they follow. Every method holds this
 * object's monitor, which is the one lock of the whole lab: activity threads for different servers
 * and the directory may call in concurrently, and an effect on one server (a rotation) changes what
 * another sees (its authentication).
 */
final class LabWorld {
  static final String APP_PREFIX = "ConnectSyncProvisioning_";
  static final String GLOBAL_ADMINISTRATOR = "Global Administrator";
  private static final String MANAGED_BY = "Microsoft";
  private static final AbaParameters BLANK = new AbaParameters(null, null, null);
  private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-fA-F]{32}");
  private static final String MIN_ABA_VERSION = "2.5.3.0";
  private static final String MIN_AUTO_ONBOARDING_VERSION = "2.5.76.0";

  /** From this version Synchronization Service Manager no longer clears the ABA parameters. */
  private static final String PARAMETER_WIPE_FIXED_VERSION = "2.6.1.0";

  /** From this version existing servers are no longer switched to ABA automatically. */
  private static final String NO_AUTO_ONBOARDING_VERSION = "2.6.84.0";

  private static final String MIN_AD_SYNC_TOOLS_VERSION = "2.3.0";

  /** The ADSyncTools version the simulated PowerShell Gallery serves. */
  static final String GALLERY_AD_SYNC_TOOLS_VERSION = "2.3.0";

  static final int EVENT_CERTIFICATE_NEARS_EXPIRY = 1011;
  static final int EVENT_CERTIFICATE_EXPIRED = 1012;

  private final String domain;
  private final LongSupplier clock;
  private final long propagationDelayMillis;
  private final long syncCycleMillis;
  // Seeded by the scenario name so that ids and thumbprints repeat from run to run.
  private final Random random;

  /** Live apps by lower-case object id. */
  private final Map<String, SimApp> apps = new LinkedHashMap<>();

  /** Soft-deleted apps (deleted items) by lower-case object id. */
  private final Map<String, SimApp> deletedApps = new LinkedHashMap<>();

  /** The app role the Entra Connect wizard grants each sync app's service principal. */
  static final String SYNC_APP_ROLE = "ADSynchronization.ReadWrite.All";

  /** A service principal: an object of its own, with the app roles granted to it. */
  static final class SimServicePrincipal {
    final String id;
    final String appId;
    final List<String> appRoles = new ArrayList<>();

    SimServicePrincipal(String id, String appId) {
      this.id = id;
      this.appId = appId;
    }
  }

  /** Live service principals by lower-case app id. */
  private final Map<String, SimServicePrincipal> servicePrincipals = new LinkedHashMap<>();

  /** Soft-deleted service principals (deleted items) by lower-case object id. */
  private final Map<String, SimServicePrincipal> deletedServicePrincipals = new LinkedHashMap<>();

  /** Owners (object ids) of app registrations, by lower-case app object id. */
  private final Map<String, Set<String>> owners = new HashMap<>();

  /** Role-assignable groups: object id to the group. */
  private final Map<String, Scenario.Group> groups = new LinkedHashMap<>();

  /** The directory worker's app, as the scenario sets it up. */
  private Scenario.DirectoryWorker directoryWorker = Scenario.DirectoryWorker.DEFAULT;

  /** The object id of the directory worker's service principal. */
  private String directoryWorkerId;

  /** A server to point back at its app right after that app is deleted (scenario's demo). */
  private String reconnectAfterDelete;

  /** Accounts by lower-case UPN. */
  private final Map<String, SimAccount> accounts = new LinkedHashMap<>();

  /** Automatic onboarding's key: connector account (lower-case UPN) to app object id. */
  private final Map<String, String> onboardedApps = new HashMap<>();

  /** Servers by upper-case name, in scenario order. */
  private final Map<String, SimServer> servers = new LinkedHashMap<>();

  /** Whether the scheduler's SyncCycleEnabled is the tenant's rather than each server's. */
  private final boolean schedulerPerTenant;

  private final Map<String, Integer> effects = new TreeMap<>();

  LabWorld(Scenario scenario, LongSupplier clock) {
    this.domain = scenario.tenant().domain();
    this.clock = clock;
    this.propagationDelayMillis = scenario.timing().propagationDelayMillis();
    this.syncCycleMillis = scenario.timing().syncCycleDurationMillis();
    this.random = new Random(scenario.name().hashCode());
    this.schedulerPerTenant = scenario.tenant().connectSyncOrDefault().schedulerPerTenant();
    synchronized (this) {
      build(scenario);
    }
  }

  private void build(Scenario scenario) {
    long now = now();
    for (Scenario.Account a : scenario.tenant().accounts()) {
      accounts.put(
          lower(a.userPrincipalName()),
          new SimAccount(a.userPrincipalName(), a.roles(), a.eligibleRoles(), Long.MIN_VALUE));
    }
    for (Scenario.Group g : scenario.tenant().groups()) {
      groups.put(uuidFor("group:" + g.displayName()), g);
    }
    directoryWorker = scenario.tenant().directoryWorkerOrDefault();
    directoryWorkerId = uuidFor("servicePrincipal:directory-worker");
    reconnectAfterDelete = scenario.demoOrDefault().reconnectAfterDelete();
    for (Scenario.Application a : scenario.tenant().applications()) {
      SimApp app =
          new SimApp(a.id() == null ? newGuid() : lower(a.id()), lower(a.appId()), a.displayName());
      a.certificates().forEach(t -> app.keys.add(newKey(upper(t))));
      (a.isDeleted() ? deletedApps : apps).put(app.id, app);
      if (a.hasServicePrincipal()) {
        SimServicePrincipal sp =
            newServicePrincipal(
                a.servicePrincipalId() == null ? newGuid() : lower(a.servicePrincipalId()),
                app.appId);
        sp.appRoles.add(SYNC_APP_ROLE);
        if (a.isDeleted()) deletedServicePrincipals.put(sp.id, sp);
        else servicePrincipals.put(app.appId, sp);
      }
      if (a.connectorAccount() != null) onboardedApps.put(lower(upn(a.connectorAccount())), app.id);
    }
    for (SimApp app : apps.values()) {
      if (directoryWorker.owns().contains("*")
          || directoryWorker.owns().stream().anyMatch(app.displayName::equalsIgnoreCase)) {
        owners.computeIfAbsent(app.id, k -> new HashSet<>()).add(directoryWorkerId);
      }
    }
    for (Scenario.Server spec : scenario.servers()) {
      SimServer s =
          new SimServer(
              upper(spec.name()), lower(spec.machineId()), spec.version(), spec.connectorAccount());
      s.stagingMode = Boolean.TRUE.equals(spec.stagingMode());
      s.adSyncRunning = !Boolean.FALSE.equals(spec.adSyncRunning());
      s.syncCycleEnabled = !Boolean.FALSE.equals(spec.syncCycleEnabled());
      s.cycleEndsAtMillis =
          now + (spec.syncCycleInProgressMillis() == null ? 0 : spec.syncCycleInProgressMillis());
      s.adSyncToolsVersion = spec.adSyncToolsVersion();
      s.autoUpgraded = Boolean.TRUE.equals(spec.autoUpgraded());
      s.internet = !Boolean.FALSE.equals(spec.internet());
      s.stagedModulePath = spec.stagedModulePath();
      s.stagedAdSyncToolsVersion = spec.stagedAdSyncToolsVersion();
      s.credentialReferences.addAll(lowerAll(spec.credentialReferences()));
      Scenario.Identity id = spec.identity();
      if (id.type().equals("Application")) {
        s.identityType = IdentityType.Application;
        s.appId = lower(id.appId());
        s.originalAppId = s.appId;
        s.certificate = upper(id.certificate());
        s.abaParameters = new AbaParameters(MANAGED_BY, MANAGED_BY, s.certificate);
        // The shared-app state arises from automatic onboarding keyed by the connector account.
        SimApp app = liveAppByAppId(s.appId);
        if (app == null) app = findByAppId(deletedApps, s.appId);
        if (spec.connectorAccount() != null) {
          onboardedApps.putIfAbsent(lower(upn(spec.connectorAccount())), app.id);
        }
      } else {
        s.identityType = IdentityType.ServiceAccount;
        s.serviceAccountName = id.account();
        s.abaParameters = BLANK;
        String upn = upn(id.account());
        accounts.putIfAbsent(lower(upn), new SimAccount(upn, List.of(), Long.MIN_VALUE));
      }
      if (spec.abaParameters() != null) s.abaParameters = spec.abaParameters();
      servers.put(s.name, s);
    }
    for (Scenario.Server spec : scenario.servers()) {
      SimServer s = servers.get(upper(spec.name()));
      for (Scenario.Event e : spec.events()) {
        for (int i = 0; i < e.count(); i++) {
          log(
              s,
              e.eventId(),
              e.source() == null ? EntraErrors.EVENT_SOURCE : e.source(),
              e.level() == null ? "Information" : e.level(),
              e.message() == null ? "" : e.message(),
              now() - e.ageMillis());
        }
      }
      int past = spec.pastSyncCycles() == null ? 0 : spec.pastSyncCycles();
      for (int i = 0; i < past; i++) syncCycle(s, false);
    }
  }

  // ---- server operations -------------------------------------------------------------------

  synchronized ServerState inspect(String server) {
    SimServer s = server(server);
    return new ServerState(
        s.name,
        s.machineId,
        s.version,
        s.stagingMode,
        s.adSyncRunning,
        s.syncCycleEnabled,
        cycleInProgress(s),
        s.connectorAccount,
        s.identityType,
        s.identityType == IdentityType.ServiceAccount ? s.serviceAccountName : null,
        s.identityType == IdentityType.Application ? s.appId : null,
        s.certificate,
        s.abaParameters,
        s.adSyncToolsVersion,
        // The wizard suspends the scheduler while it is open (the scheduler page).
        s.wizardOpen,
        s.wizardOpen);
  }

  synchronized void setWizardOpen(String server, boolean open) {
    server(server).wizardOpen = open;
  }

  synchronized void setSyncCycleEnabled(String server, boolean enabled) {
    SimServer s = server(server);
    requireRunning(s, "Set-ADSyncScheduler");
    if (s.syncCycleEnabled != enabled) count("setSyncCycleEnabled", s.name);
    // Pausing does not stop a cycle already running; the cycle ends on its own.
    s.syncCycleEnabled = enabled;
    if (schedulerPerTenant) {
      // The variant where the setting is the tenant's, stored in Entra ID: every server follows.
      for (SimServer other : servers.values()) other.syncCycleEnabled = enabled;
    }
  }

  /** The key id of the live app key holding {@code thumbprint}, or null. */
  synchronized String keyIdOf(String thumbprint) {
    if (thumbprint == null) return null;
    for (SimApp app : apps.values()) {
      for (KeyCredential k : app.keys) {
        if (thumbprint.equalsIgnoreCase(k.thumbprint())) return k.keyId();
      }
    }
    return null;
  }

  /** Passwords of tenant accounts, by lower-cased UPN, for credentials the lab checks. */
  private final Map<String, String> passwords = new HashMap<>();

  synchronized void storeCredential(String server, String reference, String upn, String password) {
    SimServer s = server(server);
    s.credentialReferences.add(lower(reference));
    s.credentialSecrets.put(lower(reference), new String[] {upn, password});
  }

  synchronized void setPassword(String upn, String password) {
    passwords.put(lower(upn), password);
  }

  /**
   * The user name of the credential {@code reference} names on {@code server}, as Import-Clixml
   * reads it.
   */
  synchronized String credentialUserName(String server, String reference) {
    SimServer s = server(server);
    requireCredential(s, reference);
    String[] stored = s.credentialSecrets.get(lower(reference));
    return stored != null ? stored[0] : "hybrid-identity-admin@" + domain;
  }

  private void requireCredential(SimServer s, String reference) {
    if (reference == null || !s.credentialReferences.contains(lower(reference))) {
      throw new HostException(
          CREDENTIAL_UNAVAILABLE,
          "credential reference '"
              + reference
              + "' does not resolve on "
              + s.name
              + ": store a Hybrid Identity Administrator credential there under that reference");
    }
  }

  synchronized void revertToServiceAccount(String server, String accountName, String reference) {
    SimServer s = server(server);
    requireCredential(s, reference);
    if (accountName == null || accountName.isBlank()) {
      throw new HostException(
          PERMANENT, "Add-ADSyncAADServiceAccount on " + s.name + " needs -Name");
    }
    requireRunning(s, "Add-ADSyncAADServiceAccount");
    String[] stored = s.credentialSecrets.get(lower(reference));
    if (stored != null) {
      // Import-Clixml on the server yields a credential; Entra checks it like any sign-in.
      String expected = passwords.get(lower(stored[0]));
      if (expected == null || !expected.equals(stored[1])) {
        throw new HostException(
            PERMANENT,
            "Add-ADSyncAADServiceAccount on "
                + s.name
                + ": AADSTS50126 invalid username or password"
                + " for the credential in "
                + reference
                + ": store a current one there");
      }
    }
    String upn = upn(accountName);
    // An existing account keeps its sign-in time: the cmdlet resets it, it does not re-create it.
    accounts.computeIfAbsent(
        lower(upn), k -> new SimAccount(upn, List.of(), now() + propagationDelayMillis));
    s.identityType = IdentityType.ServiceAccount;
    s.serviceAccountName = accountName;
    s.appId = null;
    // The ABA parameters describe the application identity, which the connector no longer uses.
    s.abaParameters = BLANK;
    count("revertToServiceAccount", s.name);
  }

  synchronized AuthenticationCheck testConnectorAuthentication(String server) {
    SimServer s = server(server);
    requireRunning(s, "the connector");
    return authenticate(s);
  }

  synchronized void setMachineIdentifier(String server, String newMachineId) {
    SimServer s = server(server);
    if (newMachineId == null || !MACHINE_ID.matcher(newMachineId).matches()) {
      throw new HostException(
          PERMANENT,
          "'"
              + newMachineId
              + "' is not a SyncMachineIdentifier (32 hex characters) for "
              + s.name);
    }
    if (cycleInProgress(s)) {
      throw new HostException(
          PERMANENT,
          "a sync cycle is running on "
              + s.name
              + ": wait until it ends before stopping ADSync to change the machine identifier");
    }
    // The documented script: Stop-Service ADSync; Set-ItemProperty ...; Start-Service ADSync.
    s.adSyncRunning = false;
    writeMachineIdentifier(s, newMachineId);
    s.adSyncRunning = true;
    count("setMachineIdentifier", s.name);
  }

  /** The registry write itself: refused while ADSync runs, which would overwrite it. */
  private void writeMachineIdentifier(SimServer s, String newMachineId) {
    if (s.adSyncRunning) {
      throw new IllegalStateException(
          "refusing to set SyncMachineIdentifier on " + s.name + " while ADSync is running");
    }
    s.machineId = lower(newMachineId);
  }

  /**
   * Rotates the server's application certificate: a new local certificate whose key replaces every
   * key of the app, so that any other server on the same app stops authenticating.
   */
  synchronized void rotateApplicationCertificate(String server, boolean countEffect) {
    SimServer s = server(server);
    requireRunning(s, "Invoke-ADSyncApplicationCredentialRotation");
    if (s.identityType != IdentityType.Application) {
      throw new HostException(
          PERMANENT,
          s.name
              + " does not use application-based authentication (connector identity: "
              + s.identityType
              + "): there is no application certificate to rotate");
    }
    SimApp app = liveAppByAppId(s.appId);
    if (app == null) {
      throw new HostException(
          PERMANENT,
          "the application "
              + s.appId
              + " that "
              + s.name
              + " uses does not exist in "
              + domain
              + ": configure application-based authentication instead of rotating");
    }
    requireCompleteParameters(s);
    String thumbprint = newThumbprint();
    app.keys.clear();
    app.keys.add(newKey(thumbprint));
    s.certificate = thumbprint;
    s.abaParameters =
        new AbaParameters(
            s.abaParameters.applicationManagedBy(),
            s.abaParameters.certificateManagedBy(),
            thumbprint);
    if (countEffect) count("rotateApplicationCertificate", s.name);
  }

  /**
   * The wizard's "Configure application-based authentication": an app named for this server (a live
   * app of that exact name is reused, as the wizard does when names clash), a service principal,
   * and a new certificate as a key of it.
   */
  synchronized void configureApplicationAuthentication(String server) {
    SimServer s = server(server);
    requireRunning(s, "the configuration wizard");
    if (s.version != null && compareVersions(s.version, MIN_ABA_VERSION) < 0) {
      throw new HostException(
          PERMANENT,
          "application-based authentication needs Entra Connect "
              + MIN_ABA_VERSION
              + " or later; "
              + s.name
              + " runs "
              + s.version);
    }
    if (s.identityType == IdentityType.Application) requireCompleteParameters(s);
    String name = APP_PREFIX + s.name + "_" + s.machineIdPrefix();
    SimApp app =
        apps.values().stream()
            .filter(a -> a.displayName.equalsIgnoreCase(name))
            .findFirst()
            .orElse(null);
    if (app == null) {
      app = new SimApp(newGuid(), newGuid(), name);
      apps.put(app.id, app);
    }
    String thumbprint = newThumbprint();
    app.keys.add(newKey(thumbprint));
    wizardServicePrincipal(app);
    useApplication(s, app, thumbprint);
    count("configureApplicationAuthentication", s.name);
  }

  synchronized List<EventLogEntry> readEvents(String server, long afterRecordId, int maxEntries) {
    SimServer s = server(server);
    if (maxEntries <= 0) return List.of();
    return s.events.stream()
        .filter(e -> e.recordId() > afterRecordId)
        .filter(e -> EntraErrors.EVENT_SOURCE.equals(e.source()))
        .limit(maxEntries)
        .toList();
  }

  /**
   * Install-Module from the Gallery (when the server reaches it) or a copy of the pre-staged module
   * folder (when {@code source} is that folder). The newest installed version wins, as with
   * side-by-side module versions.
   */
  synchronized void installAdSyncTools(String server, String source) {
    SimServer s = server(server);
    String version;
    if ("gallery".equalsIgnoreCase(source)) {
      if (!s.internet) {
        throw new HostException(
            PERMANENT,
            "cannot install ADSyncTools from the PowerShell Gallery: "
                + s.name
                + " cannot reach it (Unable to resolve package source"
                + " 'https://www.powershellgallery.com/api/v2'). Pre-stage the module on this server"
                + " and give its folder as the source.");
      }
      version = GALLERY_AD_SYNC_TOOLS_VERSION;
    } else if (source != null
        && s.stagedModulePath != null
        && stripSlash(source).equalsIgnoreCase(stripSlash(s.stagedModulePath))) {
      version = s.stagedAdSyncToolsVersion;
      if (compareVersions(version, MIN_AD_SYNC_TOOLS_VERSION) < 0) {
        throw new HostException(
            PERMANENT,
            "the staged ADSyncTools is "
                + version
                + "; "
                + MIN_AD_SYNC_TOOLS_VERSION
                + " or later is needed");
      }
    } else {
      throw new HostException(
          PERMANENT,
          "no folder " + source + " on " + s.name + ": copy the ADSyncTools module there first");
    }
    if (s.adSyncToolsVersion == null || compareVersions(version, s.adSyncToolsVersion) > 0) {
      s.adSyncToolsVersion = version;
    }
    count("installAdSyncTools", s.name);
  }

  /**
   * {@code Repair-ADSyncToolsEntraAppParameters}: restores the three parameters from the
   * application identity the connector uses.
   */
  synchronized void repairConnectorParameters(String server) {
    SimServer s = server(server);
    requireRunning(s, "Repair-ADSyncToolsEntraAppParameters");
    if (s.adSyncToolsVersion == null
        || compareVersions(s.adSyncToolsVersion, MIN_AD_SYNC_TOOLS_VERSION) < 0) {
      throw new HostException(
          PERMANENT,
          "The term 'Repair-ADSyncToolsEntraAppParameters' is not recognized: ADSyncTools "
              + MIN_AD_SYNC_TOOLS_VERSION
              + " or later is not installed on "
              + s.name
              + " (found "
              + s.adSyncToolsVersion
              + ")");
    }
    if (s.identityType != IdentityType.Application) {
      throw new HostException(
          PERMANENT, s.name + " does not use application-based authentication: nothing to repair");
    }
    s.abaParameters = new AbaParameters(MANAGED_BY, MANAGED_BY, s.certificate);
    count("repairConnectorParameters", s.name);
  }

  // ---- lab-only server operations ----------------------------------------------------------

  /**
   * Someone opens the Entra connector in Synchronization Service Manager and selects OK. On a
   * server that switched to ABA by automatic upgrade this drops the ABA parameters, unless it runs
   * 2.6.1.0 or later; elsewhere it changes nothing.
   *
   * @return whether the parameters were cleared
   */
  synchronized boolean saveConnectorInSyncServiceManager(String server) {
    SimServer s = server(server);
    if (!s.autoUpgraded || s.identityType != IdentityType.Application) return false;
    if (s.version != null && compareVersions(s.version, PARAMETER_WIPE_FIXED_VERSION) >= 0) {
      return false;
    }
    s.abaParameters = BLANK;
    return true;
  }

  synchronized void logEvent(String server, int eventId, String level, String message) {
    log(server(server), eventId, EntraErrors.EVENT_SOURCE, level, message);
  }

  /** Logs event 1011 (the ABA certificate nears expiry) or 1012 (it has expired). */
  synchronized void logCertificateExpiry(String server, boolean expired) {
    SimServer s = server(server);
    log(
        s,
        expired ? EVENT_CERTIFICATE_EXPIRED : EVENT_CERTIFICATE_NEARS_EXPIRY,
        EntraErrors.EVENT_SOURCE,
        expired ? "Error" : "Warning",
        expired
            ? "The application certificate " + s.certificate + " has expired."
            : "The application certificate " + s.certificate + " expires soon.");
  }

  /**
   * One run of the scheduler, if it may run now (scheduler enabled, ADSync running, no cycle
   * running): authenticates, and logs event 906 on failure.
   */
  synchronized Optional<AuthenticationCheck> runSyncCycle(String server) {
    SimServer s = server(server);
    if (!s.syncCycleEnabled || !s.adSyncRunning || cycleInProgress(s)) return Optional.empty();
    return Optional.of(syncCycle(s, true));
  }

  /**
   * Automatic onboarding after an upgrade to 2.5.76.0+: finds the app by the connector account, so
   * servers sharing an account share one app. The server onboarding last puts its key in place of
   * the previous one, which is how the first server ends up broken.
   */
  synchronized void autoOnboard(String server) {
    SimServer s = server(server);
    if (s.version != null && compareVersions(s.version, NO_AUTO_ONBOARDING_VERSION) >= 0) {
      throw new IllegalStateException(
          "Entra Connect "
              + NO_AUTO_ONBOARDING_VERSION
              + " and later no longer switch existing servers automatically; "
              + server
              + " runs "
              + s.version);
    }
    if (s.version != null && compareVersions(s.version, MIN_AUTO_ONBOARDING_VERSION) < 0) {
      throw new IllegalStateException(
          "automatic onboarding needs Entra Connect "
              + MIN_AUTO_ONBOARDING_VERSION
              + " or later; "
              + s.name
              + " runs "
              + s.version);
    }
    String account =
        s.identityType == IdentityType.ServiceAccount && s.serviceAccountName != null
            ? s.serviceAccountName
            : s.connectorAccount;
    if (account == null) {
      throw new IllegalStateException(s.name + " has no connector account to onboard with");
    }
    String key = lower(upn(account));
    String appObjectId = onboardedApps.get(key);
    SimApp app = appObjectId == null ? null : apps.get(appObjectId);
    String thumbprint = newThumbprint();
    if (app == null) {
      app = new SimApp(newGuid(), newGuid(), APP_PREFIX + s.name + "_" + s.machineIdPrefix());
      apps.put(app.id, app);
      onboardedApps.put(key, app.id);
    } else {
      app.keys.clear();
    }
    app.keys.add(newKey(thumbprint));
    wizardServicePrincipal(app);
    useApplication(s, app, thumbprint);
    s.autoUpgraded = true;
  }

  /** What saving the connector in Synchronization Service Manager does: blanks ABA parameters. */
  synchronized void blankAbaParameters(String server) {
    server(server).abaParameters = BLANK;
  }

  synchronized void setAdSyncRunning(String server, boolean running) {
    server(server).adSyncRunning = running;
  }

  synchronized void startSyncCycle(String server, long durationMillis) {
    server(server).cycleEndsAtMillis = now() + durationMillis;
  }

  synchronized List<EventLogEntry> events(String server) {
    return List.copyOf(server(server).events);
  }

  synchronized List<String> serverNames() {
    return List.copyOf(servers.keySet());
  }

  synchronized boolean hasServer(String server) {
    return server != null && servers.containsKey(upper(server));
  }

  String domain() {
    return domain;
  }

  long now() {
    return clock.getAsLong();
  }

  // ---- directory operations ----------------------------------------------------------------

  synchronized List<AppRegistration> listApplications(String prefix) {
    // Graph's startswith on displayName ignores case.
    return apps.values().stream()
        .filter(
            a -> prefix == null || a.displayName.regionMatches(true, 0, prefix, 0, prefix.length()))
        .sorted(Comparator.comparing((SimApp a) -> a.displayName).thenComparing(a -> a.id))
        .map(SimApp::toRegistration)
        .toList();
  }

  synchronized Optional<AppRegistration> getApplication(String id) {
    return Optional.ofNullable(id == null ? null : apps.get(lower(id))).map(SimApp::toRegistration);
  }

  synchronized Optional<AppRegistration> getDeletedApplication(String id) {
    return Optional.ofNullable(id == null ? null : deletedApps.get(lower(id)))
        .map(SimApp::toRegistration);
  }

  synchronized void deleteApplication(String id) {
    String key = id == null ? "" : lower(id);
    SimApp app = apps.remove(key);
    if (app == null) {
      if (deletedApps.containsKey(key)) return;
      throw new HostException(PERMANENT, "application " + id + " not found in " + domain);
    }
    deletedApps.put(key, app);
    // Its service principal goes to deleted items with it, and is restored on its own.
    SimServicePrincipal sp = servicePrincipals.remove(app.appId);
    if (sp != null) deletedServicePrincipals.put(sp.id, sp);
    count("deleteApplication", app.id);
    if (reconnectAfterDelete != null && hasServer(reconnectAfterDelete)) {
      SimServer s = server(reconnectAfterDelete);
      // Someone restores a backup of that server's configuration: it names the deleted app again.
      if (app.appId.equals(s.originalAppId)) useApplication(s, app, s.certificate);
    }
  }

  synchronized void restoreApplication(String id) {
    String key = id == null ? "" : lower(id);
    SimApp app = deletedApps.remove(key);
    if (app == null) {
      if (apps.containsKey(key)) return;
      throw new HostException(
          PERMANENT, "application " + id + " not found in the deleted items of " + domain);
    }
    apps.put(key, app);
    count("restoreApplication", app.id);
  }

  synchronized Optional<SimServicePrincipal> servicePrincipal(String appId) {
    return Optional.ofNullable(appId == null ? null : servicePrincipals.get(lower(appId)));
  }

  synchronized Optional<SimServicePrincipal> servicePrincipalById(String id) {
    return servicePrincipals.values().stream().filter(sp -> sp.id.equalsIgnoreCase(id)).findFirst();
  }

  synchronized Optional<SimServicePrincipal> deletedServicePrincipal(String appId) {
    return deletedServicePrincipals.values().stream()
        .filter(sp -> sp.appId.equalsIgnoreCase(appId))
        .findFirst();
  }

  synchronized void restoreServicePrincipal(String id) {
    SimServicePrincipal sp = id == null ? null : deletedServicePrincipals.get(lower(id));
    if (sp == null) {
      if (servicePrincipalById(id).isPresent()) return;
      throw new HostException(
          PERMANENT, "service principal " + id + " not found in the deleted items of " + domain);
    }
    if (liveAppByAppId(sp.appId) == null) {
      throw new HostException(
          PERMANENT,
          "service principal " + id + " cannot be restored before its application " + sp.appId);
    }
    deletedServicePrincipals.remove(sp.id);
    servicePrincipals.put(sp.appId, sp);
    count("restoreServicePrincipal", sp.id);
  }

  synchronized boolean servicePrincipalExists(String appId) {
    return appId != null && servicePrincipals.containsKey(lower(appId));
  }

  /** A new service principal, as {@code POST /servicePrincipals} makes it: no app roles. */
  synchronized SimServicePrincipal createServicePrincipal(String appId) {
    if (appId == null || liveAppByAppId(lower(appId)) == null) {
      throw new HostException(
          PERMANENT,
          "no live application with appId " + appId + " in " + domain + ": restore it first");
    }
    SimServicePrincipal existing = servicePrincipals.get(lower(appId));
    if (existing != null) return existing;
    SimServicePrincipal sp = newServicePrincipal(newGuid(), lower(appId));
    servicePrincipals.put(sp.appId, sp);
    count("createServicePrincipal", sp.appId);
    return sp;
  }

  /** The object ids of an app's owners. */
  synchronized List<String> owners(String appObjectId) {
    return List.copyOf(owners.getOrDefault(lower(appObjectId), Set.of()));
  }

  synchronized Scenario.DirectoryWorker directoryWorker() {
    return directoryWorker;
  }

  synchronized String directoryWorkerServicePrincipalId() {
    return directoryWorkerId;
  }

  /** A user of the tenant by UPN or object id, or null. */
  synchronized SimAccount account(String upnOrId) {
    if (upnOrId == null) return null;
    SimAccount a = accounts.get(lower(upnOrId));
    if (a != null) return a;
    return accounts.values().stream()
        .filter(x -> userId(x.userPrincipalName()).equalsIgnoreCase(upnOrId))
        .findFirst()
        .orElse(null);
  }

  /** The stable object id of a user. */
  static String userId(String userPrincipalName) {
    return uuidFor("user:" + userPrincipalName.toLowerCase(Locale.ROOT));
  }

  /** Active role names a user holds, directly or through a role-assignable group. */
  synchronized List<String> activeRoles(SimAccount user) {
    List<String> roles = new ArrayList<>(user.roles());
    groups.values().stream()
        .filter(g -> g.members().stream().anyMatch(user.userPrincipalName()::equalsIgnoreCase))
        .forEach(g -> roles.addAll(g.roles()));
    return roles;
  }

  /** The object ids (users and groups) eligible for a role. */
  synchronized List<String> eligiblePrincipals(String role) {
    List<String> ids = new ArrayList<>();
    accounts.values().stream()
        .filter(a -> a.eligibleFor(role))
        .forEach(a -> ids.add(userId(a.userPrincipalName())));
    groups.forEach(
        (id, g) -> {
          if (g.eligibleRoles().stream().anyMatch(role::equalsIgnoreCase)) ids.add(id);
        });
    return ids;
  }

  /** The ids among {@code ids} of groups the user is a member of. */
  synchronized List<String> memberOf(SimAccount user, List<String> ids) {
    return ids.stream()
        .filter(
            id ->
                groups.containsKey(lower(id))
                    && groups.get(lower(id)).members().stream()
                        .anyMatch(user.userPrincipalName()::equalsIgnoreCase))
        .toList();
  }

  synchronized boolean isGlobalAdministrator(String userPrincipalName) {
    SimAccount a = account(userPrincipalName);
    return a != null && activeRoles(a).stream().anyMatch(GLOBAL_ADMINISTRATOR::equalsIgnoreCase);
  }

  private SimServicePrincipal newServicePrincipal(String id, String appId) {
    return new SimServicePrincipal(lower(id), lower(appId));
  }

  /** The wizard makes the app's service principal and grants it the sync app role. */
  private void wizardServicePrincipal(SimApp app) {
    SimServicePrincipal sp =
        servicePrincipals.computeIfAbsent(app.appId, k -> newServicePrincipal(newGuid(), k));
    if (!sp.appRoles.contains(SYNC_APP_ROLE)) sp.appRoles.add(SYNC_APP_ROLE);
  }

  private static String uuidFor(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  // ---- observation -------------------------------------------------------------------------

  synchronized Map<String, Integer> effectCounts() {
    return Map.copyOf(new TreeMap<>(effects));
  }

  synchronized LabSnapshot snapshot() {
    List<LabSnapshot.Server> serverViews = new ArrayList<>();
    for (SimServer s : servers.values()) {
      serverViews.add(
          new LabSnapshot.Server(
              s.name,
              s.identityType,
              s.identityType == IdentityType.Application ? s.appId : null,
              s.identityType == IdentityType.ServiceAccount ? s.serviceAccountName : null,
              s.machineId,
              s.certificate,
              s.stagingMode,
              s.syncCycleEnabled,
              cycleInProgress(s),
              s.adSyncRunning,
              s.abaParameters,
              signsIn(s)));
    }
    List<LabSnapshot.Application> appViews =
        apps.values().stream()
            .sorted(Comparator.comparing((SimApp a) -> a.displayName).thenComparing(a -> a.id))
            .map(
                a ->
                    new LabSnapshot.Application(
                        a.id,
                        a.appId,
                        a.displayName,
                        a.keys.stream().map(KeyCredential::thumbprint).toList(),
                        servicePrincipals.containsKey(a.appId)
                            ? servicePrincipals.get(a.appId).id
                            : null,
                        servicePrincipals.containsKey(a.appId)
                            ? servicePrincipals.get(a.appId).appRoles
                            : List.of()))
            .toList();
    return new LabSnapshot(serverViews, appViews, List.copyOf(deletedApps.keySet()));
  }

  // ---- rules -------------------------------------------------------------------------------

  /**
   * Whether the connector's identity signs in now. An application needs to exist, to have a service
   * principal and to hold the server's certificate; a service account needs to exist and to have
   * propagated.
   */
  private AuthenticationCheck authenticate(SimServer s) {
    switch (s.identityType) {
      case Application -> {
        if (applicationSignsIn(s)) return AuthenticationCheck.ok();
        return AuthenticationCheck.failed(
            EntraErrors.CERTIFICATE_NOT_REGISTERED,
            EntraErrors.certificateNotRegistered(
                s.appId, newGuid(), newGuid(), Instant.ofEpochMilli(now())));
      }
      case ServiceAccount -> {
        String upn = upn(s.serviceAccountName);
        SimAccount account = accounts.get(lower(upn));
        if (account == null) {
          return AuthenticationCheck.failed(
              EntraErrors.ACCESS_DENIED, EntraErrors.accessDenied(upn, false, 0));
        }
        // Compared, not subtracted: accounts that always worked start at Long.MIN_VALUE.
        if (account.usableFromMillis() > now()) {
          long wait = account.usableFromMillis() - now();
          return AuthenticationCheck.failed(
              EntraErrors.ACCESS_DENIED, EntraErrors.accessDenied(upn, true, wait));
        }
        return AuthenticationCheck.ok();
      }
      default -> {
        return AuthenticationCheck.failed("Unknown", "the connector identity is not recognised");
      }
    }
  }

  private boolean applicationSignsIn(SimServer s) {
    SimApp app = liveAppByAppId(s.appId);
    // Its token needs the service principal; syncing needs the app role the wizard granted it.
    SimServicePrincipal sp = app == null ? null : servicePrincipals.get(app.appId);
    return sp != null && sp.appRoles.contains(SYNC_APP_ROLE) && app.holds(s.certificate);
  }

  /** Like {@link #authenticate}, without building messages (which draws random trace ids). */
  private boolean signsIn(SimServer s) {
    return switch (s.identityType) {
      case Application -> applicationSignsIn(s);
      case ServiceAccount -> {
        SimAccount account = accounts.get(lower(upn(s.serviceAccountName)));
        yield account != null && account.usableFromMillis() <= now();
      }
      default -> false;
    };
  }

  private AuthenticationCheck syncCycle(SimServer s, boolean takesTime) {
    AuthenticationCheck check = authenticate(s);
    if (!check.authenticated()) {
      log(
          s,
          EntraErrors.EVENT_AUTHENTICATION_FAILED,
          EntraErrors.EVENT_SOURCE,
          "Error",
          check.message());
    }
    if (takesTime) s.cycleEndsAtMillis = now() + syncCycleMillis;
    return check;
  }

  /**
   * Someone points the server's connector back at an app registration (live or deleted) by hand,
   * e.g. by restoring a backup of its configuration; the server keeps its certificate.
   */
  synchronized void reconnectToApplication(String server, String appId) {
    SimServer s = server(server);
    SimApp app = findByAppId(apps, appId);
    if (app == null) app = findByAppId(deletedApps, appId);
    if (app == null) throw new IllegalArgumentException("no app " + appId + " in the lab");
    useApplication(s, app, s.certificate);
  }

  private void useApplication(SimServer s, SimApp app, String thumbprint) {
    s.identityType = IdentityType.Application;
    s.appId = app.appId;
    s.serviceAccountName = null;
    s.certificate = thumbprint;
    s.abaParameters = new AbaParameters(MANAGED_BY, MANAGED_BY, thumbprint);
  }

  private void requireCompleteParameters(SimServer s) {
    List<String> blank =
        s.abaParameters == null ? List.of("ApplicationManagedBy") : s.abaParameters.blankNames();
    if (!blank.isEmpty()) {
      throw new HostException(
          PERMANENT,
          blank.get(0)
              + " isn't set on "
              + s.name
              + ": run Repair-ADSyncToolsEntraAppParameters (ADSyncTools 2.3.0 or later) first");
    }
  }

  private void requireRunning(SimServer s, String what) {
    if (!s.adSyncRunning) {
      throw new HostException(
          TRANSIENT,
          "the ADSync service is not running on "
              + s.name
              + ", so "
              + what
              + " cannot act: start it (Start-Service ADSync)");
    }
  }

  private boolean cycleInProgress(SimServer s) {
    return now() < s.cycleEndsAtMillis;
  }

  private void log(SimServer s, int eventId, String source, String level, String message) {
    log(s, eventId, source, level, message, now());
  }

  private void log(
      SimServer s, int eventId, String source, String level, String message, long atMillis) {
    s.events.add(
        new EventLogEntry(
            ++s.lastRecordId,
            eventId,
            source,
            level,
            Instant.ofEpochMilli(atMillis).toString(),
            message));
  }

  private void count(String step, String target) {
    effects.merge(step + ":" + target, 1, Integer::sum);
  }

  private SimServer server(String name) {
    SimServer s = name == null ? null : servers.get(upper(name));
    if (s == null) {
      throw new IllegalArgumentException(
          "no server "
              + name
              + " in this lab (servers: "
              + String.join(", ", servers.keySet())
              + ")");
    }
    return s;
  }

  private SimApp liveAppByAppId(String appId) {
    return findByAppId(apps, appId);
  }

  private static SimApp findByAppId(Map<String, SimApp> in, String appId) {
    if (appId == null) return null;
    return in.values().stream()
        .filter(a -> a.appId.equalsIgnoreCase(appId))
        .findFirst()
        .orElse(null);
  }

  private String upn(String account) {
    return account.contains("@") ? account : account + "@" + domain;
  }

  private KeyCredential newKey(String thumbprint) {
    return new KeyCredential(
        newGuid(), thumbprint, Instant.ofEpochMilli(now()).plus(Duration.ofDays(365)).toString());
  }

  private String newThumbprint() {
    byte[] sha1 = new byte[20];
    random.nextBytes(sha1);
    return HexFormat.of().withUpperCase().formatHex(sha1);
  }

  /** A random (version 4) GUID from the lab's seeded generator. */
  private String newGuid() {
    long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  /** Compares dotted numeric versions; a part that is not a number compares as 0. */
  static int compareVersions(String a, String b) {
    String[] x = a.split("\\.");
    String[] y = b.split("\\.");
    for (int i = 0; i < Math.max(x.length, y.length); i++) {
      int c = Integer.compare(part(x, i), part(y, i));
      if (c != 0) return c;
    }
    return 0;
  }

  private static int part(String[] parts, int i) {
    if (i >= parts.length) return 0;
    try {
      return Integer.parseInt(parts[i].trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static String stripSlash(String path) {
    return path.replaceAll("[\\\\/]+$", "");
  }

  private static List<String> lowerAll(List<String> in) {
    return in.stream().map(LabWorld::lower).toList();
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  private static String upper(String s) {
    return s.toUpperCase(Locale.ROOT);
  }
}
