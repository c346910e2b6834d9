package io.abafix.lab.powershell;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.Versions;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.activities.powershell.PowerShellResult;
import io.abafix.activities.powershell.PowerShellRunException;
import io.abafix.activities.powershell.PowerShellRunner;
import io.abafix.activities.powershell.PowerShellScript;
import java.time.Duration;
import java.util.ArrayList;
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
 * ADSync cmdlets. It reads stdin as strictly as the scripts do (an unknown or missing field, a
 * wrong type or a malformed value is a Permanent {@code InvalidInput} error; a server other than
 * the backing host's is {@code WrongServer}) so that tests of the adapter really test the contract.
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

  /**
   * @param backing the simulated server the scripts act on
   */
  public FakePowerShellRunner(SyncServerHost backing) {
    this.backing = Objects.requireNonNull(backing, "backing");
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
    synchronized (serverMutex) {
      answer = answer(script, stdinJson);
    }
    String stdout = answer.json + "\r\n";
    if (behaviour == Behaviour.HOST_OUTPUT_BEFORE_ANSWER) {
      stdout =
          "WARNING: The names of some imported commands include unapproved verbs.\r\n" + stdout;
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
      return error(out, category(e.category()), code(e.category()), e.getMessage());
    } catch (RuntimeException e) {
      // The scripts' catch-all: anything unforeseen is worth a retry.
      return error(out, "Transient", "Unexpected", String.valueOf(e.getMessage()));
    }
  }

  private static Answer error(ObjectNode out, String category, String code, String message) {
    ObjectNode error = out.put("ok", false).putObject("error");
    error.put("category", category).put("code", code).put("message", message);
    return new Answer(false, write(out));
  }

  private JsonNode dispatch(PowerShellScript script, String stdinJson) {
    return switch (script) {
      case GET_SERVER_STATE -> {
        read(stdinJson, List.of("server"));
        yield serverState(backing.inspect());
      }
      case SET_SYNC_CYCLE -> {
        JsonNode in = read(stdinJson, List.of("server", "enabled"));
        boolean enabled = bool(in, "enabled");
        backing.setSyncCycleEnabled(enabled);
        boolean after = backing.inspect().syncCycleEnabled();
        if (after != enabled) {
          throw new ScriptError(
              "Transient", "NotApplied", "the scheduler still reports SyncCycleEnabled=" + after);
        }
        yield JSON.createObjectNode().put("syncCycleEnabled", after);
      }
      case REVERT_TO_SERVICE_ACCOUNT -> {
        JsonNode in = read(stdinJson, List.of("server", "accountName", "credentialReference"));
        String accountName = string(in, "accountName", ACCOUNT_NAME);
        String reference = string(in, "credentialReference", null);
        checkCredentialReference(reference);
        backing.revertToServiceAccount(accountName, reference);
        yield JSON.createObjectNode()
            .put("accountName", accountName)
            .put("identityType", identityName(backing.inspect().identityType()));
      }
      case TEST_CONNECTOR_AUTHENTICATION -> {
        read(stdinJson, List.of("server"));
        yield authentication(probe());
      }
      case SET_MACHINE_IDENTIFIER -> {
        JsonNode in = read(stdinJson, List.of("server", "machineId"));
        String newId = string(in, "machineId", MACHINE_ID);
        ServerState before = backing.inspect();
        if (before.syncCycleInProgress()) {
          throw new ScriptError(
              "Transient",
              "SyncCycleInProgress",
              "a sync cycle is running; try again when it has finished");
        }
        backing.setMachineIdentifier(newId);
        ServerState after = backing.inspect();
        if (after.machineId() == null || !after.machineId().equalsIgnoreCase(newId)) {
          throw new ScriptError(
              "Permanent",
              "VerifyFailed",
              "the registry does not hold the new machine identifier after the change");
        }
        yield JSON.createObjectNode()
            .put("previousMachineId", before.machineId())
            .put("machineId", after.machineId())
            .put("adSyncRunning", after.adSyncRunning());
      }
      case ROTATE_CERTIFICATE -> {
        read(stdinJson, List.of("server"));
        backing.rotateApplicationCertificate();
        yield JSON.createObjectNode()
            .put("certificateThumbprint", backing.inspect().certificateThumbprint());
      }
      case CONFIGURE_APPLICATION_AUTHENTICATION -> {
        read(stdinJson, List.of("server"));
        backing.configureApplicationAuthentication();
        ServerState after = backing.inspect();
        yield JSON.createObjectNode()
            .put("applicationId", after.applicationId())
            .put("identityType", identityName(after.identityType()));
      }
      case GET_EVENTS -> {
        JsonNode in = read(stdinJson, List.of("server", "afterRecordId", "maxEntries"));
        long after = integer(in, "afterRecordId", 0, Long.MAX_VALUE);
        long max = integer(in, "maxEntries", 1, 1000);
        yield events(backing.readEvents(after, (int) max));
      }
      case REPAIR_CONNECTOR_PARAMETERS -> {
        read(stdinJson, List.of("server"));
        // The script checks the module before it imports anything.
        String version = backing.inspect().adSyncToolsVersion();
        if (!Versions.atLeast(version, MIN_AD_SYNC_TOOLS)) {
          throw new ScriptError(
              "Permanent",
              "AdSyncToolsMissing",
              "ADSyncTools 2.3.0 or later is not installed on this server: install or update it"
                  + " first (Install-Module ADSyncTools, or a pre-staged module), then retry");
        }
        backing.repairConnectorParameters();
        ServerState after = backing.inspect();
        ObjectNode r =
            JSON.createObjectNode().put("adSyncToolsVersion", after.adSyncToolsVersion());
        r.set("abaParameters", serverState(after).get("abaParameters"));
        yield r;
      }
      case INSTALL_AD_SYNC_TOOLS -> {
        JsonNode in = read(stdinJson, List.of("server", "source"));
        String source = string(in, "source", null);
        if (!source.equals("gallery") && !MODULE_PATH.matcher(source).matches()) {
          throw new ScriptError(
              "Permanent", "InvalidInput", "source must be gallery or an absolute folder path");
        }
        backing.installAdSyncTools(source);
        String version = backing.inspect().adSyncToolsVersion();
        if (!Versions.atLeast(version, MIN_AD_SYNC_TOOLS)) {
          throw new ScriptError(
              "Permanent",
              "VerifyFailed",
              "ADSyncTools " + version + " is the newest installed after the install");
        }
        yield JSON.createObjectNode().put("adSyncToolsVersion", version).put("source", source);
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

  private ObjectNode serverState(ServerState s) {
    ObjectNode r = JSON.createObjectNode();
    r.put("server", backing.serverName().toUpperCase(Locale.ROOT));
    r.put("machineId", s.machineId());
    r.put("version", s.version());
    r.put("stagingMode", s.stagingMode());
    r.put("adSyncRunning", s.adSyncRunning());
    r.put("syncCycleEnabled", s.syncCycleEnabled());
    r.put("syncCycleInProgress", s.syncCycleInProgress());
    r.put("connectorAccount", s.connectorAccount());
    r.put("identityType", identityName(s.identityType()));
    r.put("serviceAccountName", s.serviceAccountName());
    r.put("applicationId", s.applicationId());
    r.put("certificateThumbprint", s.certificateThumbprint());
    ObjectNode aba = r.putObject("abaParameters");
    if (s.abaParameters() == null) {
      aba.putNull("applicationManagedBy").putNull("certificateManagedBy").putNull("certificateId");
    } else {
      aba.put("applicationManagedBy", blankToNull(s.abaParameters().applicationManagedBy()));
      aba.put("certificateManagedBy", blankToNull(s.abaParameters().certificateManagedBy()));
      aba.put("certificateId", blankToNull(s.abaParameters().certificateId()));
    }
    r.put("adSyncToolsVersion", s.adSyncToolsVersion());
    return r;
  }

  private static ObjectNode authentication(AuthenticationCheck check) {
    ObjectNode r = JSON.createObjectNode().put("authenticated", check.authenticated());
    if (check.authenticated()) {
      r.putNull("errorCode").putNull("message");
    } else {
      r.put("errorCode", check.errorCode()).put("message", check.message());
    }
    return r;
  }

  private static ObjectNode events(List<EventLogEntry> entries) {
    ObjectNode r = JSON.createObjectNode();
    ArrayNode list = r.putArray("events");
    for (EventLogEntry e : new ArrayList<>(entries)) {
      list.addObject()
          .put("recordId", e.recordId())
          .put("eventId", e.eventId())
          .put("source", e.source())
          .put("level", e.level())
          .put("timeCreated", e.timeCreated())
          .put("message", e.message());
    }
    return r;
  }

  /** The script reports a blank connectivity parameter as null. */
  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static String identityName(IdentityType type) {
    return type == null ? IdentityType.Unknown.name() : type.name();
  }

  private static String category(HostException.Category category) {
    return switch (category) {
      case TRANSIENT -> "Transient";
      case PERMANENT -> "Permanent";
      case CERTIFICATE_NOT_REGISTERED -> "CertificateNotRegistered";
      case CREDENTIAL_UNAVAILABLE -> "CredentialUnavailable";
    };
  }

  /** The code the scripts give each kind of failure when the cmdlet itself fails. */
  private static String code(HostException.Category category) {
    return switch (category) {
      case TRANSIENT -> "Unexpected";
      case PERMANENT -> "Refused";
      case CERTIFICATE_NOT_REGISTERED -> "AADSTS700027";
      case CREDENTIAL_UNAVAILABLE -> "CredentialFileMissing";
    };
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an answer", e);
    }
  }
}
