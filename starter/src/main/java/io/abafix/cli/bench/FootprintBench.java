package io.abafix.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.activities.TaskQueues;
import io.abafix.bench.NoOpWorkflow;
import io.abafix.bench.NoOpWorkflowImpl;
import io.abafix.cli.EmbeddedTemporal;
import io.abafix.cli.LabApprover;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.daemon.LabDaemon;
import io.abafix.lab.process.ChildProcess;
import io.abafix.lab.process.LabTopology;
import io.abafix.lab.process.ProcessGroup;
import io.abafix.worker.TemporalConnection;
import io.abafix.worker.Workers;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.codec.SecretFiles;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Worker footprint: abafix's per-server worker process against a bare Temporal worker process, both
 * started from what they ship ({@code java -cp BUNDLE MAIN}), with the same JVM and flags, against
 * one embedded Temporal server. abafix's worker starts as the lab's worker processes do ({@link
 * LabTopology}): its shipped bundle with the worker's lab entry point ({@code LabWorkerMain}, from
 * the worker's test jar) in front, which verifies approvals with the lab's keys ({@value
 * LabTopology#JWKS_URL}) where production verifies them with Entra ID's; the rest is the production
 * command line. Starts alternate between the two; each start is timed until the worker prints that
 * it polls, and its resident memory is read a moment later. Then the last abafix worker runs a
 * remediation's steps (the lab's daemon and a directory worker process serve the rest; the
 * orchestrator runs here) and the last bare worker runs as many no-op activities, and each one's
 * memory is read again.
 */
final class FootprintBench {
  static final double MEMORY_TARGET = 1.2;
  static final long START_TARGET_MILLIS = 1000;

  /** How long after polling the memory is read: start-up's last allocations settle. */
  private static final Duration SETTLE = Duration.ofSeconds(2);

  /** What a role ships. */
  record Bundle(String role, String path, long bytes, int libJars, long graphSdkBytes) {}

  record Result(
      List<String> jvmFlags,
      Stats abafixStartMillis,
      Stats bareStartMillis,
      Stats abafixRssMbAfterStart,
      Stats bareRssMbAfterStart,
      double abafixRssMbAfterWork,
      double bareRssMbAfterWork,
      int activitiesRun,
      List<Bundle> bundles) {
    @com.fasterxml.jackson.annotation.JsonProperty(
        access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public double memoryRatioAfterStart() {
      return abafixRssMbAfterStart.median() / bareRssMbAfterStart.median();
    }

    @com.fasterxml.jackson.annotation.JsonProperty(
        access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public double memoryRatioAfterWork() {
      return abafixRssMbAfterWork / bareRssMbAfterWork;
    }

    @com.fasterxml.jackson.annotation.JsonProperty(
        access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public double startDifferenceMillis() {
      return abafixStartMillis.median() - bareStartMillis.median();
    }
  }

  /** The worker's lab entry point, in the worker's test jar. */
  static final String LAB_WORKER_MAIN = "io.abafix.worker.LabWorkerMain";

  private FootprintBench() {}

  static Result measure(Path home, Path workDir, int starts, Consumer<String> progress)
      throws IOException, InterruptedException {
    Path serverJar = home.resolve("worker/target/server/abafix-worker.jar");
    Path fullJar = home.resolve("worker/target/abafix-worker.jar");
    Path bareJar = home.resolve("bench/target/abafix-bench.jar");
    Path labEntry = home.resolve("worker/target/abafix-worker-tests.jar");
    for (Path jar : List.of(serverJar, fullJar, bareJar, labEntry)) {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalStateException(
            jar + " is missing: build first (mvn -B -DskipTests package)");
      }
    }
    List<Bundle> bundles =
        List.of(
            bundle("abafix per-server worker (worker/target/server)", serverJar, home),
            bundle("abafix worker, every role (worker/target)", fullJar, home),
            bundle("bare Temporal worker (bench/target)", bareJar, home));
    Files.createDirectories(workDir);
    // The JVM's defaults, as a service runs java -jar: the same for both.
    List<String> flags = List.of();
    Path keyFile = workDir.resolve("payload.key");
    SecretFiles.createOwnerOnly(
        keyFile,
        (PayloadEncryption.newKeyBase64() + "\n")
            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        ProcessGroup group = new ProcessGroup(workDir)) {
      String address = temporal.address();
      ChildProcess daemon =
          group.java(
              "lab",
              LabDaemon.class.getName(),
              List.of(
                  "--work-dir",
                  workDir.resolve("lab").toString(),
                  "--scenario",
                  "seed-pair",
                  "--propagation-delay-seconds",
                  "0"),
              Map.of(),
              true);
      JsonNode ready =
          new ObjectMapper()
              .readTree(
                  daemon.awaitLine(l -> l.startsWith("{\"ready\":true"), Duration.ofMinutes(1)));
      String tenant = ready.get("tenant").asText();
      String identityEndpoint = ready.get("identityEndpoint").asText();
      Map<String, String> env = new LinkedHashMap<>();
      env.put("TEMPORAL_ADDRESS", address);
      env.put(PayloadEncryption.KEY_FILE, keyFile.toString());
      env.putAll(LabTopology.approverEnvironment(identityEndpoint, tenant));
      // The server worker's own configuration: the one credential name the run uses, mapped to its
      // file, as a server's configuration does.
      Path policy = workDir.resolve("server-worker-policy.json");
      Files.writeString(
          policy,
          "{\"credentials\": {\"hybrid-identity-admin\": \""
              + Fleets.CREDENTIAL.substring("clixml:".length()).replace("\\", "\\\\")
              + "\"}}");
      Map<String, List<String>> serverArgs = new LinkedHashMap<>();
      ready
          .get("powershell")
          .fields()
          .forEachRemaining(
              e ->
                  serverArgs.put(
                      e.getKey(),
                      List.of(
                          "server",
                          "--name",
                          e.getKey(),
                          "--tenant",
                          tenant,
                          "--powershell",
                          e.getValue().asText(),
                          "--certificate-sha256",
                          LabAdapters.certificateSha256(e.getKey()),
                          "--policy",
                          policy.toString())));
      List<String> servers = List.copyOf(serverArgs.keySet());
      String measured = servers.get(0);
      List<WorkerProcesses.Started> running = new ArrayList<>();
      WorkflowClient client =
          TemporalConnection.at(address, PayloadEncryption.fromEnvironment(env::get));
      WorkerFactory factory = Workers.factory(client);
      Approvals approvals = null;
      // The bare worker speaks plain payloads: its workflow runs on a client of its own.
      WorkflowClient plain =
          WorkflowClient.newInstance(
              io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
                  io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder()
                      .setTarget(address)
                      .build()));
      WorkerFactory plainFactory = WorkerFactory.newInstance(plain);
      try {
        running.add(
            WorkerProcesses.start(
                flags,
                List.of(labEntry, fullJar),
                LAB_WORKER_MAIN,
                List.of(
                    "--lab-graph-base-url",
                    ready.get("graphBaseUrl").asText(),
                    "--lab-identity-endpoint",
                    identityEndpoint,
                    "directory",
                    "--tenant-id",
                    tenant,
                    "--client-id",
                    ready.get("clientId").asText(),
                    "--certificate",
                    ready.get("certificate").asText()),
                env,
                workDir.resolve("directory.log")));
        for (String other : servers.subList(1, servers.size())) {
          running.add(
              WorkerProcesses.start(
                  flags,
                  List.of(labEntry, serverJar),
                  LAB_WORKER_MAIN,
                  serverArgs.get(other),
                  env,
                  workDir.resolve(other.toLowerCase(java.util.Locale.ROOT) + ".log")));
        }
        String bareQueue = "bench-bare";
        Workers.orchestrator(factory, AuditSigning.of(AuditSigning.newKeyPair()));
        Worker noOp = plainFactory.newWorker("bench-noop-workflows");
        noOp.registerWorkflowImplementationTypes(NoOpWorkflowImpl.class);
        factory.start();
        plainFactory.start();

        List<Long> abafixStart = new ArrayList<>();
        List<Long> bareStart = new ArrayList<>();
        List<Double> abafixRss = new ArrayList<>();
        List<Double> bareRss = new ArrayList<>();
        WorkerProcesses.Started abafix = null;
        WorkerProcesses.Started bare = null;
        for (int i = 0; i < starts; i++) {
          boolean last = i == starts - 1;
          bare =
              WorkerProcesses.start(
                  flags,
                  List.of(bareJar),
                  "io.abafix.bench.BareWorker",
                  List.of(address, bareQueue),
                  Map.of(),
                  workDir.resolve("bare-" + i + ".log"));
          running.add(bare);
          Thread.sleep(SETTLE.toMillis());
          bareStart.add(bare.startToPollingMillis());
          bareRss.add(bare.rssKb() / 1024.0);
          if (!last) {
            bare.stop();
            running.remove(bare);
          }
          abafix =
              WorkerProcesses.start(
                  flags,
                  List.of(labEntry, serverJar),
                  LAB_WORKER_MAIN,
                  serverArgs.get(measured),
                  env,
                  workDir.resolve(measured.toLowerCase(java.util.Locale.ROOT) + "-" + i + ".log"));
          running.add(abafix);
          Thread.sleep(SETTLE.toMillis());
          abafixStart.add(abafix.startToPollingMillis());
          abafixRss.add(abafix.rssKb() / 1024.0);
          if (!last) {
            abafix.stop();
            running.remove(abafix);
          }
          progress.accept(
              String.format(
                  java.util.Locale.ROOT,
                  "footprint start %d: abafix %d ms, %.0f MB; bare %d ms, %.0f MB",
                  i + 1,
                  abafixStart.get(i),
                  abafixRss.get(i),
                  bareStart.get(i),
                  bareRss.get(i)));
        }

        String id = "bench-footprint";
        approvals = new Approvals(LabApprover.of(tenant, URI.create(identityEndpoint), client));
        LabDeployment.succeeded(
            LabDeployment.start(
                    client, approvals, id, Fleets.request(tenant, servers, Fleets.quick()), a -> {})
                .get(10, TimeUnit.MINUTES),
            "the footprint benchmark's remediation");
        int k = RunHistory.fetch(client, id).on(TaskQueues.forServer(tenant, measured)).size();
        NoOpWorkflow run =
            plain.newWorkflowStub(
                NoOpWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue("bench-noop-workflows")
                    .setWorkflowId("bench-footprint-bare")
                    .build());
        run.run(bareQueue, k);
        Thread.sleep(SETTLE.toMillis());
        double abafixAfter = abafix.rssKb() / 1024.0;
        double bareAfter = bare.rssKb() / 1024.0;
        progress.accept(
            String.format(
                java.util.Locale.ROOT,
                "footprint after %d activities: abafix %.0f MB, bare %.0f MB",
                k,
                abafixAfter,
                bareAfter));
        return new Result(
            flags,
            Stats.of(abafixStart),
            Stats.of(bareStart),
            Stats.of(abafixRss),
            Stats.of(bareRss),
            abafixAfter,
            bareAfter,
            k,
            bundles);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("the footprint benchmark's remediation: " + e, e);
      } finally {
        if (approvals != null) approvals.close();
        factory.shutdownNow();
        plainFactory.shutdownNow();
        factory.awaitTermination(10, TimeUnit.SECONDS);
        client.getWorkflowServiceStubs().shutdownNow();
        plain.getWorkflowServiceStubs().shutdownNow();
        for (WorkerProcesses.Started p : running) p.stop();
      }
    }
  }

  private static Bundle bundle(String role, Path jar, Path home) throws IOException {
    return new Bundle(
        role,
        home.relativize(jar).toString(),
        WorkerProcesses.bundleBytes(jar),
        WorkerProcesses.libJars(jar),
        WorkerProcesses.libBytes(jar, "microsoft-graph"));
  }
}
