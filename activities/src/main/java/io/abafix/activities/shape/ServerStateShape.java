package io.abafix.activities.shape;

import com.fasterxml.jackson.databind.JsonNode;
import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.Versions;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the reads of {@code Get-AbafixServerState.ps1} into a {@link ServerState}. The rules, each
 * backed by a fixture under {@code activities/src/test/resources/fixtures/server-state}:
 *
 * <ul>
 *   <li>{@code host}: ComputerName must be this server; Is64BitProcess must be true (a 32-bit
 *       PowerShell reads a redirected HKLM\SOFTWARE).
 *   <li>{@code service}: Status {@code Running} means ADSync runs. No such service: Entra Connect
 *       is not installed (permanent).
 *   <li>{@code machineIdentifier}: SyncMachineIdentifier, 32 hex digits.
 *   <li>{@code scheduler}: SyncCycleEnabled and StagingModeEnabled; SyncCycleInProgress and
 *       SchedulerSuspended where the build has them.
 *   <li>{@code runStatus}: any object returned means a run is in progress, whatever the scheduler
 *       says (older builds lack SyncCycleInProgress).
 *   <li>{@code connectorCredential}: ConnectorIdentityType, {@code ServiceAccount} or {@code
 *       Application} (the one documented property). A build without the cmdlet that is older than
 *       2.5.3.0 (no ABA yet) uses a service account. On Application, the app id and certificate are
 *       read from this object first ({@link #applicationId}, {@link ConnectorCertificate}).
 *   <li>{@code connector}: the connectivity parameter UserName names a service account in use
 *       ({@code Sync_<server>_<id12>@<tenant>}, the documented form); on Application it is read for
 *       an {@code <app id>@<tenant>} only when the credential object carries no app id.
 *       ApplicationManagedBy, CertificateManagedBy and CertificateId are the ABA parameters;
 *       CertificateId may be a thumbprint or the app key's id (neither documented).
 *   <li>{@code globalSettings}: the parameter Microsoft.Synchronize.ServerConfigurationVersion is
 *       the engine's version (inferred).
 *   <li>{@code adSyncToolsModules}: the highest Version; {@code wizard}: any process means the
 *       wizard is open.
 * </ul>
 *
 * <p>With ADSync stopped the ADSync reads fail; the state then says so ({@code adSyncRunning}
 * false, identity {@link IdentityType#Unknown}, no parameters) instead of failing. With ADSync
 * running, a failed ADSync read is transient.
 */
public final class ServerStateShape {
  static final String VERSION_PARAMETER = "Microsoft.Synchronize.ServerConfigurationVersion";
  private static final String MIN_ABA_VERSION = "2.5.3.0";
  private static final Pattern MACHINE_ID = Pattern.compile("[0-9A-Fa-f]{32}");
  static final Pattern GUID =
      Pattern.compile(
          "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}");

  /**
   * Property names that may hold the app id on the credential object (inferred, not documented).
   */
  static final List<String> APP_ID_NAMES = List.of("ApplicationId", "AppId", "ClientId");

  private ServerStateShape() {}

  /**
   * @param server the server this worker runs on
   * @throws ShapeException for a shape no rule recognises
   * @throws HostException PERMANENT for a wrong or 32-bit host or no Entra Connect; TRANSIENT for
   *     an ADSync read that failed while the service runs
   */
  public static ServerState interpret(String server, RawAnswer answer) {
    checkHost(server, answer.read("host"));
    boolean running = serviceRunning(answer.read("service"));
    String machineId = machineId(answer.read("machineIdentifier"));
    RawRead module = answer.read("adSyncModule");
    if (module.failed()) {
      throw new HostException(
          Category.PERMANENT,
          "the ADSync PowerShell module does not load on " + server + ": " + module.error());
    }

    String version = version(answer.read("globalSettings"), running);
    boolean enabled = false;
    boolean staging = false;
    boolean inProgress = false;
    boolean suspended = false;
    RawRead schedulerRead = answer.read("scheduler");
    if (usable(schedulerRead, running)) {
      RawObject scheduler = schedulerRead.single();
      String cmd = schedulerRead.command();
      enabled = scheduler.bool(cmd, "SyncCycleEnabled");
      staging = scheduler.bool(cmd, "StagingModeEnabled");
      inProgress = scheduler.optionalBool(cmd, "SyncCycleInProgress").orElse(false);
      suspended = scheduler.optionalBool(cmd, "SchedulerSuspended").orElse(false);
    }
    RawRead runStatus = answer.read("runStatus");
    if (usable(runStatus, running) && !runStatus.output().isEmpty()) inProgress = true;

    Map<String, String> parameters = connectivityParameters(answer.read("connector"), running);
    RawRead credentialRead = answer.read("connectorCredential");
    IdentityType identity = identity(credentialRead, running, version);
    String userName = parameters == null ? null : blankToNull(parameters.get("UserName"));
    AbaParameters aba =
        parameters == null
            ? null
            : new AbaParameters(
                blankToNull(parameters.get("ApplicationManagedBy")),
                blankToNull(parameters.get("CertificateManagedBy")),
                blankToNull(parameters.get("CertificateId")));
    String serviceAccount = null;
    String appId = null;
    String certificate = null;
    if (identity == IdentityType.ServiceAccount) {
      serviceAccount = userName == null ? null : localPart(userName);
    } else if (identity == IdentityType.Application) {
      RawObject credential = credentialRead.single();
      appId = applicationId(credentialRead.command(), credential, userName);
      certificate =
          ConnectorCertificate.of(
              credentialRead.command(), credential, aba == null ? null : aba.certificateId());
    }
    return new ServerState(
        server,
        machineId,
        version,
        staging,
        running,
        enabled,
        inProgress,
        userName,
        identity,
        serviceAccount,
        appId,
        certificate,
        aba,
        adSyncToolsVersion(answer.read("adSyncToolsModules")),
        suspended,
        !answer.read("wizard").output().isEmpty());
  }

  /**
   * The app id in use: from the credential object of Get-ADSyncEntraConnectorCredential where it
   * carries one, else from a connector UserName of the form {@code <app id>@<tenant>}. Neither form
   * is documented (the credential object's properties are shown only in a screenshot), so both are
   * read, and a server that shows neither is refused before anything changes.
   */
  static String applicationId(String command, RawObject credential, String userName) {
    String fromObject = ConnectorCertificate.find(credential, APP_ID_NAMES, GUID);
    if (fromObject != null) return fromObject.toLowerCase(Locale.ROOT);
    String local = userName == null ? null : localPart(userName);
    if (local != null && GUID.matcher(local).matches()) return local.toLowerCase(Locale.ROOT);
    throw ShapeException.of(
        command,
        "ConnectorIdentityType Application with "
            + credential.describe()
            + " and the connectivity parameter UserName "
            + (userName == null ? "blank" : "'" + userName + "'"),
        "an application id (a GUID) in one of "
            + String.join(", ", APP_ID_NAMES)
            + " of the credential object, or a UserName of the form <application id>@<tenant>");
  }

  private static void checkHost(String server, RawRead read) {
    if (read.failed()) throw ShapeException.of(read.command(), read.error().toString(), "facts");
    RawObject host = read.single();
    String name = host.string(read.command(), "ComputerName");
    if (name == null || !name.equalsIgnoreCase(server)) {
      throw new HostException(
          Category.PERMANENT,
          "the script ran on " + name + ", not on " + server + ": check the worker's --name");
    }
    if (!host.bool(read.command(), "Is64BitProcess")) {
      throw new HostException(
          Category.PERMANENT,
          "PowerShell runs as a 32-bit process on "
              + server
              + ", where HKLM\\SOFTWARE is redirected: run the worker with a 64-bit Java and the"
              + " 64-bit powershell.exe (%SystemRoot%\\System32\\WindowsPowerShell\\v1.0)");
    }
  }

  private static boolean serviceRunning(RawRead read) {
    if (read.failed()) {
      if (read.error().hasErrorId("NoServiceFoundForGivenName")) {
        throw new HostException(
            Category.PERMANENT,
            "there is no ADSync service on this server: is Microsoft Entra Connect Sync installed?");
      }
      throw new HostException(Category.TRANSIENT, "Get-Service ADSync failed: " + read.error());
    }
    String status = read.single().string(read.command(), "Status");
    return "Running".equals(status);
  }

  private static String machineId(RawRead read) {
    if (read.failed()) {
      throw new HostException(
          Category.PERMANENT,
          "the registry holds no SyncMachineIdentifier under HKLM:\\SOFTWARE\\Microsoft\\Azure AD"
              + " Connect: "
              + read.error());
    }
    RawObject item = read.single();
    String id = item.string(read.command(), "SyncMachineIdentifier");
    if (id == null || !MACHINE_ID.matcher(id).matches()) {
      throw ShapeException.of(
          read.command(), "SyncMachineIdentifier " + id, "32 hexadecimal characters");
    }
    return id.toLowerCase(Locale.ROOT);
  }

  /** Whether a read of the ADSync service holds an answer; throws for a failure while it runs. */
  private static boolean usable(RawRead read, boolean running) {
    if (!read.failed()) return true;
    if (!running) return false;
    throw new HostException(
        Category.TRANSIENT, read.command() + " failed while ADSync runs: " + read.error());
  }

  private static String version(RawRead read, boolean running) {
    if (!usable(read, running)) return null;
    RawObject settings = read.single();
    for (JsonNode p : settings.list(read.command(), "Parameters")) {
      RawObject parameter = RawObject.parse(read.command(), p);
      if (VERSION_PARAMETER.equals(parameter.string(read.command(), "Name"))) {
        return blankToNull(parameter.string(read.command(), "Value"));
      }
    }
    return null;
  }

  private static Map<String, String> connectivityParameters(RawRead read, boolean running) {
    if (!usable(read, running)) return null;
    RawObject connector = read.single();
    Map<String, String> out = new LinkedHashMap<>();
    for (JsonNode p : connector.list(read.command(), "ConnectivityParameters")) {
      RawObject parameter = RawObject.parse(read.command(), p);
      out.put(parameter.string(read.command(), "Name"), parameter.string(read.command(), "Value"));
    }
    return out;
  }

  private static IdentityType identity(RawRead read, boolean running, String version) {
    if (read.failed() && read.error().commandNotFound()) {
      if (version != null && !Versions.atLeast(version, MIN_ABA_VERSION)) {
        return IdentityType.ServiceAccount;
      }
      throw ShapeException.of(
          read.command(),
          "no such command on Entra Connect " + (version == null ? "(version unknown)" : version),
          "the cmdlet on "
              + MIN_ABA_VERSION
              + " and later, or a version before "
              + MIN_ABA_VERSION);
    }
    if (!usable(read, running)) return IdentityType.Unknown;
    RawObject credential = read.single();
    String type = credential.string(read.command(), "ConnectorIdentityType");
    if ("ServiceAccount".equals(type)) return IdentityType.ServiceAccount;
    if ("Application".equals(type)) return IdentityType.Application;
    throw ShapeException.of(
        read.command(),
        credential.describe() + ", where ConnectorIdentityType is " + type,
        "ConnectorIdentityType ServiceAccount or Application");
  }

  /** The highest version of the ADSyncTools modules read, or null when the read failed. */
  public static String highestVersion(RawRead read) {
    return adSyncToolsVersion(read);
  }

  private static String adSyncToolsVersion(RawRead read) {
    if (read.failed()) return null;
    String best = null;
    for (RawObject module : read.objects()) {
      String v = module.string(read.command(), "Version");
      if (v != null && (best == null || Versions.compare(v, best) > 0)) best = v;
    }
    return best;
  }

  static String localPart(String account) {
    int at = account.indexOf('@');
    return at < 0 ? account : account.substring(0, at);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  /** The reads the inspection script makes, for tests and the capture. */
  public static List<String> readNames() {
    return List.of(
        "host",
        "service",
        "machineIdentifier",
        "adSyncModule",
        "scheduler",
        "runStatus",
        "connectorCredential",
        "connector",
        "globalSettings",
        "adSyncToolsModules",
        "wizard");
  }
}
