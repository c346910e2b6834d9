package io.abafix.lab.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.abafix.activities.model.AbaParameters;
import io.abafix.lab.fault.Fault;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lab scenario: one tenant, its sync servers, timing and faults, as written in a JSON file. The
 * schema is described in {@code lab/SCENARIOS.md}. Load with {@link #fromResource}, {@link
 * #fromFile} or {@link #fromJson}; each validates and throws {@link ScenarioException} with a
 * one-line message naming the offending field.
 *
 * @param name a short name, e.g. {@code seed-pair}
 * @param description what the scenario shows, for people
 * @param tenant the Entra tenant
 * @param servers the Entra Connect Sync servers, at least one
 * @param timing propagation delay, sync cycle length and per-step latencies; may be omitted
 * @param faults faults to inject; may be omitted
 * @param demo how {@code abafix demo} drives the scenario; may be omitted (the shared-app
 *     remediation, started by the operator)
 */
public record Scenario(
    String name,
    String description,
    Tenant tenant,
    List<Server> servers,
    Timing timing,
    List<Fault> faults,
    Demo demo) {

  /** The scenarios shipped as classpath resources under {@code scenarios/}. */
  public static final List<String> SHIPPED =
      List.of(
          "seed-pair",
          "fabrikam-pair",
          "long-log",
          "cloned-pair",
          "three-server-fleet",
          "healthy-fleet",
          "rotation-breaks-a",
          "blank-parameters",
          "not-owner",
          "restore-service-principal",
          "replication-lag",
          "pim-eligible-ga",
          "two-person",
          "two-person-self-approval",
          "no-credential-file",
          "credential-object-shape",
          "certificate-key-id",
          "shared-scheduler");

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  public Scenario {
    servers = copy(servers);
    faults = copy(faults);
    if (timing == null) timing = new Timing(null, null, null);
  }

  /**
   * The tenant.
   *
   * @param domain the initial domain, e.g. {@code contoso.onmicrosoft.com}
   */
  public record Tenant(
      String domain,
      List<Account> accounts,
      List<Application> applications,
      List<Group> groups,
      DirectoryWorker directoryWorker,
      Graph graph,
      ConnectSync connectSync) {
    public Tenant {
      accounts = copy(accounts);
      applications = copy(applications);
      groups = copy(groups);
    }

    public Tenant(String domain, List<Account> accounts, List<Application> applications) {
      this(domain, accounts, applications, null, null, null, null);
    }

    /** How the tenant's Entra Connect Sync answers where Microsoft leaves room; never null. */
    public ConnectSync connectSyncOrDefault() {
      return connectSync == null ? ConnectSync.DEFAULT : connectSync;
    }

    /** The directory worker's app as the scenario sets it up; never null. */
    public DirectoryWorker directoryWorkerOrDefault() {
      return directoryWorker == null ? DirectoryWorker.DEFAULT : directoryWorker;
    }

    /** How the scenario's Graph behaves where Microsoft leaves room; never null. */
    public Graph graphOrDefault() {
      return graph == null ? new Graph(null) : graph;
    }
  }

  /**
   * A user account, e.g. a connector account or an administrator.
   *
   * @param roles directory roles assigned to it, active (by display name, e.g. "Global
   *     Administrator")
   * @param eligibleRoles roles it is eligible for through Privileged Identity Management: not
   *     active until activated
   */
  public record Account(String userPrincipalName, List<String> roles, List<String> eligibleRoles) {
    public Account {
      roles = copy(roles);
      eligibleRoles = copy(eligibleRoles);
    }

    public Account(String userPrincipalName, List<String> roles) {
      this(userPrincipalName, roles, null);
    }
  }

  /**
   * A role-assignable group: its members hold its active roles and are eligible for its eligible
   * ones.
   *
   * @param members user principal names
   */
  public record Group(
      String displayName, List<String> members, List<String> roles, List<String> eligibleRoles) {
    public Group {
      members = copy(members);
      roles = copy(roles);
      eligibleRoles = copy(eligibleRoles);
    }
  }

  /**
   * The directory worker's own app registration in the tenant.
   *
   * @param permissions the Microsoft Graph application permissions granted to it (its token's
   *     roles); default: every permission abafix documents, with Application.ReadWrite.All
   * @param owns the display names (or "*" for every one) of the ConnectSyncProvisioning_* apps its
   *     service principal owns; default none
   */
  public record DirectoryWorker(List<String> permissions, List<String> owns) {
    private static final List<String> DEFAULT_PERMISSIONS =
        List.of(
            "Application.ReadWrite.All",
            "User.Read.All",
            "RoleManagement.Read.Directory",
            "GroupMember.Read.All");

    public static final DirectoryWorker DEFAULT = new DirectoryWorker(null, null);

    public DirectoryWorker {
      permissions = permissions == null ? DEFAULT_PERMISSIONS : List.copyOf(permissions);
      owns = copy(owns);
    }
  }

  /**
   * Choices among behaviours Microsoft does not pin down, each one a variant a real tenant may
   * show.
   *
   * @param staleReads after each write, how many reads of that object by its key still see the
   *     state before it (replication lag); default 0
   */
  public record Graph(Integer staleReads) {
    public int staleReadsOrDefault() {
      return staleReads == null ? 0 : staleReads;
    }
  }

  /**
   * Choices among answers of Entra Connect Sync that Microsoft does not document, each one a
   * variant a real build may show; abafix must handle every one or refuse before changing anything.
   * The table of what each rests on is {@code lab/SCENARIOS.md}, "Connect Sync variants".
   *
   * @param connectorIdentity where the app id of a server on Application shows: {@code userName}
   *     (the connector's UserName is {@code <app id>@<tenant>}; default) or {@code
   *     credentialObject} (Get-ADSyncEntraConnectorCredential's object carries ApplicationId and a
   *     CertificateCredential; UserName keeps the account the server was installed with)
   * @param certificateId what the connector's CertificateId holds: {@code thumbprint} (default) or
   *     {@code keyId} (the id of the app's key credential, the portal's "Certificate ID")
   * @param scheduler {@code perServer} (default) or {@code perTenant}: Set-ADSyncScheduler
   *     -SyncCycleEnabled on one server sets it on every server of the tenant
   */
  public record ConnectSync(String connectorIdentity, String certificateId, String scheduler) {
    public static final ConnectSync DEFAULT = new ConnectSync(null, null, null);
    public static final List<String> CONNECTOR_IDENTITIES = List.of("userName", "credentialObject");
    public static final List<String> CERTIFICATE_IDS = List.of("thumbprint", "keyId");
    public static final List<String> SCHEDULERS = List.of("perServer", "perTenant");

    public boolean credentialObject() {
      return "credentialObject".equals(connectorIdentity);
    }

    public boolean keyId() {
      return "keyId".equals(certificateId);
    }

    public boolean schedulerPerTenant() {
      return "perTenant".equals(scheduler);
    }
  }

  /**
   * An app registration.
   *
   * @param id the object id; generated when omitted
   * @param appId the application (client) id
   * @param certificates thumbprints registered as keys (40 hex characters)
   * @param servicePrincipal whether it has a service principal; default true for a live app
   * @param deleted true for an app in deleted items (restorable)
   * @param connectorAccount the connector account automatic onboarding created it for; inferred
   *     from the servers on this app when omitted
   * @param servicePrincipalId the object id of its service principal; generated when omitted. The
   *     wizard grants it the app role ADSynchronization.ReadWrite.All
   */
  public record Application(
      String id,
      String appId,
      String displayName,
      List<String> certificates,
      Boolean servicePrincipal,
      Boolean deleted,
      String connectorAccount,
      String servicePrincipalId) {
    public Application {
      certificates = copy(certificates);
    }

    public Application(
        String id,
        String appId,
        String displayName,
        List<String> certificates,
        Boolean servicePrincipal,
        Boolean deleted,
        String connectorAccount) {
      this(id, appId, displayName, certificates, servicePrincipal, deleted, connectorAccount, null);
    }

    public boolean isDeleted() {
      return Boolean.TRUE.equals(deleted);
    }

    public boolean hasServicePrincipal() {
      return servicePrincipal == null ? !isDeleted() : servicePrincipal;
    }
  }

  /**
   * One Entra Connect Sync server.
   *
   * @param name the NetBIOS computer name (1-15 letters, digits or hyphens)
   * @param machineId {@code SyncMachineIdentifier}, 32 hex characters
   * @param syncCycleInProgressMillis a sync cycle is running and ends this long after the start
   * @param abaParameters the connector's ABA parameters; default: complete for an Application
   *     identity, blank for a ServiceAccount
   * @param credentialReferences credential references that resolve on this server
   * @param pastSyncCycles sync cycles the scheduler already ran: each failing one logged event 906
   * @param events entries already in the Application log, before the past sync cycles
   * @param autoUpgraded the server switched to ABA through an automatic upgrade, so selecting OK on
   *     the connector in Synchronization Service Manager clears its ABA parameters; default false
   * @param internet whether the server reaches the PowerShell Gallery; default true
   * @param stagedModulePath a folder on the server holding a pre-staged ADSyncTools module
   * @param stagedAdSyncToolsVersion the version of the module in {@code stagedModulePath}
   */
  public record Server(
      String name,
      String machineId,
      String version,
      Boolean stagingMode,
      Boolean syncCycleEnabled,
      Long syncCycleInProgressMillis,
      Boolean adSyncRunning,
      String connectorAccount,
      Identity identity,
      AbaParameters abaParameters,
      String adSyncToolsVersion,
      List<String> credentialReferences,
      Integer pastSyncCycles,
      List<Event> events,
      Boolean autoUpgraded,
      Boolean internet,
      String stagedModulePath,
      String stagedAdSyncToolsVersion) {
    public Server {
      credentialReferences = copy(credentialReferences);
      events = copy(events);
    }
  }

  /**
   * What the Entra connector authenticates with.
   *
   * @param type {@code Application} or {@code ServiceAccount}
   * @param account for ServiceAccount: the account name or UPN
   * @param appId for Application: the app (client) id
   * @param certificate for Application: the thumbprint of the server's local certificate
   */
  public record Identity(String type, String account, String appId, String certificate) {}

  /**
   * An Application-log entry present when the scenario starts.
   *
   * @param repeat how many such entries, one after the other; default 1 (a long log in a few lines)
   * @param ageMinutes how long before the scenario starts they were logged; default 0
   */
  public record Event(
      int eventId, String level, String source, String message, Integer repeat, Long ageMinutes) {
    public int count() {
      return repeat == null ? 1 : repeat;
    }

    public long ageMillis() {
      return ageMinutes == null ? 0 : ageMinutes * 60_000L;
    }
  }

  /**
   * Timing.
   *
   * @param propagationDelaySeconds how long a new service account takes to work; default 900 (the
   *     documented up to 15 minutes)
   * @param syncCycleMillis how long a sync cycle started by the lab runs; default 0
   * @param stepLatencyMillis per port method, a real sleep before the effect; default none
   */
  public record Timing(
      Long propagationDelaySeconds, Long syncCycleMillis, Map<String, Long> stepLatencyMillis) {
    public Timing {
      stepLatencyMillis =
          stepLatencyMillis == null
              ? Map.of()
              : Collections.unmodifiableMap(new LinkedHashMap<>(stepLatencyMillis));
    }

    public long propagationDelayMillis() {
      return (propagationDelaySeconds == null ? 900 : propagationDelaySeconds) * 1000;
    }

    public long syncCycleDurationMillis() {
      return syncCycleMillis == null ? 0 : syncCycleMillis;
    }
  }

  /**
   * How {@code abafix demo} drives the scenario.
   *
   * @param flow {@code remediation} (default): the operator starts the shared-app remediation;
   *     {@code incident}: watchers on the servers notice the trouble and an incident workflow takes
   *     it from there
   * @param rotateCertificateOf for the incident flow: a server whose certificate the lab rotates
   *     out of band (an automatic rollover) once the watchers run
   * @param saveConnectorOf for the incident flow: a server on which someone selects OK on the Entra
   *     connector in Synchronization Service Manager once the watchers run
   * @param reconnectAfterDelete a server that someone points back at the app it used, right after
   *     abafix deletes that app (a restored backup of its configuration): compensation must then
   *     restore the app, service principal included
   */
  /**
   * @param startedBy the lab user who signs the run's start in, as {@code abafix remediate} with a
   *     sign-in does; null for a start without sign-in
   * @param twoPerson whether the start asks that someone other than {@code startedBy} approve
   * @param approvedBy the lab user who approves the plan (default {@code alice})
   */
  public record Demo(
      String flow,
      String rotateCertificateOf,
      String saveConnectorOf,
      String reconnectAfterDelete,
      String startedBy,
      Boolean twoPerson,
      String approvedBy,
      Boolean automated) {
    public Demo(String flow, String rotateCertificateOf, String saveConnectorOf) {
      this(flow, rotateCertificateOf, saveConnectorOf, null, null, null, null, null);
    }

    /**
     * Whether the workers do every step, as the lab's BYOC certificates and stored credential
     * allow, instead of a person doing the operator steps: for scenarios about what a worker does
     * (a credential file it cannot open, a step of its that fails for good). Default false.
     */
    public boolean automatedOrDefault() {
      return automated != null && automated;
    }

    /** Who approves in the demo. */
    public String approvedByOrDefault() {
      return approvedBy == null ? "alice" : approvedBy;
    }

    public boolean twoPersonOrDefault() {
      return twoPerson != null && twoPerson;
    }

    public static final String REMEDIATION = "remediation";
    public static final String INCIDENT = "incident";

    public String flowOrDefault() {
      return flow == null ? REMEDIATION : flow;
    }
  }

  /** How {@code abafix demo} drives this scenario; never null. */
  public Demo demoOrDefault() {
    return demo == null ? new Demo(null, null, null) : demo;
  }

  /** This scenario with other timing (e.g. no latencies for fast tests). */
  public Scenario withTiming(Timing newTiming) {
    return new Scenario(name, description, tenant, servers, newTiming, faults, demo);
  }

  /** This scenario without step latencies: the same propagation delay, no sleeps. */
  public Scenario withoutLatency() {
    return withTiming(new Timing(timing.propagationDelaySeconds(), timing.syncCycleMillis(), null));
  }

  /** This scenario with these faults instead of its own. */
  public Scenario withFaults(List<Fault> newFaults) {
    return new Scenario(name, description, tenant, servers, timing, newFaults, demo);
  }

  /** Loads and validates {@code scenarios/<name>.json} from the classpath. */
  public static Scenario fromResource(String name) {
    String resource = "scenarios/" + name + ".json";
    try (InputStream in = Scenario.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ScenarioException(
            "no scenario resource " + resource + " (shipped: " + String.join(", ", SHIPPED) + ")");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), name);
    } catch (IOException e) {
      throw new ScenarioException("cannot read scenario resource " + resource + ": " + e, e);
    }
  }

  /** Loads and validates a scenario file. */
  public static Scenario fromFile(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new ScenarioException("cannot read scenario file " + file + ": " + e, e);
    }
  }

  /**
   * Parses and validates scenario JSON.
   *
   * @param origin where the text came from, used in error messages
   */
  public static Scenario fromJson(String json, String origin) {
    return parse(json, origin);
  }

  private static Scenario parse(String json, String origin) {
    Scenario scenario;
    try {
      scenario = MAPPER.readValue(json, Scenario.class);
    } catch (JsonProcessingException e) {
      throw new ScenarioException("scenario " + origin + ": " + describe(e), e);
    }
    if (scenario == null) throw new ScenarioException("scenario " + origin + ": empty document");
    if (scenario.name() == null || scenario.name().isBlank()) {
      scenario =
          new Scenario(
              origin,
              scenario.description(),
              scenario.tenant(),
              scenario.servers(),
              scenario.timing(),
              scenario.faults(),
              scenario.demo());
    }
    scenario.validate();
    return scenario;
  }

  /**
   * Checks the scenario and throws {@link ScenarioException} at the first problem. Called by every
   * loader; call it yourself for a scenario built in code.
   */
  public Scenario validate() {
    new ScenarioValidator(this).validate();
    return this;
  }

  /** One line naming the field Jackson choked on, without Jackson's list of known fields. */
  private static String describe(JsonProcessingException e) {
    String path = e instanceof JsonMappingException m ? path(m.getPath()) : "";
    String at = path.isEmpty() ? "" : path + ": ";
    if (e instanceof UnrecognizedPropertyException u) {
      // The path ends with the unknown field itself: name the object that holds it.
      String parent = path(u.getPath().subList(0, Math.max(0, u.getPath().size() - 1)));
      return (parent.isEmpty() ? "" : parent + ": ")
          + "unknown field '"
          + u.getPropertyName()
          + "'";
    }
    if (e instanceof ValueInstantiationException v && v.getCause() != null) {
      return at + v.getCause().getMessage();
    }
    String message = e.getOriginalMessage();
    int newline = message.indexOf('\n');
    if (newline >= 0) message = message.substring(0, newline);
    // Jackson points at the opening brace with a source excerpt; the line number says enough.
    message = message.replaceAll(" \\(start marker at \\[Source: [^]]*]\\)", "");
    if (e.getLocation() != null) {
      message += " (line " + e.getLocation().getLineNr() + ")";
    }
    return at + message;
  }

  private static String path(List<JsonMappingException.Reference> refs) {
    StringBuilder sb = new StringBuilder();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (sb.length() > 0) sb.append('.');
        sb.append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        sb.append('[').append(r.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  /** An unmodifiable copy that keeps null elements, so that validation can name them. */
  private static <T> List<T> copy(List<T> in) {
    return in == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(in));
  }
}
