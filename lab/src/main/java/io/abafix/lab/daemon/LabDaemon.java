package io.abafix.lab.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.abafix.activities.powershell.PowerShellResult;
import io.abafix.activities.powershell.PowerShellRunException;
import io.abafix.activities.powershell.PowerShellScript;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.graph.FakeMicrosoftEntra;
import io.abafix.lab.graph.TestCertificates;
import io.abafix.lab.powershell.FakePowerShellRunner;
import io.abafix.lab.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The lab as a process of its own, so that the production worker processes run against it without a
 * line of lab code in them: one simulated tenant and its servers, a {@link FakeMicrosoftEntra} for
 * the directory worker, and a forwarding "PowerShell" executable per server for the server workers.
 *
 * <pre>
 * java -cp ... io.abafix.lab.daemon.LabDaemon --work-dir DIR [--scenario NAME|FILE]
 *     [--propagation-delay-seconds N] [--latency STEP=MILLIS]...
 * </pre>
 *
 * <p>At start it writes into {@code DIR} the directory worker's certificate ({@code
 * directory-worker.pem}, registered with the fake Entra for {@link
 * LabAdapters#DIRECTORY_WORKER_CLIENT_ID}) and, per server, {@code <SERVER>/powershell}: a POSIX
 * shell script (it needs {@code curl}) that takes the production runner's fixed arguments, sends
 * the script's name and stdin here, and prints what the simulated script answers. Then it prints
 * one line to stdout, a JSON object with {@code "ready": true} and where everything is, and serves
 * until its standard input closes (so it never outlives the process that started it) or it is
 * terminated.
 *
 * <p>Control API, plain HTTP on loopback:
 *
 * <ul>
 *   <li>{@code POST /powershell/{server}/{script file name}}, the script's stdin as the body: runs
 *       it through a {@link FakePowerShellRunner} on that server; answers {@code {exitCode, stdout,
 *       stderr}}, or with {@code ?format=raw} stdout as the body with {@code X-Exit-Code} and
 *       {@code X-Stderr-Base64} headers (for the forwarder).
 *   <li>{@code POST /operator/{server}/{step}}: what an operator does with the Entra Connect wizard
 *       for an operator step, {@code revertToServiceAccount}, {@code
 *       configureApplicationAuthentication} or {@code rotateApplicationCertificate}; counted as an
 *       effect like the worker's own.
 *   <li>{@code GET /effects}: {@link Lab#effectCounts()}.
 *   <li>{@code GET /snapshot}: {@link Lab#snapshot()}.
 *   <li>{@code GET /in-progress}: {@link Lab#stepsInProgress()}, {@code [{step, server}]}.
 * </ul>
 */
public final class LabDaemon implements AutoCloseable {
  static final String FORWARDER_RESOURCE = "powershell-forwarder.sh";
  static final String CERTIFICATE_FILE = "directory-worker.pem";

  private final Lab lab;
  private final FakeMicrosoftEntra entra;
  private final Map<String, FakePowerShellRunner> runners = new LinkedHashMap<>();
  private final Map<String, Path> forwarders = new LinkedHashMap<>();
  private final Path certificate;
  private final HttpServer http;
  private final ExecutorService executor;
  private final ObjectMapper json = new ObjectMapper();
  private volatile boolean serving;

  /**
   * Builds the lab, writes the certificate and the forwarders into {@code workDir}, and starts
   * serving on an ephemeral loopback port.
   */
  public LabDaemon(Scenario scenario, Path workDir) throws IOException {
    this.lab = Lab.fromScenario(scenario, System::currentTimeMillis);
    this.http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    this.entra =
        new FakeMicrosoftEntra(lab.directory(), lab.faults(), 100, lab.identities())
            .staleReads(lab.scenario().tenant().graphOrDefault().staleReadsOrDefault());
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "lab-daemon");
              t.setDaemon(true);
              return t;
            });
    try {
      Files.createDirectories(workDir);
      TestCertificates.TestCertificate identity =
          TestCertificates.selfSigned("abafix-directory-lab");
      entra.registerClient(LabAdapters.DIRECTORY_WORKER_CLIENT_ID, identity.certificate());
      this.certificate = identity.writePem(workDir.resolve(CERTIFICATE_FILE)).toAbsolutePath();
      http.setExecutor(executor);
      http.createContext("/", this::handle);
      for (String server : lab.serverNames()) {
        runners.put(
            server,
            new FakePowerShellRunner(lab.host(server))
                .tenantDomain(lab.tenantDomain())
                .connectSync(lab.scenario().tenant().connectSyncOrDefault(), lab::keyIdOf));
        forwarders.put(server, writeForwarder(workDir.toAbsolutePath(), server));
      }
      http.start();
      serving = true;
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    try (LabDaemon daemon = new LabDaemon(options.scenario(), options.workDir)) {
      System.out.println(daemon.json.writeValueAsString(daemon.readyLine()));
      System.out.flush();
      // Serve until whoever started us goes away: its end of our stdin closes with it.
      InputStream in = System.in;
      while (in.read() >= 0) {
        // Anything written to stdin is ignored.
      }
    }
  }

  /** The lab this daemon serves. */
  public Lab lab() {
    return lab;
  }

  /** The control API's root, e.g. {@code http://127.0.0.1:41234}. */
  public URI controlUrl() {
    return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
  }

  /** What the ready line says, as a map. */
  Map<String, Object> readyLine() {
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("ready", true);
    ready.put("scenario", lab.scenario().name());
    ready.put("control", controlUrl().toString());
    ready.put("tenant", lab.tenantDomain());
    ready.put("clientId", LabAdapters.DIRECTORY_WORKER_CLIENT_ID);
    ready.put("certificate", certificate.toString());
    ready.put("identityEndpoint", entra.identityEndpoint().toString());
    ready.put("graphBaseUrl", entra.graphBaseUrl().toString());
    Map<String, String> powershell = new LinkedHashMap<>();
    forwarders.forEach((server, path) -> powershell.put(server, path.toString()));
    ready.put("powershell", powershell);
    return ready;
  }

  @Override
  public void close() {
    if (serving) http.stop(0);
    executor.shutdownNow();
    entra.close();
  }

  private Path writeForwarder(Path workDir, String server) throws IOException {
    String template;
    try (InputStream in = LabDaemon.class.getResourceAsStream(FORWARDER_RESOURCE)) {
      if (in == null) throw new IllegalStateException(FORWARDER_RESOURCE + " is not in the jar");
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String script =
        template
            .replace("@URL@", controlUrl().toString())
            .replace("@SERVER@", server)
            .replace("@WORK@", workDir.toString());
    Path folder = Files.createDirectories(workDir.resolve(server));
    Path file = folder.resolve("powershell");
    Files.writeString(file, script, StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    return file;
  }

  // ---------------------------------------------------------------- control API

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      List<String> path =
          Arrays.stream(exchange.getRequestURI().getPath().split("/"))
              .filter(s -> !s.isEmpty())
              .toList();
      if (method.equals("POST") && path.size() == 3 && path.get(0).equals("powershell")) {
        byte[] body = exchange.getRequestBody().readAllBytes();
        runScript(exchange, path.get(1), path.get(2), new String(body, StandardCharsets.UTF_8));
      } else if (method.equals("POST") && path.size() == 3 && path.get(0).equals("operator")) {
        operatorStep(exchange, path.get(1), path.get(2));
      } else if (method.equals("GET") && path.equals(List.of("effects"))) {
        sendJson(exchange, 200, lab.effectCounts());
      } else if (method.equals("GET") && path.equals(List.of("snapshot"))) {
        sendJson(exchange, 200, lab.snapshot());
      } else if (method.equals("GET") && path.equals(List.of("in-progress"))) {
        sendJson(exchange, 200, lab.stepsInProgress());
      } else {
        sendJson(exchange, 404, Map.of("error", method + " " + exchange.getRequestURI()));
      }
    } catch (RuntimeException e) {
      // The exchange may already be half answered; the client sees a broken reply and says so.
      System.err.println("lab daemon: " + e);
    }
  }

  /** The Entra Connect wizard, run by an operator at the server, for an operator step. */
  private void operatorStep(HttpExchange exchange, String server, String step) throws IOException {
    String name = server.toUpperCase(Locale.ROOT);
    if (!lab.serverNames().contains(name)) {
      sendJson(exchange, 404, Map.of("error", "no server " + server + " in the lab"));
      return;
    }
    switch (step) {
      case "configureApplicationAuthentication" ->
          lab.host(name).configureApplicationAuthentication();
      case "rotateApplicationCertificate" -> lab.host(name).rotateApplicationCertificate();
      case "revertToServiceAccount" -> {
        // The person runs Add-ADSyncAADServiceAccount at the server with the credential stored
        // there, under the name the server gives its service account.
        var host = lab.host(name);
        List<String> stored =
            lab.scenario().servers().stream()
                .filter(sv -> sv.name().equalsIgnoreCase(name))
                .findFirst()
                .map(io.abafix.lab.scenario.Scenario.Server::credentialReferences)
                .orElse(List.of());
        if (stored.isEmpty()) {
          sendJson(exchange, 409, Map.of("error", "no credential stored on " + name));
          return;
        }
        host.revertToServiceAccount(host.inspect().expectedServiceAccountName(), stored.get(0));
      }
      default -> {
        sendJson(exchange, 404, Map.of("error", "no operator step " + step));
        return;
      }
    }
    sendJson(exchange, 200, Map.of("done", step + " on " + name));
  }

  private void runScript(HttpExchange exchange, String server, String fileName, String stdin)
      throws IOException {
    FakePowerShellRunner runner = runners.get(server.toUpperCase(Locale.ROOT));
    if (runner == null) {
      sendJson(exchange, 404, Map.of("error", "no server " + server + " in the lab"));
      return;
    }
    PowerShellResult result;
    PowerShellScript script =
        Arrays.stream(PowerShellScript.values())
            .filter(s -> s.fileName().equals(fileName))
            .findFirst()
            .orElse(null);
    if (script == null) {
      // What powershell.exe says for a -File that is not there.
      result =
          new PowerShellResult(
              FakePowerShellRunner.MISSING_SCRIPT_EXIT_CODE,
              "",
              "The argument '" + fileName + "' to the -File parameter does not exist.");
    } else {
      try {
        result = runner.run(script, stdin, script.defaultTimeout());
      } catch (PowerShellRunException e) {
        result = new PowerShellResult(1, e.partialStdout(), e.getMessage());
      }
    }
    boolean raw = "format=raw".equals(exchange.getRequestURI().getQuery());
    if (!raw) {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("exitCode", result.exitCode());
      answer.put("stdout", result.stdout());
      answer.put("stderr", result.stderr());
      sendJson(exchange, 200, answer);
      return;
    }
    exchange.getResponseHeaders().set("X-Exit-Code", Integer.toString(result.exitCode()));
    if (!result.stderr().isEmpty()) {
      exchange
          .getResponseHeaders()
          .set(
              "X-Stderr-Base64",
              Base64.getEncoder().encodeToString(result.stderr().getBytes(StandardCharsets.UTF_8)));
    }
    send(exchange, 200, "text/plain; charset=utf-8", result.stdout());
  }

  private void sendJson(HttpExchange exchange, int status, Object value) throws IOException {
    send(exchange, status, "application/json", json.writeValueAsString(value));
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  // ---------------------------------------------------------------- command line

  /** The daemon's arguments; anything unknown stops it with a line saying so. */
  static final class Options {
    Path workDir;
    String scenario = "seed-pair";
    Long propagationDelaySeconds;
    final Map<String, Long> latency = new LinkedHashMap<>();

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String name = args[i];
        if (i + 1 >= args.length) throw usage(name + " needs a value");
        String value = args[++i];
        switch (name) {
          case "--work-dir" -> o.workDir = Path.of(value);
          case "--scenario" -> o.scenario = value;
          case "--propagation-delay-seconds" -> o.propagationDelaySeconds = Long.valueOf(value);
          case "--latency" -> {
            String[] stepAndMillis = value.split("=", 2);
            if (stepAndMillis.length != 2) throw usage("--latency takes STEP=MILLIS: " + value);
            o.latency.put(stepAndMillis[0], Long.valueOf(stepAndMillis[1]));
          }
          default -> throw usage("unknown option " + name);
        }
      }
      if (o.workDir == null) throw usage("--work-dir is required");
      return o;
    }

    /** The named shipped scenario or the file, with the timing given on the command line. */
    Scenario scenario() {
      Scenario s =
          scenario.endsWith(".json")
              ? Scenario.fromFile(Path.of(scenario))
              : Scenario.fromResource(scenario);
      Scenario.Timing t = s.timing();
      Map<String, Long> latencies = new LinkedHashMap<>(t.stepLatencyMillis());
      latencies.putAll(latency);
      return s.withTiming(
          new Scenario.Timing(
              propagationDelaySeconds == null
                  ? t.propagationDelaySeconds()
                  : propagationDelaySeconds,
              t.syncCycleMillis(),
              latencies));
    }

    private static IllegalArgumentException usage(String problem) {
      return new IllegalArgumentException(
          problem
              + "; usage: LabDaemon --work-dir DIR [--scenario NAME|FILE]"
              + " [--propagation-delay-seconds N] [--latency STEP=MILLIS]...");
    }
  }
}
