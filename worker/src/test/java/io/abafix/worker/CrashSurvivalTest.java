package io.abafix.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.model.IdentityType;
import io.abafix.lab.process.ChildProcess;
import io.abafix.lab.process.LabTopology;
import io.abafix.lab.process.ProcessGroup;
import io.abafix.lab.signin.LabIdentityProvider;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
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

  @TempDir Path dir;

  private ProcessGroup processes;
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
    processes = new ProcessGroup(dir);
    int temporalPort = freePort();
    String address = "127.0.0.1:" + temporalPort;
    processes.java(
        "temporal",
        TestServer.class.getName(),
        List.of(Integer.toString(temporalPort)),
        Map.of(),
        false);
    awaitPort(temporalPort, Duration.ofSeconds(60));

    List<String> daemonArgs = new ArrayList<>();
    daemonArgs.addAll(List.of("--scenario", "cloned-pair", "--propagation-delay-seconds", "2"));
    for (String step : DESTRUCTIVE_STEPS) {
      daemonArgs.addAll(List.of("--latency", step + "=" + DESTRUCTIVE_STEP_MILLIS));
    }
    Map<String, String> workerEnv = new HashMap<>(TestKeys.VARIABLES);
    workerEnv.put("TEMPORAL_ADDRESS", address);
    Path policy = serverPolicy();
    ChildProcess orchestrator =
        LabTopology.orchestrator(processes, WorkerMain.class.getName(), workerEnv);
    LabTopology lab =
        LabTopology.start(
            processes,
            "crash",
            dir.resolve("lab"),
            daemonArgs,
            // Server and directory workers verify approvals, here with the lab's keys.
            LabWorkerMain.class.getName(),
            LabWorkerMain.class.getName(),
            workerEnv,
            server -> List.of("--policy", policy.toString()));
    identityEndpoint = lab.identityEndpoint();
    approverTenant = lab.approverTenant();
    long ready = System.nanoTime();

    client = TemporalConnection.at(address, TestKeys.CODEC);
    String tenant = lab.tenant();
    List<String> servers = lab.serverNames();
    SharedAppRemediationWorkflow run =
        client.newWorkflowStub(
            SharedAppRemediationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.remediation(tenant))
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    WorkflowExecution execution =
        WorkflowClient.start(
            run::remediate,
            new RemediationRequest(
                    tenant,
                    servers,
                    CREDENTIAL,
                    null,
                    false,
                    new ApprovalPolicy(true, false, 3600),
                    new Timings(120, 1, 120, 120, HEARTBEAT_SECONDS),
                    "crash-suite")
                .startedAs(
                    io.abafix.activities.approval.RunStart.unsigned(
                        io.abafix.activities.approval.RunStart.newStartId(), false)));

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
        fail("never saw " + pending + " executing; crashed so far: " + crashes + processes.logs());
      }
      approvePending(run, execution);
      Optional<CrashPoint> executing =
          lab.inProgress().stream()
              .map(step -> new CrashPoint(step.step(), step.server()))
              .filter(pending::contains)
              .findFirst();
      if (executing.isEmpty()) {
        Thread.sleep(20);
        continue;
      }
      CrashPoint point = executing.get();
      ChildProcess worker = lab.worker(point.server());
      worker.kill();
      crashes.add(new Crash(point, System.currentTimeMillis(), worker.name()));
      pending.remove(point);
      worker.restart();
      worker.awaitPolling();
    }

    var outcome =
        client
            .newUntypedWorkflowStub(WorkflowIds.remediation(tenant))
            .getResultAsync(RemediationResult.class);
    while (!outcome.isDone() && System.nanoTime() < deadline + TimeUnit.MINUTES.toNanos(4)) {
      approvePending(run, execution);
      Thread.sleep(50);
    }
    RemediationResult result = outcome.get(1, TimeUnit.SECONDS);
    long finished = System.nanoTime();

    assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message() + processes.logs());
    JsonNode snapshot = lab.snapshot();
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

    Map<String, Integer> effects = lab.effects();
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
    assertEquals(expected, effects, "each effect exactly once" + processes.logs());

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
    if (processes != null) processes.close();
  }

  private final HttpClient http = HttpClient.newHttpClient();
  private String approverTenant;
  private String identityEndpoint;

  /**
   * Signs {@code user} in at the lab's fake Entra ID as a browser would (authorization code with
   * PKCE), with the nonce of {@code binding}, and returns the ID token.
   */
  private String signIn(String user, DecisionBinding binding) throws Exception {
    String verifier = "v" + UUID.randomUUID() + UUID.randomUUID();
    String challenge =
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(
                MessageDigest.getInstance("SHA-256")
                    .digest(verifier.getBytes(StandardCharsets.US_ASCII)));
    String redirect = "http://localhost:1/";
    String base = identityEndpoint + "/" + approverTenant + "/oauth2/v2.0/";
    HttpResponse<String> page =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        base
                            + "authorize?response_type=code&client_id="
                            + LabIdentityProvider.ABAFIX_CLIENT_ID
                            + "&redirect_uri="
                            + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
                            + "&code_challenge_method=S256&code_challenge="
                            + challenge
                            + "&login_hint="
                            + user
                            + "&nonce="
                            + binding.nonce()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    String location = page.headers().firstValue("Location").orElseThrow();
    String code =
        URLDecoder.decode(
            location.substring(location.indexOf("code=") + 5).split("&")[0],
            StandardCharsets.UTF_8);
    String form =
        "grant_type=authorization_code&client_id="
            + LabIdentityProvider.ABAFIX_CLIENT_ID
            + "&code="
            + URLEncoder.encode(code, StandardCharsets.UTF_8)
            + "&redirect_uri="
            + URLEncoder.encode(redirect, StandardCharsets.UTF_8)
            + "&code_verifier="
            + verifier;
    HttpResponse<String> tokens =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(tokens.body()).get("id_token").asText();
  }

  /** Approves the pending gate of {@code run}, if any, signed in as alice. */
  private void approvePending(SharedAppRemediationWorkflow run, WorkflowExecution execution)
      throws Exception {
    PendingApproval pending = run.progress().pendingApproval();
    if (pending == null) return;
    DecisionBinding binding =
        new DecisionBinding(
            client.getOptions().getNamespace(),
            execution.getWorkflowId(),
            execution.getRunId(),
            pending.gate(),
            pending.planDigest(),
            pending.parameters(),
            DecisionBinding.APPROVE);
    run.decide(
        new ApprovalRequest(
            pending.gate(),
            "alice",
            true,
            "crash suite",
            pending.digest(),
            ApprovalProof.of(signIn("alice", binding), binding)));
  }

  /** The server workers' policy: the one credential name the run uses, mapped to its file. */
  private Path serverPolicy() throws IOException {
    Path policy = dir.resolve("server-worker-policy.json");
    Files.writeString(
        policy,
        "{\"credentials\": {\"hybrid-identity-admin\":"
            + " \"C:\\\\ProgramData\\\\abafix\\\\hybrid-identity-admin.xml\"}}");
    return policy;
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
