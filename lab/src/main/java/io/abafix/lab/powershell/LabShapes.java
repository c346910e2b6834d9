package io.abafix.lab.powershell;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.Versions;
import io.abafix.activities.shape.RawObject;
import io.abafix.lab.scenario.Scenario;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * A simulated server's state as the cmdlets return it, in the raw format of the scripts. Type names
 * and property names follow the fixtures in {@code activities/src/test/resources/fixtures} (where
 * each says its source); {@code LabShapesConformanceTest} holds the two together.
 */
final class LabShapes {
  static final String PSCUSTOMOBJECT = "System.Management.Automation.PSCustomObject";
  static final String CONFIGURATION_PARAMETER =
      "Microsoft.IdentityManagement.PowerShell.ObjectModel.ConfigurationParameter";
  static final String ENTRA_CONNECTOR_ID = "b891884f-051e-4a83-95af-2544101c9083";
  private static final String MIN_ABA_VERSION = "2.5.3.0";
  private static final Set<Integer> WATCHED_EVENTS = Set.of(906, 1011, 1012, 1014);
  private static final String EVENT_SOURCE = "Directory Synchronization";
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private LabShapes() {}

  static ObjectNode reads(ObjectNode... reads) {
    ObjectNode r = F.objectNode();
    ArrayNode list = r.putArray("reads");
    for (ObjectNode read : reads) list.add(read);
    return r;
  }

  static ObjectNode read(String name, String command, List<ObjectNode> output) {
    ObjectNode r = F.objectNode().put("name", name).put("command", command);
    ArrayNode out = r.putArray("output");
    output.forEach(out::add);
    return r;
  }

  static ObjectNode failed(String name, String command, String type, String errorId, String text) {
    ObjectNode r = F.objectNode().put("name", name).put("command", command);
    r.putObject("error").put("type", type).put("errorId", errorId).put("message", text);
    return r;
  }

  /** A changing cmdlet that returned nothing. */
  static ObjectNode call(String command) {
    return call("call", command);
  }

  static ObjectNode call(String name, String command) {
    return read(name, command, List.of());
  }

  /**
   * How this lab's Entra Connect answers where Microsoft does not document it.
   *
   * @param variants the scenario's choice
   * @param keyIdOf the key id of the app key holding a thumbprint (for {@code certificateId:
   *     keyId})
   */
  record Variants(Scenario.ConnectSync variants, UnaryOperator<String> keyIdOf) {
    static final Variants DEFAULT = new Variants(Scenario.ConnectSync.DEFAULT, t -> null);

    /** CertificateId as this build writes it: the thumbprint, or the app key's id. */
    String certificateId(String thumbprint) {
      if (thumbprint == null || !variants.keyId()) return thumbprint;
      String keyId = keyIdOf.apply(thumbprint);
      // A key no app holds any more (rotated away) still had an id: a stable one per thumbprint.
      return keyId != null
          ? keyId
          : java.util
              .UUID
              .nameUUIDFromBytes(
                  ("key:" + thumbprint).getBytes(java.nio.charset.StandardCharsets.UTF_8))
              .toString();
    }
  }

  static ObjectNode serverState(String server, String domain, ServerState s, Variants variants) {
    List<ObjectNode> reads = new ArrayList<>();
    reads.add(read("host", "abafix:host", List.of(host(server))));
    reads.add(read("service", "Get-Service", service(s.adSyncRunning())));
    reads.add(read("machineIdentifier", "Get-ItemProperty", registry(s.machineId())));
    reads.add(
        read(
            "adSyncModule",
            "Import-Module",
            List.of(
                RawObject.builder(
                        "Selected.System.Management.Automation.PSModuleInfo", PSCUSTOMOBJECT)
                    .string("Name", "ADSync")
                    .string("Version", "1.0.0.0")
                    .string("ModuleBase", "C:\\Program Files\\Microsoft Azure AD Sync\\Bin\\ADSync")
                    .build())));
    boolean running = s.adSyncRunning();
    reads.add(
        running
            ? read("scheduler", "Get-ADSyncScheduler", scheduler(s))
            : stopped("scheduler", "Get-ADSyncScheduler"));
    reads.add(
        running
            ? read("runStatus", "Get-ADSyncConnectorRunStatus", runStatus(s, domain))
            : stopped("runStatus", "Get-ADSyncConnectorRunStatus"));
    boolean preAba = s.version() != null && !Versions.atLeast(s.version(), MIN_ABA_VERSION);
    if (preAba) {
      reads.add(
          failed(
              "connectorCredential",
              "Get-ADSyncEntraConnectorCredential",
              "System.Management.Automation.CommandNotFoundException",
              "CommandNotFoundException",
              "The term 'Get-ADSyncEntraConnectorCredential' is not recognized as the name of a"
                  + " cmdlet, function, script file, or operable program."));
    } else {
      reads.add(
          running
              ? read(
                  "connectorCredential",
                  "Get-ADSyncEntraConnectorCredential",
                  List.of(credential(s, variants)))
              : stopped("connectorCredential", "Get-ADSyncEntraConnectorCredential"));
    }
    reads.add(
        running
            ? read("connector", "Get-ADSyncConnector", List.of(connector(s, domain, variants)))
            : stopped("connector", "Get-ADSyncConnector"));
    reads.add(
        running
            ? read("globalSettings", "Get-ADSyncGlobalSettings", List.of(globalSettings(s)))
            : stopped("globalSettings", "Get-ADSyncGlobalSettings"));
    reads.add(read("adSyncToolsModules", "Get-Module", modules(s)));
    reads.add(read("wizard", "Get-Process", s.wizardOpen() ? List.of(wizard()) : List.of()));
    return reads(reads.toArray(ObjectNode[]::new));
  }

  /** The wizard's process, as the script selects it. */
  private static ObjectNode wizard() {
    return RawObject.builder("Selected.System.Diagnostics.Process", PSCUSTOMOBJECT)
        .number("Id", 4242)
        .string("ProcessName", "AzureADConnect")
        .build();
  }

  /** What an ADSync cmdlet answers with the service stopped (inferred: confirm with a capture). */
  private static ObjectNode stopped(String name, String command) {
    return failed(
        name,
        command,
        "System.ServiceModel.EndpointNotFoundException",
        "System.ServiceModel.EndpointNotFoundException," + command.replace("-", "") + "Cmdlet",
        "There was no endpoint listening at net.pipe://localhost/ADSyncService that could accept"
            + " the message.");
  }

  static ObjectNode host(String server) {
    return RawObject.builder(PSCUSTOMOBJECT, "System.Object")
        .string("ComputerName", server.toUpperCase(Locale.ROOT))
        .bool("Is64BitProcess", true)
        .string("LanguageMode", "FullLanguage")
        .string("PSVersion", "5.1.17763.6414")
        .build();
  }

  static List<ObjectNode> service(boolean running) {
    return List.of(
        RawObject.builder(
                "System.ServiceProcess.ServiceController",
                "System.ComponentModel.Component",
                "System.MarshalByRefObject",
                "System.Object")
            .string("Name", "ADSync")
            .string("DisplayName", "Microsoft Azure AD Sync")
            .string("Status", running ? "Running" : "Stopped")
            .string("StartType", "Automatic")
            .string("ServiceName", "ADSync")
            .bool("CanStop", running)
            .build());
  }

  static List<ObjectNode> registry(String machineId) {
    return List.of(
        RawObject.builder(PSCUSTOMOBJECT, "System.Object")
            .string("SyncMachineIdentifier", machineId)
            .string(
                "PSPath",
                "Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft\\Azure"
                    + " AD Connect")
            .string(
                "PSParentPath",
                "Microsoft.PowerShell.Core\\Registry::HKEY_LOCAL_MACHINE\\SOFTWARE\\Microsoft")
            .string("PSChildName", "Azure AD Connect")
            .build());
  }

  static List<ObjectNode> scheduler(ServerState s) {
    return List.of(
        RawObject.builder(
                "Microsoft.IdentityManagement.PowerShell.ObjectModel.SchedulerSettings",
                "System.Object")
            .string("AllowedSyncCycleInterval", "00:30:00")
            .string("CurrentlyEffectiveSyncCycleInterval", "00:30:00")
            .value("CustomizedSyncCycleInterval", "System.TimeSpan", F.nullNode())
            .string("NextSyncCyclePolicyType", "Delta")
            .string("NextSyncCycleStartTimeInUTC", "2026-12-01T10:30:00.0000000Z")
            .string("PurgeRunHistoryInterval", "7.00:00:00")
            .bool("SyncCycleEnabled", s.syncCycleEnabled())
            .bool("MaintenanceEnabled", true)
            .bool("StagingModeEnabled", s.stagingMode())
            .bool("SchedulerSuspended", s.schedulerSuspended())
            .bool("SyncCycleInProgress", s.syncCycleInProgress())
            .build());
  }

  private static List<ObjectNode> runStatus(ServerState s, String domain) {
    if (!s.syncCycleInProgress()) return List.of();
    return List.of(
        RawObject.builder(
                "Microsoft.IdentityManagement.PowerShell.ObjectModel.ConnectorRunStatus",
                "System.Object")
            .string("ConnectorName", domain + " - AAD")
            .string("RunState", "Busy")
            .build());
  }

  /**
   * Get-ADSyncEntraConnectorCredential's object: ConnectorIdentityType (documented); under {@code
   * credentialObject} also the app id and its certificate (inferred from public scripts).
   */
  private static ObjectNode credential(ServerState s, Variants v) {
    RawObject.Builder b =
        RawObject.builder(
                "Microsoft.IdentityManagement.PowerShell.ObjectModel.EntraConnectorCredential",
                "System.Object")
            .string("ConnectorIdentityType", s.identityType().name());
    if (v.variants().credentialObject() && s.identityType() == IdentityType.Application) {
      b.string("ApplicationId", s.applicationId());
      b.value(
          "CertificateCredential",
          "System.Security.Cryptography.X509Certificates.X509Certificate2",
          RawObject.builder(
                  "System.Security.Cryptography.X509Certificates.X509Certificate2",
                  "System.Security.Cryptography.X509Certificates.X509Certificate",
                  "System.Object")
              .string("Thumbprint", s.certificateId())
              .string("Subject", "CN=" + s.server())
              .build());
    }
    return b.build();
  }

  /**
   * The Entra connector. UserName names a service account in use (documented form); on Application
   * it is {@code <app id>@<tenant>} (variant {@code userName}) or still the account the server was
   * installed with (variant {@code credentialObject}).
   */
  private static ObjectNode connector(ServerState s, String domain, Variants v) {
    String userName =
        s.identityType() == IdentityType.Application
            ? v.variants().credentialObject()
                ? account(s.connectorAccount(), domain)
                : s.applicationId() + "@" + domain
            : account(s.serviceAccountName(), domain);
    AbaParameters aba =
        s.abaParameters() == null ? new AbaParameters(null, null, null) : s.abaParameters();
    List<ObjectNode> parameters = new ArrayList<>();
    parameters.add(parameter("UserName", userName));
    parameters.add(parameter("ApplicationManagedBy", aba.applicationManagedBy()));
    parameters.add(parameter("CertificateManagedBy", aba.certificateManagedBy()));
    parameters.add(parameter("CertificateId", v.certificateId(aba.certificateId())));
    return RawObject.builder(PSCUSTOMOBJECT, "System.Object")
        .string("Name", domain + " - AAD")
        .string("Identifier", ENTRA_CONNECTOR_ID)
        .list("ConnectivityParameters", "System.Object[]", parameters)
        .build();
  }

  private static String account(String name, String domain) {
    return name == null ? null : name.contains("@") ? name : name + "@" + domain;
  }

  private static ObjectNode parameter(String name, String value) {
    return RawObject.builder(CONFIGURATION_PARAMETER, "System.Object")
        .string("Name", name)
        .string("DataType", "String")
        .string("Scope", "Connectivity")
        .string("Value", value == null ? "" : value)
        .build();
  }

  private static ObjectNode globalSettings(ServerState s) {
    List<ObjectNode> parameters = new ArrayList<>();
    if (s.version() != null) {
      parameters.add(
          RawObject.builder(CONFIGURATION_PARAMETER, "System.Object")
              .string("Name", "Microsoft.Synchronize.ServerConfigurationVersion")
              .string("DataType", "String")
              .string("Scope", "Global")
              .string("Value", s.version())
              .build());
    }
    parameters.add(
        RawObject.builder(CONFIGURATION_PARAMETER, "System.Object")
            .string("Name", "Microsoft.Synchronize.StagingMode")
            .string("DataType", "Boolean")
            .string("Scope", "Global")
            .string("Value", s.stagingMode() ? "True" : "False")
            .build());
    return RawObject.builder(
            "Microsoft.IdentityManagement.PowerShell.ObjectModel.GlobalSettings", "System.Object")
        .number("Version", 1)
        .list("Parameters", "System.Object[]", parameters)
        .build();
  }

  static List<ObjectNode> modules(ServerState s) {
    if (s.adSyncToolsVersion() == null) return List.of();
    return List.of(
        RawObject.builder("Selected.System.Management.Automation.PSModuleInfo", PSCUSTOMOBJECT)
            .string("Name", "ADSyncTools")
            .string("Version", s.adSyncToolsVersion())
            .string(
                "ModuleBase",
                "C:\\Program Files\\WindowsPowerShell\\Modules\\ADSyncTools\\"
                    + s.adSyncToolsVersion())
            .build());
  }

  /**
   * Get-WinEvent with the script's XPath: provider, the four event ids and records after {@code
   * after}, newest first, at most {@code max}; and the newest record of the provider.
   */
  static ObjectNode events(List<EventLogEntry> log, long after, int max) {
    List<EventLogEntry> source = log.stream().filter(e -> EVENT_SOURCE.equals(e.source())).toList();
    List<ObjectNode> matching =
        source.stream()
            .filter(e -> WATCHED_EVENTS.contains(e.eventId()) && e.recordId() > after)
            .sorted(Comparator.comparingLong(EventLogEntry::recordId).reversed())
            .limit(max)
            .map(LabShapes::event)
            .toList();
    ObjectNode events =
        matching.isEmpty() ? noEvents("events") : read("events", "Get-WinEvent", matching);
    ObjectNode newest =
        source.stream()
            .max(Comparator.comparingLong(EventLogEntry::recordId))
            .map(
                e ->
                    read(
                        "newestRecord",
                        "Get-WinEvent",
                        List.of(
                            RawObject.builder(
                                    "Selected.System.Diagnostics.Eventing.Reader.EventLogRecord",
                                    PSCUSTOMOBJECT)
                                .number("RecordId", e.recordId())
                                .string("TimeCreated", e.timeCreated())
                                .build())))
            .orElseGet(() -> noEvents("newestRecord"));
    return reads(events, newest);
  }

  private static ObjectNode noEvents(String name) {
    return failed(
        name,
        "Get-WinEvent",
        "System.Exception",
        "NoMatchingEventsFound,Microsoft.PowerShell.Commands.GetWinEventCommand",
        "No events were found that match the specified selection criteria.");
  }

  private static ObjectNode event(EventLogEntry e) {
    ObjectNode property =
        RawObject.builder("System.Diagnostics.Eventing.Reader.EventProperty", "System.Object")
            .string("Value", e.message())
            .build();
    return RawObject.builder(
            "Selected.System.Diagnostics.Eventing.Reader.EventLogRecord", PSCUSTOMOBJECT)
        .number("RecordId", e.recordId())
        .number("Id", e.eventId())
        .string("ProviderName", e.source())
        .string("LevelDisplayName", e.level())
        .string("TimeCreated", e.timeCreated())
        .string("Message", e.message())
        .list(
            "Properties",
            "System.Collections.Generic.List`1[[System.Diagnostics.Eventing.Reader.EventProperty]]",
            List.of(property))
        .build();
  }

  /**
   * A Delta Import run of the Entra connector: Result {@code success}, or a stopped run whose step
   * details carry the sign-in error (inferred shape: confirm with a capture).
   */
  static ObjectNode signIn(String domain, AuthenticationCheck check) {
    ObjectNode connector =
        RawObject.builder(
                "Selected.Microsoft.IdentityManagement.PowerShell.ObjectModel.Connector",
                PSCUSTOMOBJECT)
            .string("Name", domain + " - AAD")
            .string("Identifier", ENTRA_CONNECTOR_ID)
            .build();
    String result = check.authenticated() ? "success" : "stopped-extension-dll-exception";
    ObjectNode run =
        RawObject.builder(
                "Microsoft.IdentityManagement.PowerShell.ObjectModel.RunHistory", "System.Object")
            .string("RunHistoryId", "6c1a4f0e-3b2d-4c5e-9f80-a1b2c3d4e5f6")
            .string("ConnectorName", domain + " - AAD")
            .string("RunProfileName", "Delta Import")
            .string("Result", result)
            .build();
    List<ObjectNode> steps = new ArrayList<>();
    if (!check.authenticated()) {
      steps.add(
          RawObject.builder(
                  "Microsoft.IdentityManagement.PowerShell.ObjectModel.RunStepResult",
                  "System.Object")
              .string("StepResult", result)
              .string(
                  "ConnectorConnectionErrors",
                  check.message() != null && check.message().contains(check.errorCode())
                      ? check.message()
                      : check.errorCode() + ": " + check.message())
              .build());
    }
    ObjectNode history =
        RawObject.builder(
                "Microsoft.IdentityManagement.PowerShell.ObjectModel.RunHistory", "System.Object")
            .string("RunProfileName", "Delta Import")
            .string("Result", result)
            .list("RunStepResults", "System.Object[]", steps)
            .build();
    return reads(
        read("connector", "Get-ADSyncConnector", List.of(connector)),
        read("run", "Invoke-ADSyncRunProfile", List.of(run)),
        read("runResult", "Get-ADSyncRunProfileResult", List.of(history)));
  }
}
