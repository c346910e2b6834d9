package io.abafix.activities.powershell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.policy.Redaction;
import io.abafix.activities.policy.ServerWorkerPolicy;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import io.abafix.activities.port.SyncServerHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link SyncServerHost}: each method runs one shipped PowerShell script on the
 * server this worker runs on.
 *
 * <p>The contract with every script:
 *
 * <ul>
 *   <li>Input: one JSON object on stdin, always with {@code "server"}; nothing on the command line.
 *       Non-ASCII characters are escaped, because Windows PowerShell reads stdin in the console's
 *       code page.
 *   <li>Output: one JSON object on the last line of stdout, {@code {"ok":true,"result":{...}}} or
 *       {@code {"ok":false,"error":{"category":"...","code":"...","message":"..."}}}, with exit
 *       code 0 or 1. Categories: {@code Transient}, {@code Permanent}, {@code
 *       CertificateNotRegistered}, {@code CredentialUnavailable}.
 * </ul>
 *
 * <p>Failures, all as {@link HostException}:
 *
 * <ul>
 *   <li>Invalid arguments (server, account name, machine id, ranges): PERMANENT, before any process
 *       starts.
 *   <li>An {@code ok:false} answer: a {@link PowerShellScriptException} with the script's category
 *       and code.
 *   <li>No answer (empty or non-JSON last line, whatever the exit code), a timeout, or an
 *       interrupted wait: TRANSIENT, with the tail of stderr in the message.
 *   <li>An answer that is JSON but breaks the contract, or an executable that cannot be started:
 *       PERMANENT, since retrying the same jar on the same machine cannot fix either.
 * </ul>
 *
 * <p>Idempotency is not decided here: each method does its one thing, and the activity layer
 * inspects first.
 */
public final class PowerShellSyncServerHost implements SyncServerHost {
  /** Stderr of the scripts run on this thread since the activity last took it, for the audit. */
  private final ThreadLocal<StringBuilder> diagnostics =
      ThreadLocal.withInitial(StringBuilder::new);

  @Override
  public String takeDiagnostics() {
    String text = diagnostics.get().toString().strip();
    diagnostics.remove();
    return text;
  }

  private static final Logger log = LoggerFactory.getLogger(PowerShellSyncServerHost.class);

  /** A NetBIOS computer name as Entra Connect servers have: 1-15 letters, digits or hyphens. */
  private static final Pattern SERVER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{0,14}");

  /** {@code Sync_<server>_<first 12 hex of the machine id>}, as the documented revert names it. */
  private static final Pattern ACCOUNT_NAME =
      Pattern.compile("Sync_([A-Za-z0-9][A-Za-z0-9-]{0,14})_[0-9A-Fa-f]{12}");

  private static final Pattern MACHINE_ID = Pattern.compile("[0-9A-Fa-f]{32}");

  /** A drive-rooted or UNC folder path, 3-260 characters, none that a Windows path refuses. */
  private static final Pattern MODULE_PATH =
      Pattern.compile(
          "(?:[A-Za-z]:\\\\|\\\\\\\\[^\\\\/:*?\"<>|\\x00-\\x1f]+\\\\)[^/:*?\"<>|\\x00-\\x1f]{0,255}");

  /** The most entries one read returns; the script enforces the same bound. */
  public static final int MAX_EVENTS_PER_READ = 1000;

  private static final int MAX_REFERENCE_LENGTH = 1024;
  private static final int STDERR_TAIL = 2000;

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private final String serverName;
  private final PowerShellRunner runner;
  private final ServerWorkerPolicy policy;
  private final Map<PowerShellScript, Duration> timeouts;

  /**
   * @param serverName this server's NetBIOS computer name
   * @param runner runs the scripts
   * @throws HostException PERMANENT when {@code serverName} is not a NetBIOS name
   */
  public PowerShellSyncServerHost(String serverName, PowerShellRunner runner) {
    this(serverName, runner, Map.of());
  }

  /**
   * @param timeouts per-script timeouts that replace {@link PowerShellScript#defaultTimeout()}
   * @throws HostException PERMANENT when {@code serverName} is not a NetBIOS name
   */
  public PowerShellSyncServerHost(
      String serverName, PowerShellRunner runner, Map<PowerShellScript, Duration> timeouts) {
    this(serverName, runner, timeouts, ServerWorkerPolicy.unrestricted());
  }

  /**
   * @param policy what this worker's configuration allows (module sources, credential names),
   *     checked before any process starts
   * @throws HostException PERMANENT when {@code serverName} is not a NetBIOS name
   */
  public PowerShellSyncServerHost(
      String serverName,
      PowerShellRunner runner,
      Map<PowerShellScript, Duration> timeouts,
      ServerWorkerPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.serverName = requireServerName(serverName);
    this.runner = Objects.requireNonNull(runner, "runner");
    this.timeouts = new EnumMap<>(PowerShellScript.class);
    for (PowerShellScript s : PowerShellScript.values()) this.timeouts.put(s, s.defaultTimeout());
    if (timeouts != null) this.timeouts.putAll(timeouts);
  }

  @Override
  public String serverName() {
    return serverName;
  }

  @Override
  public ServerState inspect() {
    JsonNode r = call(PowerShellScript.GET_SERVER_STATE, input());
    return readAnswer(
        PowerShellScript.GET_SERVER_STATE,
        () -> {
          Answers.onlyFields(
              r,
              Set.of(
                  "server",
                  "machineId",
                  "version",
                  "stagingMode",
                  "adSyncRunning",
                  "syncCycleEnabled",
                  "syncCycleInProgress",
                  "connectorAccount",
                  "identityType",
                  "serviceAccountName",
                  "applicationId",
                  "certificateThumbprint",
                  "abaParameters",
                  "adSyncToolsVersion"));
          String reported = Answers.requireString(r, "server");
          if (!reported.equalsIgnoreCase(serverName)) {
            throw new Answers.ContractViolation("the state is of " + reported);
          }
          JsonNode aba = Answers.requireObject(r.get("abaParameters"), "abaParameters");
          Answers.onlyFields(
              aba, Set.of("applicationManagedBy", "certificateManagedBy", "certificateId"));
          return new ServerState(
              serverName,
              Answers.optionalString(r, "machineId"),
              Answers.optionalString(r, "version"),
              Answers.requireBoolean(r, "stagingMode"),
              Answers.requireBoolean(r, "adSyncRunning"),
              Answers.requireBoolean(r, "syncCycleEnabled"),
              Answers.requireBoolean(r, "syncCycleInProgress"),
              Answers.optionalString(r, "connectorAccount"),
              identityType(Answers.optionalString(r, "identityType")),
              Answers.optionalString(r, "serviceAccountName"),
              Answers.optionalString(r, "applicationId"),
              Answers.optionalString(r, "certificateThumbprint"),
              new AbaParameters(
                  Answers.optionalString(aba, "applicationManagedBy"),
                  Answers.optionalString(aba, "certificateManagedBy"),
                  Answers.optionalString(aba, "certificateId")),
              Answers.optionalString(r, "adSyncToolsVersion"));
        });
  }

  @Override
  public void setSyncCycleEnabled(boolean enabled) {
    ObjectNode in = input().put("enabled", enabled);
    JsonNode r = call(PowerShellScript.SET_SYNC_CYCLE, in);
    readAnswer(
        PowerShellScript.SET_SYNC_CYCLE,
        () -> {
          Answers.onlyFields(r, Set.of("syncCycleEnabled"));
          if (Answers.requireBoolean(r, "syncCycleEnabled") != enabled) {
            throw new Answers.ContractViolation("the scheduler reports the old setting");
          }
          return null;
        });
  }

  /**
   * {@inheritDoc}
   *
   * @throws HostException PERMANENT, before any process starts, when {@code accountName} is not
   *     {@code Sync_<this server>_<12 hex>} or the reference is blank or too long;
   *     CREDENTIAL_UNAVAILABLE when the reference does not resolve on the server
   */
  @Override
  public void revertToServiceAccount(String accountName, String credentialReference) {
    requireAccountName(accountName);
    if (credentialReference == null
        || credentialReference.isBlank()
        || credentialReference.length() > MAX_REFERENCE_LENGTH) {
      throw new HostException(
          Category.PERMANENT,
          "a credential reference such as clixml:C:\\ProgramData\\abafix\\hia.xml is required");
    }
    ObjectNode in =
        input()
            .put("accountName", accountName)
            .put("credentialReference", policy.resolveCredential(credentialReference));
    JsonNode r = call(PowerShellScript.REVERT_TO_SERVICE_ACCOUNT, in);
    readAnswer(
        PowerShellScript.REVERT_TO_SERVICE_ACCOUNT,
        () -> {
          Answers.onlyFields(r, Set.of("accountName", "identityType"));
          Answers.requireString(r, "accountName");
          Answers.optionalString(r, "identityType");
          return null;
        });
  }

  @Override
  public AuthenticationCheck testConnectorAuthentication() {
    JsonNode r = call(PowerShellScript.TEST_CONNECTOR_AUTHENTICATION, input());
    return readAnswer(
        PowerShellScript.TEST_CONNECTOR_AUTHENTICATION,
        () -> {
          Answers.onlyFields(r, Set.of("authenticated", "errorCode", "message"));
          boolean authenticated = Answers.requireBoolean(r, "authenticated");
          if (authenticated) return AuthenticationCheck.ok();
          return AuthenticationCheck.failed(
              Answers.requireString(r, "errorCode"), Answers.optionalString(r, "message"));
        });
  }

  /**
   * {@inheritDoc}
   *
   * @throws HostException PERMANENT, before any process starts, when {@code newMachineId} is not 32
   *     hex characters; TRANSIENT when a sync cycle is running (the script refuses then)
   */
  @Override
  public void setMachineIdentifier(String newMachineId) {
    if (newMachineId == null || !MACHINE_ID.matcher(newMachineId).matches()) {
      throw new HostException(
          Category.PERMANENT, "a machine identifier must be 32 hexadecimal characters");
    }
    JsonNode r =
        call(PowerShellScript.SET_MACHINE_IDENTIFIER, input().put("machineId", newMachineId));
    readAnswer(
        PowerShellScript.SET_MACHINE_IDENTIFIER,
        () -> {
          Answers.onlyFields(r, Set.of("previousMachineId", "machineId", "adSyncRunning"));
          Answers.optionalString(r, "previousMachineId");
          if (!newMachineId.equalsIgnoreCase(Answers.requireString(r, "machineId"))) {
            throw new Answers.ContractViolation("the server reports another machine identifier");
          }
          Answers.requireBoolean(r, "adSyncRunning");
          return null;
        });
  }

  @Override
  public void rotateApplicationCertificate() {
    JsonNode r = call(PowerShellScript.ROTATE_CERTIFICATE, input());
    readAnswer(
        PowerShellScript.ROTATE_CERTIFICATE,
        () -> {
          Answers.onlyFields(r, Set.of("certificateThumbprint"));
          Answers.optionalString(r, "certificateThumbprint");
          return null;
        });
  }

  @Override
  public void configureApplicationAuthentication() {
    JsonNode r = call(PowerShellScript.CONFIGURE_APPLICATION_AUTHENTICATION, input());
    readAnswer(
        PowerShellScript.CONFIGURE_APPLICATION_AUTHENTICATION,
        () -> {
          Answers.onlyFields(r, Set.of("applicationId", "identityType"));
          Answers.optionalString(r, "applicationId");
          Answers.optionalString(r, "identityType");
          return null;
        });
  }

  /**
   * {@inheritDoc}
   *
   * @throws HostException PERMANENT, before any process starts, when {@code afterRecordId} is
   *     negative or {@code maxEntries} is not between 1 and {@value #MAX_EVENTS_PER_READ}
   */
  @Override
  public List<EventLogEntry> readEvents(long afterRecordId, int maxEntries) {
    if (afterRecordId < 0 || maxEntries < 1 || maxEntries > MAX_EVENTS_PER_READ) {
      throw new HostException(
          Category.PERMANENT,
          "events are read after a record id >= 0, 1 to " + MAX_EVENTS_PER_READ + " at a time");
    }
    ObjectNode in = input().put("afterRecordId", afterRecordId).put("maxEntries", maxEntries);
    JsonNode r = call(PowerShellScript.GET_EVENTS, in);
    return readAnswer(
        PowerShellScript.GET_EVENTS,
        () -> {
          Answers.onlyFields(r, Set.of("events"));
          JsonNode events = Answers.present(r, "events");
          if (!events.isArray()) throw new Answers.ContractViolation("'events' must be an array");
          List<EventLogEntry> out = new ArrayList<>();
          for (JsonNode e : events) {
            Answers.onlyFields(
                e, Set.of("recordId", "eventId", "source", "level", "timeCreated", "message"));
            long eventId = Answers.requireLong(e, "eventId");
            out.add(
                new EventLogEntry(
                    Answers.requireLong(e, "recordId"),
                    Math.toIntExact(eventId),
                    Answers.optionalString(e, "source"),
                    Answers.optionalString(e, "level"),
                    Answers.optionalString(e, "timeCreated"),
                    Answers.optionalString(e, "message")));
          }
          return List.copyOf(out);
        });
  }

  /**
   * {@inheritDoc}
   *
   * @throws HostException PERMANENT, before any process starts, when {@code source} is neither
   *     {@value SyncServerHost#GALLERY} nor an absolute local or UNC folder path
   */
  @Override
  public void installAdSyncTools(String source) {
    policy.checkModuleSource(source);
    String checked = requireModuleSource(source);
    JsonNode r = call(PowerShellScript.INSTALL_AD_SYNC_TOOLS, input().put("source", checked));
    readAnswer(
        PowerShellScript.INSTALL_AD_SYNC_TOOLS,
        () -> {
          Answers.onlyFields(r, Set.of("adSyncToolsVersion", "source"));
          String version = Answers.requireString(r, "adSyncToolsVersion");
          Answers.requireString(r, "source");
          policy
              .galleryVersion()
              .filter(pinned -> SyncServerHost.GALLERY.equals(checked) && !pinned.equals(version))
              .ifPresent(
                  pinned -> {
                    throw new HostException(
                        Category.PERMANENT,
                        "the Gallery installed ADSyncTools "
                            + version
                            + ", not the pinned "
                            + pinned);
                  });
          return null;
        });
  }

  @Override
  public void repairConnectorParameters() {
    JsonNode r = call(PowerShellScript.REPAIR_CONNECTOR_PARAMETERS, input());
    readAnswer(
        PowerShellScript.REPAIR_CONNECTOR_PARAMETERS,
        () -> {
          Answers.onlyFields(r, Set.of("adSyncToolsVersion", "abaParameters"));
          Answers.requireString(r, "adSyncToolsVersion");
          JsonNode aba = Answers.requireObject(r.get("abaParameters"), "abaParameters");
          Answers.onlyFields(
              aba, Set.of("applicationManagedBy", "certificateManagedBy", "certificateId"));
          Answers.optionalString(aba, "applicationManagedBy");
          Answers.optionalString(aba, "certificateManagedBy");
          Answers.optionalString(aba, "certificateId");
          return null;
        });
  }

  private ObjectNode input() {
    return JSON.createObjectNode().put("server", serverName);
  }

  /** Runs a script and returns its {@code result} object, or throws what its answer means. */
  private JsonNode call(PowerShellScript script, ObjectNode input) {
    String stdin;
    try {
      stdin = JSON.writeValueAsString(input);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the input of " + script.fileName(), e);
    }
    PowerShellResult result;
    try {
      result = runner.run(script, stdin, timeouts.get(script));
    } catch (PowerShellRunException e) {
      Category category =
          e.reason() == PowerShellRunException.Reason.NOT_STARTED
              ? Category.PERMANENT
              : Category.TRANSIENT;
      throw new HostException(
          category, on(script) + e.getMessage() + stderrTail(e.partialStderr()), e);
    }
    if (!result.stderr().isBlank()) {
      log.info("{} wrote to stderr: {}", on(script), tail(result.stderr()));
      diagnostics
          .get()
          .append(script.fileName())
          .append(": ")
          .append(tail(result.stderr()))
          .append('\n');
    }
    return answer(script, result);
  }

  private JsonNode answer(PowerShellScript script, PowerShellResult result) {
    String line = lastLine(result.stdout());
    if (line.isEmpty()) {
      throw new HostException(
          Category.TRANSIENT,
          on(script)
              + "exited with code "
              + result.exitCode()
              + " without an answer"
              + stderrTail(result.stderr()));
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      answer = null;
    }
    if (answer == null || !answer.isObject()) {
      throw new HostException(
          Category.TRANSIENT,
          on(script)
              + "exited with code "
              + result.exitCode()
              + " and answered something that is not a JSON object: "
              + abbreviate(line)
              + stderrTail(result.stderr()));
    }
    JsonNode answerNode = answer;
    return readAnswer(
        script,
        () -> {
          Answers.onlyFields(answerNode, Set.of("ok", "result", "error"));
          if (Answers.requireBoolean(answerNode, "ok")) {
            if (result.exitCode() != 0) {
              throw new Answers.ContractViolation(
                  "it answered ok but exited with code " + result.exitCode());
            }
            return Answers.requireObject(answerNode.get("result"), "result");
          }
          JsonNode error = Answers.requireObject(answerNode.get("error"), "error");
          Answers.onlyFields(error, Set.of("category", "code", "message"));
          Category category = category(Answers.requireString(error, "category"));
          String code = Answers.requireString(error, "code");
          String message = Answers.optionalString(error, "message");
          throw new PowerShellScriptException(
              category,
              script.fileName(),
              code,
              on(script)
                  + code
                  + ": "
                  + (message == null ? "(no message)" : Redaction.redact(message)),
              Redaction.redact(result.stderr()));
        });
  }

  /** Runs a reader of a script's answer, turning a contract violation into a HostException. */
  private <T> T readAnswer(PowerShellScript script, AnswerReader<T> reader) {
    try {
      return reader.read();
    } catch (Answers.ContractViolation e) {
      throw new HostException(
          Category.PERMANENT,
          on(script)
              + "answered against the contract ("
              + e.getMessage()
              + "): the scripts and the worker do not match; redeploy the worker");
    }
  }

  @FunctionalInterface
  private interface AnswerReader<T> {
    T read();
  }

  private static Category category(String name) {
    return switch (name) {
      case "Transient" -> Category.TRANSIENT;
      case "Permanent" -> Category.PERMANENT;
      case "CertificateNotRegistered" -> Category.CERTIFICATE_NOT_REGISTERED;
      case "CredentialUnavailable" -> Category.CREDENTIAL_UNAVAILABLE;
      default -> throw new Answers.ContractViolation("unknown error category '" + name + "'");
    };
  }

  private static IdentityType identityType(String name) {
    if ("ServiceAccount".equals(name)) return IdentityType.ServiceAccount;
    if ("Application".equals(name)) return IdentityType.Application;
    return IdentityType.Unknown;
  }

  private String on(PowerShellScript script) {
    return script.fileName() + " on " + serverName + ": ";
  }

  /**
   * The last non-blank line: the answer. Host output that escapes the scripts' preferences (a
   * module's banner, say) lands on stdout before it and is ignored.
   */
  private static String lastLine(String stdout) {
    String text = stdout.startsWith("\uFEFF") ? stdout.substring(1) : stdout;
    String[] lines = text.split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      if (!lines[i].isBlank()) return lines[i].strip();
    }
    return "";
  }

  private static String stderrTail(String stderr) {
    return stderr == null || stderr.isBlank() ? "" : "; stderr: " + tail(stderr);
  }

  /** The end of what a script wrote, with anything shaped like a secret taken out. */
  private static String tail(String text) {
    String t = Redaction.redact(text).strip();
    return t.length() <= STDERR_TAIL ? t : "..." + t.substring(t.length() - STDERR_TAIL);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "...";
  }

  private static String requireServerName(String name) {
    if (name == null || !SERVER_NAME.matcher(name).matches()) {
      throw new HostException(
          Category.PERMANENT,
          "not a server name (1-15 letters, digits or hyphens): " + printable(name));
    }
    return name;
  }

  /**
   * "gallery", or a folder path on the server: drive-rooted ({@code D:\modules\ADSyncTools}) or UNC
   * ({@code \\fs01\staged\ADSyncTools}), without characters Windows paths cannot hold.
   */
  private static String requireModuleSource(String source) {
    if (source != null && source.equalsIgnoreCase(GALLERY)) return GALLERY;
    if (source == null || !MODULE_PATH.matcher(source).matches()) {
      throw new HostException(
          Category.PERMANENT,
          "an ADSyncTools source is \"gallery\" or the absolute path of a pre-staged module folder"
              + " on the server, not "
              + printable(source));
    }
    return source;
  }

  private void requireAccountName(String accountName) {
    Matcher m = accountName == null ? null : ACCOUNT_NAME.matcher(accountName);
    if (m == null || !m.matches()) {
      throw new HostException(
          Category.PERMANENT,
          "not a service account name of the form Sync_<server>_<12 hex>: "
              + printable(accountName));
    }
    if (!m.group(1).equalsIgnoreCase(serverName)) {
      throw new HostException(
          Category.PERMANENT,
          "service account " + accountName + " is not named after " + serverName);
    }
  }

  /** Shows a refused value safely in a message: control characters escaped, length bounded. */
  private static String printable(String value) {
    if (value == null) return "(none)";
    StringBuilder b = new StringBuilder();
    for (char c : abbreviate(value).toCharArray()) {
      if (c < 0x20 || c == 0x7F) b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      else b.append(c);
    }
    return "'" + b + "'";
  }
}
