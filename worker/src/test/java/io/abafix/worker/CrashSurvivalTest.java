package io.abafix.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.model.IdentityType;
import io.abafix.lab.daemon.LabDaemon;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crash survival with every party in its own OS process, as in production: Temporal's test server,
 * the lab daemon (the simulated tenant and servers), the orchestrator, the directory worker and one
 * worker per server, all the real {@code abafix-worker} command lines. The server workers run the
 * production PowerShell runner on the lab's forwarding executable; the directory worker runs the
 * production Graph adapter (msal4j, Graph SDK) against the lab's fake Entra ID.
 *
 * <p>While a remediation of the {@code cloned-pair} scenario runs, the worker executing each
 * destructive step is killed with SIGKILL in the middle of it (the lab reports which step is
 * executing) and started again with the same command line. The run must still succeed, end in the
 * right state, and have caused each destructive effect exactly once (the lab counts them). The
 * heartbeat timeout is what brings each killed step back within seconds rather than after its
 * ten-minute StartToClose timeout.
 */
@Tag("crash")
@DisplayNameGeneration(ReplaceUnderscores.class)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the lab's PowerShell forwarder is a sh script")
class CrashSurvivalTest {
  private static final String CREDENTIAL =
      "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";

  /** Long enough to be caught in the middle, short enough to keep the suite quick. */
  private static final long DESTRUCTIVE_STEP_MILLIS = 2000;

  /**
   * Well above {@link #DESTRUCTIVE_STEP_MILLIS}: the effect a killed worker had started lands in
   * the lab before the retry inspects, as a script orphaned on a real server would finish.
   */
  private static final long HEARTBEAT_SECONDS = 5;

  private static final List<String> DESTRUCTIVE_STEPS =
      List.of(
          "revertToServiceAccount",
          "setMachineIdentifier",
          "deleteApplication",
          "configureApplicationAuthentication");

  /** Where each port step shows up in the journal. */
  private static final Map<String, String> JOURNAL_STEP =
      Map.of(
          "revertToServiceAccount", "REVERT_TO_SERVICE_ACCOUNT",
          "setMachineIdentifier", "REGENERATE_MACHINE_ID",
          "deleteApplication", "DELETE_APPLICATIONS",
          "configureApplicationAuthentication", "CONFIGURE_ABA");

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  private final List<Child> children = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private WorkflowClient client;

  /** A crash point: a port step, on a server or (null) at the directory. */
  private record CrashPoint(String step, String server) {
    @Override
    public String toString() {
      return step + (server == null ? " at the directory" : " on " + server);
    }
  }

  /** What happened at one crash point. */
  private record Crash(CrashPoint point, long killedAtMillis, String worker) {}

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void a_remediation_survives_a_sigkill_in_the_middle_of_every_destructive_step() throws Exception {
    assumeTrue(curlWorks(), "the lab's PowerShell forwarder needs curl on the PATH");
    long began = System.nanoTime();
    int temporalPort = freePort();
    String address = "127.0.0.1:" + temporalPort;
    launch(
        "temporal",
        TestServer.class.getName(),
        List.of(Integer.toString(temporalPort)),
        Map.of(),
        false);
    awaitPort(temporalPort, Duration.ofSeconds(60));

    List<String> daemonArgs = new ArrayList<>();
    daemonArgs.addAll(List.of("--work-dir", dir.resolve("lab").toString()));
    daemonArgs.addAll(List.of("--scenario", "cloned-pair", "--propagation-delay-seconds", "2"));
    for (String step : DESTRUCTIVE_STEPS) {
      daemonArgs.addAll(List.of("--latency", step + "=" + DESTRUCTIVE_STEP_MILLIS));
    }
    // The daemon serves until its stdin closes, so it cannot outlive this test's JVM.
    Child labDaemon = launch("lab", LabDaemon.class.getName(), daemonArgs, Map.of(), true);
    JsonNode lab =
        JSON.readTree(
            labDaemon.awaitLine(l -> l.startsWith("{\"ready\":true"), Duration.ofMinutes(1)));
    URI control = URI.create(lab.get("control").asText());

    Map<String, Child> workers = new LinkedHashMap<>();
    workers.put("orchestrator", startWorker("orchestrator", address, List.of("orchestrator")));
    workers.put(
        null,
        startLabWorker(
            "directory",
            address,
            List.of(
                "--lab-graph-base-url",
                lab.get("graphBaseUrl").asText(),
                "--lab-identity-endpoint",
                lab.get("identityEndpoint").asText(),
                "directory",
                "--tenant-id",
                lab.get("tenant").asText(),
                "--client-id",
                lab.get("clientId").asText(),
                "--certificate",
                lab.get("certificate").asText())));
    List<String> servers = new ArrayList<>();
    for (var e : (Iterable<Map.Entry<String, JsonNode>>) () -> lab.get("powershell").fields()) {
      String server = e.getKey();
      servers.add(server);
      workers.put(
          server,
          startWorker(
              server,
              address,
              List.of(
                  "server",
                  "--name",
                  server,
                  "--powershell",
                  e.getValue().asText(),
                  "--policy",
                  serverPolicy().toString())));
    }
    for (Child worker : workers.values()) worker.awaitPolling();
    long ready = System.nanoTime();

    client = TemporalConnection.at(address, TestKeys.CODEC);
    String tenant = lab.get("tenant").asText();
    SharedAppRemediationWorkflow run =
        client.newWorkflowStub(
            SharedAppRemediationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.remediation(tenant))
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    WorkflowClient.start(
        run::remediate,
        new RemediationRequest(
            tenant,
            servers,
            CREDENTIAL,
            null,
            false,
            new ApprovalPolicy(false, false, 3600),
            new Timings(120, 1, 120, 120, HEARTBEAT_SECONDS),
            "crash-suite"));

    // Every destructive step of this scenario's plan, in whatever order the run reaches them.
    Set<CrashPoint> pending = new HashSet<>();
    for (String server : servers) {
      pending.add(new CrashPoint("revertToServiceAccount", server));
      pending.add(new CrashPoint("configureApplicationAuthentication", server));
    }
    pending.add(new CrashPoint("setMachineIdentifier", "SERVERB"));
    pending.add(new CrashPoint("deleteApplication", null));
    int crashPoints = pending.size();
    List<Crash> crashes = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
    while (!pending.isEmpty()) {
      if (System.nanoTime() > deadline) {
        fail("never saw " + pending + " executing; crashed so far: " + crashes + logs());
      }
      Optional<CrashPoint> executing =
          inProgress(control).stream().filter(pending::contains).findFirst();
      if (executing.isEmpty()) {
        Thread.sleep(20);
        continue;
      }
      CrashPoint point = executing.get();
      Child worker = workers.get(point.server());
      worker.kill();
      crashes.add(new Crash(point, System.currentTimeMillis(), worker.name));
      pending.remove(point);
      worker.restart();
    }

    RemediationResult result =
        client
            .newUntypedWorkflowStub(WorkflowIds.remediation(tenant))
            .getResult(4, TimeUnit.MINUTES, RemediationResult.class);
    long finished = System.nanoTime();

    assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message() + logs());
    JsonNode snapshot = get(control, "/snapshot");
    Set<String> appIds = new HashSet<>();
    Set<String> machineIds = new HashSet<>();
    for (JsonNode server : snapshot.get("servers")) {
      String name = server.get("name").asText();
      assertEquals(IdentityType.Application.name(), server.get("identityType").asText(), name);
      assertTrue(server.get("authenticates").asBoolean(), name + " signs in");
      assertTrue(server.get("syncCycleEnabled").asBoolean(), name + " scheduler resumed");
      assertTrue(appIds.add(server.get("applicationId").asText()), "distinct apps: " + snapshot);
      assertTrue(machineIds.add(server.get("machineId").asText()), "distinct ids: " + snapshot);
    }

    Map<String, Integer> effects =
        JSON.convertValue(
            get(control, "/effects"), new TypeReference<TreeMap<String, Integer>>() {});
    String sharedApp = "0912d31b-1e8a-4c8c-80c1-f73a0d843a73";
    Map<String, Integer> expected = new TreeMap<>();
    for (String server : servers) {
      expected.put("revertToServiceAccount:" + server, 1);
      expected.put("configureApplicationAuthentication:" + server, 1);
      // Paused once and resumed once.
      expected.put("setSyncCycleEnabled:" + server, 2);
    }
    expected.put("setMachineIdentifier:SERVERB", 1);
    expected.put("rotateApplicationCertificate:SERVERB", 1);
    expected.put("deleteApplication:" + sharedApp, 1);
    assertEquals(expected, effects, "each effect exactly once" + logs());

    // Each killed step was retried by a new attempt, and within seconds, not the ten minutes of its
    // StartToClose timeout.
    List<AuditEntry> journal = result.audit();
    List<String> figures = new ArrayList<>();
    for (Crash crash : crashes) {
      AuditEntry entry = journalEntry(journal, crash.point());
      assertTrue(entry.attempts() >= 2, crash.point() + " was retried: " + entry);
      long recovered = entry.endedAt() - crash.killedAtMillis();
      assertTrue(recovered < 60_000, crash.point() + " recovered after " + recovered + " ms");
      figures.add(
          String.format(
              Locale.ROOT,
              "%-50s attempts=%d, outcome %s, step took %d ms, ended %d ms after the kill",
              crash.point(),
              entry.attempts(),
              entry.outcome(),
              entry.endedAt() - entry.startedAt(),
              recovered));
    }
    assertEquals(crashPoints, crashes.size(), "crash points: " + crashes);
    System.out.printf(
        Locale.ROOT,
        "crash survival: %d crash points; processes up in %d ms; run %d ms; total %d ms%n"
            + "%s%neffects: %s%n",
        crashes.size(),
        TimeUnit.NANOSECONDS.toMillis(ready - began),
        TimeUnit.NANOSECONDS.toMillis(finished - ready),
        TimeUnit.NANOSECONDS.toMillis(finished - began),
        String.join("\n", figures),
        effects);
  }

  /**
   * The journal entry of the step a crash point interrupted. Its outcome may be NO_CHANGE: the
   * attempt that finished found the effect the killed attempt had caused already in place.
   */
  private static AuditEntry journalEntry(List<AuditEntry> journal, CrashPoint point) {
    String step = JOURNAL_STEP.get(point.step());
    String target = point.server() == null ? "directory" : point.server();
    return journal.stream()
        .filter(e -> e.step().equals(step) && target.equalsIgnoreCase(e.target()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + step + " on " + target + " in " + journal));
  }

  @AfterEach
  void stopEverything() {
    if (client != null) client.getWorkflowServiceStubs().shutdownNow();
    // Workers first, then the lab, then Temporal: the reverse of the order they started in.
    for (int i = children.size() - 1; i >= 0; i--) children.get(i).stop();
  }

  // ---------------------------------------------------------------- processes

  /** One OS process this test started, and how to start it again. */
  private final class Child {
    final String name;
    final ProcessBuilder builder;
    final boolean keepStdinOpen;
    Process process;
    Path log;
    int generation;

    Child(String name, ProcessBuilder builder, boolean keepStdinOpen) {
      this.name = name;
      this.builder = builder;
      this.keepStdinOpen = keepStdinOpen;
    }

    void begin() throws IOException {
      generation++;
      log = dir.resolve(name + "-" + generation + ".log");
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      process = builder.start();
      if (!keepStdinOpen) process.getOutputStream().close();
    }

    /** SIGKILL, with whatever the process had started (its running script forwarder). */
    void kill() throws InterruptedException {
      List<ProcessHandle> descendants = process.descendants().toList();
      process.destroyForcibly();
      descendants.forEach(ProcessHandle::destroyForcibly);
      assertTrue(process.waitFor(10, TimeUnit.SECONDS), name + " did not die");
    }

    /** The same command line again, then waits until it polls. */
    void restart() throws IOException, InterruptedException {
      begin();
      awaitPolling();
    }

    void awaitPolling() throws IOException, InterruptedException {
      awaitLine(l -> l.startsWith("polling "), Duration.ofMinutes(1));
    }

    String awaitLine(Predicate<String> wanted, Duration within)
        throws IOException, InterruptedException {
      long end = System.nanoTime() + within.toNanos();
      while (System.nanoTime() < end) {
        Optional<String> line = Files.readAllLines(log).stream().filter(wanted).findFirst();
        if (line.isPresent()) return line.get();
        if (!process.isAlive()) fail(name + " exited " + process.exitValue() + ":\n" + tail());
        Thread.sleep(50);
      }
      throw new AssertionError(name + " did not get ready within " + within + ":\n" + tail());
    }

    String tail() {
      try {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }

    void stop() {
      if (process == null) return;
      try {
        if (keepStdinOpen) {
          try (OutputStream in = process.getOutputStream()) {
            // Closing stdin is how the lab daemon is told to go.
          } catch (IOException ignored) {
            // Already closed.
          }
        }
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A JVM on this test's classpath, without the Temporal and abafix settings of this one. */
  private Child launch(
      String name,
      String mainClass,
      List<String> args,
      Map<String, String> environment,
      boolean keepStdinOpen)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // These JVMs live for seconds to minutes: start them quickly rather than run them fast.
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("TEMPORAL_") || k.startsWith("ABAFIX_"));
    env.putAll(environment);
    Child child = new Child(name, pb, keepStdinOpen);
    children.add(child);
    child.begin();
    return child;
  }

  /** {@code abafix-worker ARGS}, configured by the environment alone, as in production. */
  private Child startWorker(String name, String address, List<String> args) throws IOException {
    return launch(
        name,
        WorkerMain.class.getName(),
        args,
        with(TestKeys.VARIABLES, "TEMPORAL_ADDRESS", address),
        false);
  }

  /** The server workers' policy: the one credential name the run uses, mapped to its file. */
  private Path serverPolicy() throws IOException {
    Path policy = dir.resolve("server-worker-policy.json");
    if (!Files.exists(policy)) {
      Files.writeString(
          policy,
          "{\"credentials\": {\"hybrid-identity-admin\":"
              + " \"C:\\\\ProgramData\\\\abafix\\\\hybrid-identity-admin.xml\"}}");
    }
    return policy;
  }

  /** The directory worker: production options, sent to the lab by the test-only entry point. */
  private Child startLabWorker(String name, String address, List<String> args) throws IOException {
    return launch(
        name,
        LabWorkerMain.class.getName(),
        args,
        with(TestKeys.VARIABLES, "TEMPORAL_ADDRESS", address),
        false);
  }

  private static Map<String, String> with(Map<String, String> base, String name, String value) {
    Map<String, String> all = new java.util.HashMap<>(base);
    all.put(name, value);
    return all;
  }

  private String logs() {
    StringBuilder s = new StringBuilder();
    for (Child c : children) s.append("\n--- ").append(c.log).append('\n').append(c.tail());
    return s.toString();
  }

  // ---------------------------------------------------------------- lab control API

  private List<CrashPoint> inProgress(URI control) throws IOException, InterruptedException {
    List<CrashPoint> points = new ArrayList<>();
    for (JsonNode n : get(control, "/in-progress")) {
      JsonNode server = n.get("server");
      points.add(new CrashPoint(n.get("step").asText(), server.isNull() ? null : server.asText()));
    }
    return points;
  }

  private JsonNode get(URI control, String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(control.resolve(path)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    assertEquals(200, response.statusCode(), path + ": " + response.body());
    return JSON.readTree(response.body());
  }

  private static void awaitPort(int port, Duration within) throws InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 500);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    fail("nothing listens on port " + port + " after " + within);
  }

  private static boolean curlWorks() {
    try {
      Process curl =
          new ProcessBuilder("curl", "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return curl.waitFor(10, TimeUnit.SECONDS) && curl.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    return WorkerProcessTest.freePort();
  }
}
