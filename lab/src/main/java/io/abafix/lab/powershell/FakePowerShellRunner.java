package io.abafix.lab.powershell;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.Versions;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.activities.powershell.PowerShellResult;
import io.abafix.activities.powershell.PowerShellRunException;
import io.abafix.activities.powershell.PowerShellRunner;
import io.abafix.activities.powershell.PowerShellScript;
import io.abafix.activities.powershell.PowerShellSyncServerHost;
import io.abafix.activities.shape.RawObject;
import io.abafix.lab.scenario.Scenario;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link PowerShellRunner} for the lab: it answers each shipped script the way the script answers
 * on a real server, with a {@link SyncServerHost} (the lab's simulated server) standing in for the
 * ADSync cmdlets. Answers are in the scripts' format 1: the sentinel line, and raw reads built with
 * {@link RawObject}'s builder in the shapes recorded in the activities module's fixtures, so the
 * production interpreters read the lab exactly as they read a server. It reads stdin as strictly as
 * the scripts do (an unknown or missing field, a wrong type or a malformed value is a Permanent
 * {@code InvalidInput} error; a server other than the backing host's is {@code WrongServer}) so
 * that tests of the adapter really test the contract.
 *
 * <p>For tests of the failure paths it can also {@linkplain Behaviour#HANG hang} until the timeout,
 * {@linkplain Behaviour#GARBAGE print something that is not JSON}, or print host output before the
 * answer. Thread safe.
 */
public final class FakePowerShellRunner implements PowerShellRunner {

  /** How the fake behaves on the next runs. */
  public enum Behaviour {
    /** Answers as the script would. */
    ANSWER,
    /** Never answers: waits out the timeout and reports it, as the real runner does. */
    HANG,
    /** Prints a line that is not JSON and exits 0. */
    GARBAGE,
    /** Prints a host warning line, then the answer, as a chatty module can make happen. */
    HOST_OUTPUT_BEFORE_ANSWER,
    /** Answers, and writes a warning to stderr, as a deprecated cmdlet does. */
    WARNING_ON_STDERR,
    /**
     * Answers, and writes secrets to stderr, as a careless cmdlet can: a token ({@link
     * #CANARY_TOKEN}) and a password pair ({@link #CANARY_PASSWORD}). None may be kept.
     */
    SECRETS_ON_STDERR
  }

  /** A JSON Web Token a script printed by accident. */
  public static final String CANARY_TOKEN =
      "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzdGRlcnItY2FuYXJ5In0.c3RkZXJyLWNhbmFyeS1zaWduYXR1cmU";

  /** A password a script printed by accident. */
  public static final String CANARY_PASSWORD = "Stderr-Canary-Pa55-4e1b";

  /** One run: which script, and exactly what it was given on stdin. */
  public record Invocation(PowerShellScript script, String stdinJson) {}

  /** What powershell.exe exits with when the -File argument does not exist. */
  public static final int MISSING_SCRIPT_EXIT_CODE = -196608;

  private static final Pattern ACCOUNT_NAME =
      Pattern.compile("Sync_[A-Za-z0-9-]{1,15}_[0-9A-Fa-f]{12}", Pattern.CASE_INSENSITIVE);
  private static final Pattern MACHINE_ID = Pattern.compile("[0-9A-Fa-f]{32}");
  private static final Pattern SHA256 = Pattern.compile("[0-9A-Fa-f]{64}");

  /** The script's pattern for a staged module folder: drive-rooted or UNC. */
  private static final Pattern MODULE_PATH =
      Pattern.compile("(?:[A-Za-z]:\\\\|\\\\\\\\[^\\\\/:*?\"<>|]+\\\\)[^/:*?\"<>|]{0,255}");

  private static final String MIN_AD_SYNC_TOOLS = "2.3.0";
  private static final Pattern AADSTS = Pattern.compile("(AADSTS\\d+)");
  private static final Pattern ACCESS_DENIED =
      Pattern.compile(
          "access (is )?denied|unauthorized|\\b401\\b|\\b403\\b", Pattern.CASE_INSENSITIVE);

  /** Strict like ConvertFrom-Json: one value, no trailing text, no duplicate names. */
  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
          .build();

  private final SyncServerHost backing;
  private final List<Invocation> invocations = new CopyOnWriteArrayList<>();
  private volatile Behaviour behaviour = Behaviour.ANSWER;
  private volatile String tenantDomain;
  private volatile LabShapes.Variants variants = LabShapes.Variants.DEFAULT;

  /**
   * @param backing the simulated server the scripts act on
   */
  public FakePowerShellRunner(SyncServerHost backing) {
    this.backing = Objects.requireNonNull(backing, "backing");
  }

  /**
   * How this server answers where Microsoft does not document it (the scenario's {@code
   * tenant.connectSync}); {@code keyIdOf} gives the app key id of a thumbprint.
   */
  public FakePowerShellRunner connectSync(
      Scenario.ConnectSync connectSync, java.util.function.UnaryOperator<String> keyIdOf) {
    this.variants = new LabShapes.Variants(connectSync, keyIdOf);
    return this;
  }

  /**
   * The tenant the simulated server syncs to, for the user principal names the connector reports
   * (contoso.onmicrosoft.com unless set).
   */
  private String domain() {
    return tenantDomain == null ? "contoso.onmicrosoft.com" : tenantDomain;
  }

  /** Sets the tenant domain the connector's user names carry; returns this runner. */
  public FakePowerShellRunner tenantDomain(String domain) {
    this.tenantDomain = domain;
    return this;
  }

  /** Sets how the following runs behave; returns this runner. */
  public FakePowerShellRunner behave(Behaviour behaviour) {
    this.behaviour = Objects.requireNonNull(behaviour, "behaviour");
    return this;
  }

  /** Every run so far, in order. */
  public List<Invocation> invocations() {
    return List.copyOf(invocations);
  }

  /** Stands for the server's {@code Global\\abafix-server-step} mutex. */
  private final Object serverMutex = new Object();

  @Override
  public PowerShellResult run(PowerShellScript script, String stdinJson, Duration timeout) {
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(timeout, "timeout");
    invocations.add(new Invocation(script, stdinJson));

    if (!PowerShellScript.isShipped(script.fileName())
        || !PowerShellScript.isShipped(PowerShellScript.COMMON_FILE)) {
      return new PowerShellResult(
          MISSING_SCRIPT_EXIT_CODE,
          "",
          "The argument '"
              + script.fileName()
              + "' to the -File parameter does not exist. Provide the path to an existing '.ps1'"
              + " file as an argument to the -File parameter.");
    }
    switch (behaviour) {
      case HANG -> hang(script, timeout);
      case GARBAGE -> {
        return new PowerShellResult(0, "Exception calling \"Load\": <garbage>\r\n", "");
      }
      default -> {}
    }
    // The shipped scripts hold a machine-wide mutex while they run (AbafixCommon.ps1); so does the
    // fake, so that a retry after a lost reply waits for the orphaned script, as on a server.
    Answer answer;
    if (PowerShellScript.readOnly().contains(script)) {
      // Readers take no lock on a server either.
      answer = answer(script, stdinJson);
    } else {
      synchronized (serverMutex) {
        answer = answer(script, stdinJson);
      }
    }
    String stdout = PowerShellSyncServerHost.ANSWER_PREFIX + answer.json + "\r\n";
    if (behaviour == Behaviour.HOST_OUTPUT_BEFORE_ANSWER) {
      stdout =
          "WARNING: The names of some imported commands include unapproved verbs.\r\n"
              + "{\"ok\":true,\"result\":{\"reads\":[]}}\r\n"
              + stdout;
    }
    String stderr =
        switch (behaviour) {
          case WARNING_ON_STDERR ->
              "WARNING: " + script.fileName() + ": this cmdlet is deprecated.\r\n";
          case SECRETS_ON_STDERR ->
              "VERBOSE: token "
                  + CANARY_TOKEN
                  + "\r\nVERBOSE: connecting with password="
                  + CANARY_PASSWORD
                  + "\r\n";
          default -> "";
        };
    return new PowerShellResult(answer.ok ? 0 : 1, stdout, stderr);
  }

  private static void hang(PowerShellScript script, Duration timeout) {
    try {
      Thread.sleep(timeout.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PowerShellRunException(
          PowerShellRunException.Reason.INTERRUPTED,
          script.fileName() + " was interrupted; its processes were killed",
          "",
          "",
          e);
    }
    throw new PowerShellRunException(
        PowerShellRunException.Reason.TIMED_OUT,
        script.fileName() + " did not finish within " + timeout + "; its processes were killed",
        "",
        "",
        null);
  }

  private record Answer(boolean ok, String json) {}

  /** A failure the script reports with its own category and code. */
  private static final class ScriptError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String category;
    final String code;

    ScriptError(String category, String code, String message) {
      super(message);
      this.category = category;
      this.code = code;
    }
  }

  private Answer answer(PowerShellScript script, String stdinJson) {
    ObjectNode out = JSON.createObjectNode();
    try {
      JsonNode result = dispatch(script, stdinJson);
      out.put("ok", true).set("result", result);
      return new Answer(true, write(out));
    } catch (ScriptError e) {
      return error(out, e.category, e.code, e.getMessage());
    } catch (HostException e) {
      // A cmdlet that throws: the script names nothing and reports the exception as it came.
      return unclassified(out, e);
    } catch (RuntimeException e) {
      return error(
          out, "Unclassified", "Unhandled", String.valueOf(e.getMessage()), "System.Exception", "");
    }
  }

  private static Answer error(ObjectNode out, String category, String code, String message) {
    return error(out, category, code, message, "System.InvalidOperationException", "");
  }

  private static Answer error(
      ObjectNode out, String category, String code, String message, String type, String errorId) {
    ObjectNode error = out.put("ok", false).putObject("error");
    error
        .put("category", category)
        .put("code", code)
        .put("message", message)
        .put("type", type)
        .put("errorId", errorId);
    return new Answer(false, write(out));
  }

  /** How a lab failure reaches the adapter: the category, or the text the rules sort. */
  private static Answer unclassified(ObjectNode out, HostException e) {
    String message = String.valueOf(e.getMessage());
    return switch (e.category()) {
      // The lab's credential failures are the script's own (Resolve-AbafixCredential).
      case CREDENTIAL_UNAVAILABLE ->
          error(out, "CredentialUnavailable", "CredentialFileMissing", message);
      case CERTIFICATE_NOT_REGISTERED ->
          error(
              out, "Unclassified", "Unhandled", "AADSTS700027: " + message, "System.Exception", "");
      // Injected and simulated refusals: permanent ones are named, the rest are sorted by text.
      case PERMANENT ->
          message.contains("AADSTS")
              ? error(out, "Unclassified", "Unhandled", message, "System.Exception", "")
              : error(out, "Permanent", "Refused", message);
      case TRANSIENT -> error(out, "Unclassified", "Unhandled", message, "System.Exception", "");
    };
  }

  private JsonNode dispatch(PowerShellScript script, String stdinJson) {
    return switch (script) {
      case GET_SERVER_STATE -> {
        read(stdinJson, List.of("server"));
        yield LabShapes.serverState(backing.serverName(), domain(), backing.inspect(), variants);
      }
      case SET_SYNC_CYCLE -> {
        JsonNode in = read(stdinJson, List.of("server", "enabled"));
        boolean enabled = bool(in, "enabled");
        backing.setSyncCycleEnabled(enabled);
        ServerState after = backing.inspect();
        yield LabShapes.reads(
            LabShapes.call("Set-ADSyncScheduler"),
            LabShapes.read("scheduler", "Get-ADSyncScheduler", LabShapes.scheduler(after)));
      }
      case REVERT_TO_SERVICE_ACCOUNT -> {
        JsonNode in = read(stdinJson, List.of("server", "accountName", "credentialReference"));
        String accountName = string(in, "accountName", ACCOUNT_NAME);
        String reference = string(in, "credentialReference", null);
        checkCredentialReference(reference);
        // Recomputed on the server, as the script does, right before the change.
        ServerState now = backing.inspect();
        String expected =
            "Sync_" + backing.serverName().toUpperCase(Locale.ROOT) + "_" + now.machineIdPrefix();
        // PowerShell's -ne ignores case.
        if (!accountName.equalsIgnoreCase(expected)) {
          throw new ScriptError(
              "Permanent",
              "AccountNameMismatch",
              "this server names its service account "
                  + expected
                  + ", not "
                  + accountName
                  + ": inspect the server again and plan anew");
        }
        backing.revertToServiceAccount(accountName, reference);
        yield LabShapes.reads(LabShapes.call("Add-ADSyncAADServiceAccount"));
      }
      case TEST_CREDENTIAL_FILE -> {
        JsonNode in = read(stdinJson, List.of("server", "credentialReference"));
        String reference = string(in, "credentialReference", null);
        checkCredentialReference(reference);
        String user;
        try {
          user = backing.credentialUserName(reference);
        } catch (HostException e) {
          if (e.category() != HostException.Category.CREDENTIAL_UNAVAILABLE) throw e;
          // What Resolve-AbafixCredential throws for a file that is not there.
          throw new ScriptError(
              "CredentialUnavailable",
              "CredentialFileMissing",
              "the credential file named by the reference does not exist on this server");
        }
        yield JSON.createObjectNode().put("userName", user);
      }
      case TEST_CONNECTOR_AUTHENTICATION -> {
        read(stdinJson, List.of("server"));
        yield LabShapes.signIn(domain(), probe());
      }
      case SET_MACHINE_IDENTIFIER -> {
        JsonNode in = read(stdinJson, List.of("server", "machineId"));
        String newId = string(in, "machineId", MACHINE_ID);
        ServerState before = backing.inspect();
        // The script looks first: an id already in place leaves only ADSync to start, which the
        // lab's operation does too (it writes the same value and starts the service).
        if (!newId.equalsIgnoreCase(before.machineId()) || !before.adSyncRunning()) {
          backing.setMachineIdentifier(newId);
        }
        ServerState after = backing.inspect();
        yield LabShapes.reads(
            LabShapes.read(
                "machineIdentifier", "Get-ItemProperty", LabShapes.registry(after.machineId())),
            LabShapes.read("service", "Get-Service", LabShapes.service(after.adSyncRunning())));
      }
      case ROTATE_CERTIFICATE -> {
        JsonNode in = read(stdinJson, List.of("server", "certificateSha256"));
        string(in, "certificateSha256", SHA256);
        backing.rotateApplicationCertificate();
        yield LabShapes.reads(LabShapes.call("Invoke-ADSyncApplicationCredentialRotation"));
      }
      case CONFIGURE_APPLICATION_AUTHENTICATION -> {
        JsonNode in = read(stdinJson, List.of("server", "certificateSha256"));
        string(in, "certificateSha256", SHA256);
        backing.configureApplicationAuthentication();
        yield LabShapes.reads(
            LabShapes.call("register", "Add-EntraApplicationRegistration"),
            LabShapes.call("connect", "Add-ADSyncApplicationRegistration"));
      }
      case GET_EVENTS -> {
        JsonNode in = read(stdinJson, List.of("server", "afterRecordId", "maxEntries"));
        long after = integer(in, "afterRecordId", 0, Long.MAX_VALUE);
        long max = integer(in, "maxEntries", 1, 1000);
        // The whole log; Get-WinEvent's filter is applied the way the script's XPath asks.
        yield LabShapes.events(backing.readEvents(0, Integer.MAX_VALUE), after, (int) max);
      }
      case REPAIR_CONNECTOR_PARAMETERS -> {
        read(stdinJson, List.of("server"));
        // Import-Module ADSyncTools -MinimumVersion 2.3.0 fails first when it is missing.
        String version = backing.inspect().adSyncToolsVersion();
        if (!Versions.atLeast(version, MIN_AD_SYNC_TOOLS)) {
          throw new ScriptError(
              "Permanent",
              "AdSyncToolsMissing",
              "ADSyncTools 2.3.0 or later does not load on this server: install or update it"
                  + " first (Install-Module ADSyncTools, or a pre-staged module), then retry");
        }
        backing.repairConnectorParameters();
        yield LabShapes.reads(
            LabShapes.read(
                "adSyncToolsModules", "Get-Module", LabShapes.modules(backing.inspect())),
            LabShapes.call("Repair-ADSyncToolsEntraAppParameters"));
      }
      case INSTALL_AD_SYNC_TOOLS -> {
        JsonNode in = read(stdinJson, List.of("server", "source"));
        String source = string(in, "source", null);
        if (!source.equals("gallery") && !MODULE_PATH.matcher(source).matches()) {
          throw new ScriptError(
              "Permanent", "InvalidInput", "source must be gallery or an absolute folder path");
        }
        backing.installAdSyncTools(source);
        yield LabShapes.reads(
            LabShapes.read(
                "adSyncToolsModules", "Get-Module", LabShapes.modules(backing.inspect())));
      }
    };
  }

  /** The connector-auth script's probe: a failed sign-in is a result, other failures are not. */
  private AuthenticationCheck probe() {
    try {
      return backing.testConnectorAuthentication();
    } catch (HostException e) {
      String text = String.valueOf(e.getMessage());
      if (e.category() == HostException.Category.CERTIFICATE_NOT_REGISTERED) {
        return AuthenticationCheck.failed("AADSTS700027", text);
      }
      Matcher code = AADSTS.matcher(text);
      if (code.find()) return AuthenticationCheck.failed(code.group(1), text);
      if (ACCESS_DENIED.matcher(text).find())
        return AuthenticationCheck.failed("AccessDenied", text);
      throw e;
    }
  }

  /**
   * Read-AbafixInput: one JSON object with exactly the expected fields, for this server. PowerShell
   * compares the server name without regard to case.
   */
  private JsonNode read(String stdinJson, List<String> required) {
    JsonNode in;
    try {
      in = stdinJson == null ? null : JSON.readTree(stdinJson);
    } catch (JsonProcessingException e) {
      in = null;
    }
    if (in == null || !in.isObject()) {
      throw new ScriptError("Permanent", "InvalidInput", "stdin is not one JSON object");
    }
    for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!required.contains(name)) {
        throw new ScriptError("Permanent", "InvalidInput", "unknown input field: " + name);
      }
    }
    for (String name : required) {
      if (!in.has(name)) {
        throw new ScriptError("Permanent", "InvalidInput", "missing input field: " + name);
      }
    }
    JsonNode server = in.get("server");
    if (!server.isTextual() || !server.textValue().equalsIgnoreCase(backing.serverName())) {
      throw new ScriptError(
          "Permanent",
          "WrongServer",
          "this script runs on " + backing.serverName() + ", not on the server named in the input");
    }
    return in;
  }

  private static String string(JsonNode in, String name, Pattern pattern) {
    JsonNode value = in.get(name);
    if (!value.isTextual() || value.textValue().isEmpty()) {
      throw new ScriptError("Permanent", "InvalidInput", name + " must be a non-empty string");
    }
    if (pattern != null && !pattern.matcher(value.textValue()).matches()) {
      throw new ScriptError("Permanent", "InvalidInput", name + " has an invalid format");
    }
    return value.textValue();
  }

  private static boolean bool(JsonNode in, String name) {
    JsonNode value = in.get(name);
    if (!value.isBoolean()) {
      throw new ScriptError("Permanent", "InvalidInput", name + " must be true or false");
    }
    return value.booleanValue();
  }

  private static long integer(JsonNode in, String name, long minimum, long maximum) {
    JsonNode value = in.get(name);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new ScriptError("Permanent", "InvalidInput", name + " must be an integer");
    }
    long number = value.longValue();
    if (number < minimum || number > maximum) {
      throw new ScriptError("Permanent", "InvalidInput", name + " is out of range");
    }
    return number;
  }

  /**
   * Resolve-AbafixCredential's checks of the reference's form. Whether the file exists and can be
   * read is up to the backing host, which knows the simulated server's files.
   */
  private static void checkCredentialReference(String reference) {
    String prefix = "clixml:";
    if (!reference.regionMatches(true, 0, prefix, 0, prefix.length())) {
      throw new ScriptError(
          "CredentialUnavailable",
          "UnsupportedReference",
          "the credential reference must have the form clixml:<local path>");
    }
    String path = reference.substring(prefix.length());
    // .NET Framework's path checks throw on these characters; the script reports that as unusable.
    boolean invalidCharacters = path.chars().anyMatch(c -> c < 0x20 || "\"<>|".indexOf(c) >= 0);
    boolean rooted =
        path.matches("(?s)[A-Za-z]:.*") || path.startsWith("\\") || path.startsWith("/");
    boolean unc = path.startsWith("\\\\") || path.startsWith("//");
    if (invalidCharacters || !rooted || unc) {
      throw new ScriptError(
          "CredentialUnavailable",
          "UnsupportedReference",
          "the credential file must be an absolute local path");
    }
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an answer", e);
    }
  }
}
