package io.abafix.activities.powershell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.policy.Redaction;
import io.abafix.activities.policy.ServerWorkerPolicy;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.activities.shape.ErrorRules;
import io.abafix.activities.shape.EventShape;
import io.abafix.activities.shape.RawAnswer;
import io.abafix.activities.shape.RawError;
import io.abafix.activities.shape.RawRead;
import io.abafix.activities.shape.ServerStateShape;
import io.abafix.activities.shape.ShapeException;
import io.abafix.activities.shape.SignInShape;
import java.time.Duration;
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
 *   <li>Output: the one stdout line that starts with {@value #ANSWER_PREFIX}, then {@code
 *       {"ok":true,"result":{"reads":[...]}}} or {@code
 *       {"ok":false,"error":{"category","code","message","type","errorId"}}}, with exit code 0 or
 *       1. Any other stdout line is noise. A result holds raw reads (see {@link
 *       io.abafix.activities.shape}); what they mean is decided here, by the shape interpreters.
 *       Categories: {@code Transient}, {@code Permanent}, {@code CertificateNotRegistered}, {@code
 *       CredentialUnavailable}, and {@code Unclassified}, which {@link ErrorRules} sorts.
 * </ul>
 *
 * <p>Failures, all as {@link HostException}:
 *
 * <ul>
 *   <li>Invalid arguments (server, account name, machine id, ranges): PERMANENT, before any process
 *       starts.
 *   <li>An {@code ok:false} answer: a {@link PowerShellScriptException} with the script's category
 *       and code.
 *   <li>No answer line, a timeout, or an interrupted wait: TRANSIENT, with the tail of stderr in
 *       the message; PERMANENT when stderr shows that an execution policy refused the unsigned
 *       scripts (AllSigned by Group Policy), with what to do.
 *   <li>A shape no rule recognises: a {@link ShapeException} (PERMANENT) naming what it saw.
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

  /** Marks the answer line on stdout; everything else there is noise. */
  public static final String ANSWER_PREFIX = "ABAFIX-ANSWER/1 ";

  /** A SHA-256 certificate hash, as {@code -CertificateSHA256Hash} takes it. */
  private static final Pattern SHA256 = Pattern.compile("[0-9A-Fa-f]{64}");

  private static final Pattern SHA1 = Pattern.compile("[0-9A-Fa-f]{40}");

  /** What Windows PowerShell writes to stderr when an execution policy refuses a script. */
  private static final Pattern POLICY_REFUSED =
      Pattern.compile(
          "is not digitally signed|cannot be loaded because running scripts is disabled"
              + "|UnauthorizedAccess|PSSecurityException|AuthorizationManager check failed",
          Pattern.CASE_INSENSITIVE);

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
  private final String certificateSha256;

  /**
   * @param serverName this server's NetBIOS computer name
   * @param runner runs the scripts
   * @throws HostException PERMANENT when {@code serverName} is not a NetBIOS name
   */
  public PowerShellSyncServerHost(String serverName, PowerShellRunner runner) {
    this(serverName, runner, Map.of(), null, ServerWorkerPolicy.unrestricted());
  }

  /**
   * @param timeouts per-script timeouts that replace {@link PowerShellScript#defaultTimeout()}
   * @throws HostException PERMANENT when {@code serverName} is not a NetBIOS name
   */
  public PowerShellSyncServerHost(
      String serverName, PowerShellRunner runner, Map<PowerShellScript, Duration> timeouts) {
    this(serverName, runner, timeouts, null, ServerWorkerPolicy.unrestricted());
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
    this(serverName, runner, timeouts, null, policy);
  }

  /**
   * @param certificateSha256 the SHA-256 hash of the certificate for ABA (see the five-argument
   *     constructor)
   * @throws HostException PERMANENT when {@code serverName} is not a NetBIOS name or the hash is
   *     not a SHA-256 hash
   */
  public PowerShellSyncServerHost(
      String serverName,
      PowerShellRunner runner,
      Map<PowerShellScript, Duration> timeouts,
      String certificateSha256) {
    this(serverName, runner, timeouts, certificateSha256, ServerWorkerPolicy.unrestricted());
  }

  /**
   * @param certificateSha256 the SHA-256 hash (64 hex) of the certificate this server's
   *     administrator provides for ABA (BYOC, in the LOCAL_MACHINE store), which lets rotation and
   *     ABA configuration run unattended; null when there is none, and those steps are then refused
   *     as operator steps
   * @param policy what this worker's configuration allows (module sources, credential names),
   *     checked before any process starts
   * @throws HostException PERMANENT when {@code serverName} is not a NetBIOS name or the hash is
   *     not a SHA-256 hash (a 40-hex SHA-1 thumbprint is refused by name)
   */
  public PowerShellSyncServerHost(
      String serverName,
      PowerShellRunner runner,
      Map<PowerShellScript, Duration> timeouts,
      String certificateSha256,
      ServerWorkerPolicy policy) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.serverName = requireServerName(serverName);
    this.runner = Objects.requireNonNull(runner, "runner");
    this.timeouts = new EnumMap<>(PowerShellScript.class);
    for (PowerShellScript s : PowerShellScript.values()) this.timeouts.put(s, s.defaultTimeout());
    if (timeouts != null) this.timeouts.putAll(timeouts);
    this.certificateSha256 = certificateSha256 == null ? null : requireSha256(certificateSha256);
  }

  /**
   * Checks a certificate hash for {@code -CertificateSHA256Hash}.
   *
   * @throws HostException PERMANENT for anything but 64 hex characters, naming a SHA-1 thumbprint
   */
  public static String requireSha256(String hash) {
    String h = hash.strip();
    if (SHA1.matcher(h).matches()) {
      throw new HostException(
          Category.PERMANENT,
          "'"
              + h
              + "' is a SHA-1 thumbprint; -CertificateSHA256Hash takes the certificate's SHA-256"
              + " hash (64 hex characters): (Get-Item Cert:\\LocalMachine\\My\\<thumbprint>)"
              + ".GetCertHashString('SHA256')");
    }
    if (!SHA256.matcher(h).matches()) {
      throw new HostException(
          Category.PERMANENT,
          "a certificate SHA-256 hash is 64 hexadecimal characters, not " + printable(h));
    }
    return h.toUpperCase(Locale.ROOT);
  }

  @Override
  public String serverName() {
    return serverName;
  }

  @Override
  public String capture() {
    return ServerCapture.text(ServerCapture.capture(serverName, runner, java.time.Instant.now()));
  }

  @Override
  public ServerState inspect() {
    RawAnswer r = raw(PowerShellScript.GET_SERVER_STATE, input());
    return ServerStateShape.interpret(serverName, r);
  }

  @Override
  public void setSyncCycleEnabled(boolean enabled) {
    ObjectNode in = input().put("enabled", enabled);
    RawAnswer r = raw(PowerShellScript.SET_SYNC_CYCLE, in);
    RawRead read = r.read("scheduler");
    if (read.failed()) {
      throw new HostException(
          Category.TRANSIENT, "Get-ADSyncScheduler failed after the change: " + read.error());
    }
    boolean after = read.single().bool(read.command(), "SyncCycleEnabled");
    if (after != enabled) {
      throw new HostException(
          Category.TRANSIENT,
          on(PowerShellScript.SET_SYNC_CYCLE)
              + "the scheduler still reports SyncCycleEnabled="
              + after);
    }
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
    requireReference(credentialReference);
    ObjectNode in =
        input()
            .put("accountName", accountName)
            .put("credentialReference", policy.resolveCredential(credentialReference));
    raw(PowerShellScript.REVERT_TO_SERVICE_ACCOUNT, in).read("call");
  }

  @Override
  public String credentialUserName(String credentialReference) {
    requireReference(credentialReference);
    ObjectNode in =
        input().put("credentialReference", policy.resolveCredential(credentialReference));
    JsonNode result = call(PowerShellScript.TEST_CREDENTIAL_FILE, in);
    try {
      return Answers.requireString(result, "userName");
    } catch (Answers.ContractViolation e) {
      throw new HostException(
          Category.PERMANENT,
          PowerShellScript.TEST_CREDENTIAL_FILE.fileName() + " answered " + e.getMessage());
    }
  }

  private static void requireReference(String credentialReference) {
    if (credentialReference == null
        || credentialReference.isBlank()
        || credentialReference.length() > MAX_REFERENCE_LENGTH) {
      throw new HostException(
          Category.PERMANENT,
          "a credential reference such as clixml:C:\\ProgramData\\abafix\\hia.xml is required");
    }
  }

  @Override
  public AuthenticationCheck testConnectorAuthentication() {
    return SignInShape.interpret(
        serverName, raw(PowerShellScript.TEST_CONNECTOR_AUTHENTICATION, input()));
  }

  /**
   * {@inheritDoc}
   *
   * @throws HostException PERMANENT, before any process starts, when {@code newMachineId} is not 32
   *     hex characters; TRANSIENT when the registry or the service does not show the change
   */
  @Override
  public void setMachineIdentifier(String newMachineId) {
    if (newMachineId == null || !MACHINE_ID.matcher(newMachineId).matches()) {
      throw new HostException(
          Category.PERMANENT, "a machine identifier must be 32 hexadecimal characters");
    }
    RawAnswer r =
        raw(PowerShellScript.SET_MACHINE_IDENTIFIER, input().put("machineId", newMachineId));
    RawRead registry = r.read("machineIdentifier");
    RawRead service = r.read("service");
    String after =
        registry.failed()
            ? null
            : registry.single().string(registry.command(), "SyncMachineIdentifier");
    String status = service.failed() ? null : service.single().string(service.command(), "Status");
    if (!newMachineId.equalsIgnoreCase(after) || !"Running".equals(status)) {
      throw new HostException(
          Category.TRANSIENT,
          on(PowerShellScript.SET_MACHINE_IDENTIFIER)
              + "after the change the registry holds "
              + after
              + " and ADSync is "
              + status);
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws HostException PERMANENT, before any process starts, when no certificate hash was
   *     configured: Microsoft documents unattended rotation only for a certificate the
   *     administrator provides ({@code -CertificateSHA256Hash}); otherwise it is the wizard's, an
   *     operator step
   */
  @Override
  public void rotateApplicationCertificate() {
    String hash = requireUnattended("Rotate application certificate", "ROTATE_CERTIFICATE");
    raw(PowerShellScript.ROTATE_CERTIFICATE, input().put("certificateSha256", hash)).read("call");
  }

  /**
   * {@inheritDoc}
   *
   * @throws HostException PERMANENT, before any process starts, when no certificate hash was
   *     configured (see {@link #rotateApplicationCertificate()})
   */
  @Override
  public void configureApplicationAuthentication() {
    String hash = requireUnattended("Configure application-based authentication", "CONFIGURE_ABA");
    raw(
            PowerShellScript.CONFIGURE_APPLICATION_AUTHENTICATION,
            input().put("certificateSha256", hash))
        .read("connect");
  }

  private String requireUnattended(String wizardTask, String step) {
    if (certificateSha256 != null) return certificateSha256;
    throw new HostException(
        Category.PERMANENT,
        "\""
            + wizardTask
            + "\" on "
            + serverName
            + " runs unattended only with a certificate provided for ABA (BYOC): give the worker"
            + " --certificate-sha256 <the certificate's SHA-256 hash>, or run it as an operator"
            + " step (--operator-step "
            + step
            + ") with the Entra Connect wizard");
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
    EventShape.Window window = readWindow(afterRecordId, maxEntries);
    if (afterRecordId > 0 && window.logCleared(afterRecordId)) {
      // Record ids start again in a cleared log: everything in it is new.
      log.warn(
          "the Application log of {} was cleared (newest Directory Synchronization record {} is"
              + " below {}): reading it from the start",
          serverName,
          window.newestRecordId(),
          afterRecordId);
      window = readWindow(0, maxEntries);
    }
    return window.entries();
  }

  private EventShape.Window readWindow(long afterRecordId, int maxEntries) {
    ObjectNode in = input().put("afterRecordId", afterRecordId).put("maxEntries", maxEntries);
    return EventShape.interpret(raw(PowerShellScript.GET_EVENTS, in));
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
    RawRead modules =
        raw(PowerShellScript.INSTALL_AD_SYNC_TOOLS, input().put("source", checked))
            .read("adSyncToolsModules");
    policy
        .galleryVersion()
        .filter(pinned -> SyncServerHost.GALLERY.equals(checked))
        .ifPresent(
            pinned -> {
              String version = ServerStateShape.highestVersion(modules);
              if (!pinned.equals(version)) {
                throw new HostException(
                    Category.PERMANENT,
                    "the Gallery installed ADSyncTools " + version + ", not the pinned " + pinned);
              }
            });
  }

  @Override
  public void repairConnectorParameters() {
    raw(PowerShellScript.REPAIR_CONNECTOR_PARAMETERS, input()).read("call");
  }

  private ObjectNode input() {
    return JSON.createObjectNode().put("server", serverName);
  }

  /** Runs a script and returns its raw reads, or throws what its answer means. */
  private RawAnswer raw(PowerShellScript script, ObjectNode input) {
    JsonNode result = call(script, input);
    return RawAnswer.parse(script.fileName(), result);
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
    String line = answerLine(result.stdout());
    if (line.isEmpty()) {
      if (POLICY_REFUSED.matcher(result.stderr()).find()) {
        throw new HostException(
            Category.PERMANENT,
            on(script)
                + "PowerShell refused to run the script: an execution policy (AllSigned, set by"
                + " Group Policy, beats -ExecutionPolicy Bypass) or an application control policy"
                + " blocks unsigned scripts. Sign the abafix scripts with a code-signing"
                + " certificate the servers trust (Set-AuthenticodeSignature), or allow the"
                + " worker's scripts folder in the policy"
                + stderrTail(result.stderr()));
      }
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
          Answers.onlyFields(
              error,
              Set.of("category", "code", "message", "type", "errorId", "errorCategory", "inner"));
          String named = Answers.requireString(error, "category");
          String code = Answers.requireString(error, "code");
          String message = Answers.optionalString(error, "message");
          Category category;
          if (named.equals("Unclassified")) {
            ErrorRules.Sorted sorted = ErrorRules.sort(RawError.of(error, message));
            category = sorted.category();
            code = sorted.code();
            if (!sorted.advice().isEmpty()) message = message + " (" + sorted.advice() + ")";
          } else {
            category = category(named);
          }
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

  private String on(PowerShellScript script) {
    return script.fileName() + " on " + serverName + ": ";
  }

  /**
   * The answer: the JSON after the last line that starts with {@link #ANSWER_PREFIX}, or "" when
   * there is none. Host output that escapes the scripts' preferences (a module's banner, a JSON
   * line a module prints) can never be taken for it.
   */
  static String answerLine(String stdout) {
    String text = stdout.startsWith("\uFEFF") ? stdout.substring(1) : stdout;
    String[] lines = text.split("\\R");
    for (int i = lines.length - 1; i >= 0; i--) {
      String line = lines[i].strip();
      if (line.startsWith(ANSWER_PREFIX.strip())) {
        return line.substring(ANSWER_PREFIX.strip().length()).strip();
      }
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
