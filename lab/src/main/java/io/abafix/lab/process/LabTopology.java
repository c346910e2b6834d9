package io.abafix.lab.process;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.lab.Lab;
import io.abafix.lab.daemon.LabDaemon;
import io.abafix.lab.signin.LabIdentityProvider;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The production topology over one lab, every party its own JVM: the {@link LabDaemon} (the
 * simulated tenant and servers), the directory worker on the daemon's fake Entra ID, and one server
 * worker per simulated server on the daemon's PowerShell forwarder, each with its real {@code
 * abafix-worker} command line. The orchestrator holds no lab state, so it is started apart ({@link
 * #orchestrator}) and may serve several topologies.
 */
public final class LabTopology {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ChildProcess daemon;
  private final JsonNode ready;
  private final URI control;
  private final Map<String, ChildProcess> servers = new LinkedHashMap<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private ChildProcess directory;

  /** The environment variable that tells the lab's worker entry point where the lab's keys are. */
  public static final String JWKS_URL = "ABAFIX_LAB_JWKS_URL";

  private LabTopology(ChildProcess daemon, JsonNode ready) {
    this.daemon = daemon;
    this.ready = ready;
    this.control = URI.create(ready.get("control").asText());
  }

  /**
   * Starts the daemon with {@code daemonArgs} (its {@code --work-dir} is {@code workDir}), then the
   * directory worker and the server workers, and waits until every worker polls.
   *
   * @param workerMain the {@code abafix-worker} main class for the server workers: one that
   *     verifies approvals with the keys named by {@link #JWKS_URL} (the lab's keys), since
   *     production trusts only Entra ID's
   * @param directoryMain the directory worker's main class: a test-only entry point that verifies
   *     approvals the same way and takes {@code --lab-graph-base-url URL --lab-identity-endpoint
   *     URL} before the production command line, sending the worker to the daemon's loopback Entra
   *     ID (the production worker has no such option)
   * @param workerEnvironment the Temporal address and payload key, as production passes them; the
   *     approver trust the daemon publishes ({@link #approverEnvironment()}) is added to it
   * @param serverArgs extra arguments for each server's worker, by server name
   */
  public static LabTopology start(
      ProcessGroup group,
      String name,
      Path workDir,
      List<String> daemonArgs,
      String workerMain,
      String directoryMain,
      Map<String, String> workerEnvironment,
      Function<String, List<String>> serverArgs)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("--work-dir", workDir.toString()));
    args.addAll(daemonArgs);
    // The daemon serves until its stdin closes, so it cannot outlive the JVM that started it.
    ChildProcess daemon =
        group.java(name + "-lab", LabDaemon.class.getName(), args, Map.of(), true);
    JsonNode ready =
        JSON.readTree(
            daemon.awaitLine(l -> l.startsWith("{\"ready\":true"), Duration.ofMinutes(1)));
    LabTopology topology = new LabTopology(daemon, ready);
    Map<String, String> environment = new java.util.HashMap<>(workerEnvironment);
    environment.putAll(topology.approverEnvironment());
    topology.directory =
        group.java(
            name + "-directory",
            directoryMain,
            List.of(
                "--lab-graph-base-url",
                ready.get("graphBaseUrl").asText(),
                "--lab-identity-endpoint",
                ready.get("identityEndpoint").asText(),
                "directory",
                "--tenant-id",
                ready.get("tenant").asText(),
                "--client-id",
                ready.get("clientId").asText(),
                "--certificate",
                ready.get("certificate").asText(),
                // Each topology's ledgers are its own: two runs on one machine never share one.
                "--approval-ledger",
                workDir.resolve("approvals-directory.jsonl").toString()),
            environment,
            false);
    for (var e : (Iterable<Map.Entry<String, JsonNode>>) () -> ready.get("powershell").fields()) {
      String server = e.getKey();
      List<String> command =
          new ArrayList<>(
              List.of(
                  "server",
                  "--name",
                  server,
                  "--tenant",
                  ready.get("tenant").asText(),
                  "--powershell",
                  e.getValue().asText(),
                  // The lab's servers have a certificate provided for ABA (BYOC).
                  "--certificate-sha256",
                  io.abafix.lab.LabAdapters.certificateSha256(server)));
      List<String> extra = serverArgs.apply(server);
      if (!extra.contains("--approval-ledger")) {
        // Each topology's ledgers are its own: two runs on one machine never share one.
        command.addAll(
            List.of(
                "--approval-ledger",
                workDir.resolve("approvals-server-" + server + ".jsonl").toString()));
      }
      command.addAll(extra);
      topology.servers.put(
          server,
          group.java(
              name + "-" + server.toLowerCase(java.util.Locale.ROOT),
              workerMain,
              command,
              environment,
              false));
    }
    topology.directory.awaitPolling();
    for (ChildProcess worker : topology.servers.values()) worker.awaitPolling();
    return topology;
  }

  /** {@code abafix-worker orchestrator}, started and polling. */
  public static ChildProcess orchestrator(
      ProcessGroup group, String workerMain, Map<String, String> workerEnvironment)
      throws IOException, InterruptedException {
    return orchestrator(group, workerMain, workerEnvironment, List.of());
  }

  /**
   * {@code abafix-worker orchestrator OPTIONS} (e.g. {@code --metrics-port 0}), started and
   * polling.
   */
  public static ChildProcess orchestrator(
      ProcessGroup group,
      String workerMain,
      Map<String, String> workerEnvironment,
      List<String> options)
      throws IOException, InterruptedException {
    List<String> args = new ArrayList<>(List.of("orchestrator"));
    args.addAll(options);
    ChildProcess orchestrator =
        group.java("orchestrator", workerMain, args, workerEnvironment, false);
    orchestrator.awaitPolling();
    return orchestrator;
  }

  /**
   * The approver trust of the lab's workers, as environment variables: the tenant and app whose
   * sign-ins approve ({@code ABAFIX_APPROVER_TENANT_ID}, {@code ABAFIX_APPROVER_CLIENT_ID}, read by
   * the production options) and where the lab's fake Entra ID publishes its signing keys ({@link
   * #JWKS_URL}, read only by the lab's entry point).
   */
  public Map<String, String> approverEnvironment() {
    return approverEnvironment(identityEndpoint(), tenant());
  }

  /**
   * {@link #approverEnvironment()} of the workers of a lab daemon whose tenant is {@code tenant}
   * and whose fake Entra ID listens on {@code identityEndpoint} (both from its ready line), for
   * workers started apart from a topology.
   */
  public static Map<String, String> approverEnvironment(String identityEndpoint, String tenant) {
    String approverTenant = LabIdentityProvider.tenantIdFor(tenant);
    return Map.of(
        "ABAFIX_APPROVER_TENANT_ID",
        approverTenant,
        "ABAFIX_APPROVER_CLIENT_ID",
        LabIdentityProvider.ABAFIX_CLIENT_ID,
        JWKS_URL,
        identityEndpoint + "/" + approverTenant + "/discovery/v2.0/keys");
  }

  /** The tenant id the lab's fake Entra ID signs ID tokens for. */
  public String approverTenant() {
    return LabIdentityProvider.tenantIdFor(tenant());
  }

  /** The lab's fake Entra ID (sign-in, tokens, keys), on loopback. */
  public String identityEndpoint() {
    return ready.get("identityEndpoint").asText();
  }

  public String tenant() {
    return ready.get("tenant").asText();
  }

  public List<String> serverNames() {
    return List.copyOf(servers.keySet());
  }

  /** The worker of a server, or (for null) the directory worker. */
  public ChildProcess worker(String server) {
    return server == null ? directory : servers.get(server);
  }

  public ChildProcess daemon() {
    return daemon;
  }

  /** {@link Lab#stepsInProgress()}. */
  public List<Lab.StepInProgress> inProgress() throws IOException, InterruptedException {
    List<Lab.StepInProgress> steps = new ArrayList<>();
    for (JsonNode n : get("/in-progress")) {
      JsonNode server = n.get("server");
      steps.add(
          new Lab.StepInProgress(n.get("step").asText(), server.isNull() ? null : server.asText()));
    }
    return steps;
  }

  /** {@link Lab#effectCounts()}, sorted. */
  public Map<String, Integer> effects() throws IOException, InterruptedException {
    return JSON.convertValue(get("/effects"), new TypeReference<TreeMap<String, Integer>>() {});
  }

  /** {@link Lab#snapshot()}, as JSON. */
  public JsonNode snapshot() throws IOException, InterruptedException {
    return get("/snapshot");
  }

  /**
   * What an operator does at a server with the Entra Connect wizard, for an operator step the run
   * waits on: {@code configureApplicationAuthentication} or {@code rotateApplicationCertificate}.
   */
  public void operatorStep(String server, String step) throws IOException, InterruptedException {
    send(
        HttpRequest.newBuilder(control.resolve("/operator/" + server + "/" + step))
            .POST(HttpRequest.BodyPublishers.noBody()),
        "/operator");
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(control.resolve(path)).GET(), path);
  }

  private JsonNode send(HttpRequest.Builder request, String what)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new IllegalStateException(what + ": " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body());
  }
}
