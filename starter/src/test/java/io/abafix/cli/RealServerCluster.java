package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.lab.process.ChildProcess;
import io.abafix.lab.process.LabTopology;
import io.abafix.lab.process.ProcessGroup;
import io.abafix.lab.temporal.TemporalDevServer;
import io.abafix.worker.LabWorkerMain;
import io.abafix.worker.TemporalConnection;
import io.abafix.worker.WorkerMain;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.model.OperatorTask;
import io.abafix.workflows.model.Progress;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the real-server suites share: Temporal's own server ({@link TemporalDevServer}), the payload
 * and audit-signing keys, the orchestrator in a JVM of its own, a client that holds the payload
 * key, and the operator's command line ({@link OperatorCli}); per test, a lab topology ({@link
 * LabTopology}) whose workers keep their approval ledgers in the test's directory, so that no suite
 * shares a ledger file with another.
 */
final class RealServerCluster implements AutoCloseable {
  static final String CREDENTIAL = "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";

  /** Who approves, in the lab's tenant. */
  static final String APPROVER = "alice";

  /** Who does the operator steps at the servers and confirms them. */
  static final String OPERATOR = "bob";

  /** What the operator does at the server (the wizard, or the revert's cmdlet) for each step. */
  static final Map<String, String> WIZARD =
      Map.of(
          "CONFIGURE_ABA", "configureApplicationAuthentication",
          "ROTATE_CERTIFICATE", "rotateApplicationCertificate",
          "REVERT_TO_SERVICE_ACCOUNT", "revertToServiceAccount");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Path cli;
  private final TemporalDevServer temporal;
  private final Map<String, String> workerEnv;
  private final Path policy;
  private final ProcessGroup shared;
  private final ChildProcess orchestrator;
  private final WorkflowClient client;
  private final OperatorCli operator;

  private RealServerCluster(
      Path dir,
      Path cli,
      TemporalDevServer temporal,
      Map<String, String> workerEnv,
      Path policy,
      ProcessGroup shared,
      ChildProcess orchestrator,
      WorkflowClient client,
      OperatorCli operator) {
    this.dir = dir;
    this.cli = cli;
    this.temporal = temporal;
    this.workerEnv = workerEnv;
    this.policy = policy;
    this.shared = shared;
    this.orchestrator = orchestrator;
    this.client = client;
    this.operator = operator;
  }

  /**
   * Starts Temporal on a database file in {@code dir}, makes the keys, and starts the orchestrator;
   * skips the calling suite where the Temporal CLI is missing ({@link RealTemporal#cli()}).
   */
  static RealServerCluster start(Path dir) throws Exception {
    return start(dir, List.of());
  }

  /** As {@link #start(Path)}, the orchestrator started with {@code orchestratorOptions}. */
  static RealServerCluster start(Path dir, List<String> orchestratorOptions) throws Exception {
    Path cli = RealTemporal.cli();
    TemporalDevServer temporal =
        TemporalDevServer.start(cli, dir.resolve("temporal.db"), dir.resolve("logs"));
    Path keyFile = dir.resolve("abafix.key");
    assertEquals(0, CommandLineRun.of("keygen", keyFile.toString()).exitCode());
    Path signingKey = dir.resolve("audit-signing.key");
    assertEquals(
        0, CommandLineRun.of("keygen", "--audit-signing", signingKey.toString()).exitCode());
    Path policy = dir.resolve("server-worker-policy.json");
    // The one credential name the runs use, mapped to its file, as a server's configuration does.
    Files.writeString(
        policy,
        "{\"credentials\": {\"hybrid-identity-admin\":"
            + " \"C:\\\\ProgramData\\\\abafix\\\\hybrid-identity-admin.xml\"}}");
    Map<String, String> workerEnv =
        Map.of(
            "TEMPORAL_ADDRESS",
            temporal.address(),
            PayloadEncryption.KEY_FILE,
            keyFile.toString(),
            AuditSigning.KEY_FILE,
            signingKey.toString());
    ProcessGroup shared = new ProcessGroup(Files.createDirectories(dir.resolve("logs")));
    ChildProcess orchestrator =
        LabTopology.orchestrator(
            shared, WorkerMain.class.getName(), workerEnv, orchestratorOptions);
    WorkflowClient client =
        TemporalConnection.at(
            temporal.address(),
            PayloadEncryption.fromEnvironment(
                name -> name.equals(PayloadEncryption.KEY_FILE) ? keyFile.toString() : null));
    return new RealServerCluster(
        dir,
        cli,
        temporal,
        workerEnv,
        policy,
        shared,
        orchestrator,
        client,
        new OperatorCli(temporal.address(), keyFile));
  }

  /** The payload key file every process of the cluster uses. */
  Path keyFile() {
    return dir.resolve("abafix.key");
  }

  Path cli() {
    return cli;
  }

  TemporalDevServer temporal() {
    return temporal;
  }

  ChildProcess orchestrator() {
    return orchestrator;
  }

  /** A client with the payload key, as the operator's. */
  WorkflowClient client() {
    return client;
  }

  /** The operator's command line, not signed in. */
  OperatorCli operator() {
    return operator;
  }

  /** The tail of the Temporal-wide processes' logs (the orchestrator's), for a failure message. */
  String logs() {
    return shared.logs();
  }

  @Override
  public void close() throws InterruptedException {
    client.getWorkflowServiceStubs().shutdownNow();
    shared.close();
    temporal.close();
  }

  // ------------------------------------------------------------------------------------ labs

  /** The processes of one test's lab, logging to a directory of their own; the test closes them. */
  ProcessGroup processes(String name) throws IOException {
    return new ProcessGroup(Files.createDirectories(dir.resolve(name)));
  }

  /**
   * Starts a lab daemon ({@code --scenario scenario}, unless null, then {@code args}) and its
   * workers in {@code processes}: server and directory workers verify approvals with the lab's
   * keys, and each records them in a ledger of its own in the lab's directory.
   */
  LabTopology lab(
      ProcessGroup processes,
      String name,
      String scenario,
      List<String> args,
      Function<String, List<String>> serverArgs)
      throws Exception {
    List<String> daemonArgs = new ArrayList<>();
    if (scenario != null) daemonArgs.addAll(List.of("--scenario", scenario));
    daemonArgs.addAll(args);
    Path labDir = dir.resolve(name);
    Map<String, String> environment = new HashMap<>(workerEnv);
    // The directory worker's ledger; each server worker is given its own below.
    environment.put(
        "ABAFIX_APPROVAL_LEDGER", labDir.resolve("approvals-directory.jsonl").toString());
    return LabTopology.start(
        processes,
        name,
        labDir.resolve("lab"),
        daemonArgs,
        LabWorkerMain.class.getName(),
        LabWorkerMain.class.getName(),
        environment,
        server -> {
          List<String> all =
              new ArrayList<>(
                  List.of(
                      "--policy",
                      policy.toString(),
                      "--approval-ledger",
                      labDir.resolve("approvals-" + server + ".jsonl").toString()));
          all.addAll(serverArgs.apply(server));
          return all;
        });
  }

  /**
   * {@code abafix remediate --request FILE}'s file: approvals required (by one person; the command
   * line's {@code --two-person} asks for two), the given operator steps, and short waits (the lab's
   * propagation takes a second) with a five-second heartbeat.
   */
  Path request(LabTopology lab, List<String> operatorSteps, String requestedBy) throws IOException {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("tenant", lab.tenant());
    request.put("servers", lab.serverNames());
    request.put("credentialReference", CREDENTIAL);
    request.put("approvals", Map.of("required", true, "twoPerson", false, "timeoutSeconds", 600));
    request.put(
        "timings",
        Map.of(
            "propagationWaitSeconds", 60,
            "pollSeconds", 1,
            "syncCycleWaitSeconds", 60,
            "workerWaitSeconds", 60,
            "heartbeatSeconds", 5));
    request.put("operatorSteps", operatorSteps);
    request.put("requestedBy", requestedBy);
    Path file = Files.createTempFile(dir, "request-", ".json");
    JSON.writeValue(file.toFile(), request);
    return file;
  }

  // ------------------------------------------------------------------------------------ runs

  /**
   * Answers what the run waits on now, as an operator would, once per gate: an approval with {@code
   * abafix approve} as {@link #APPROVER}, an operator step with the wizard at the server and then
   * {@code abafix confirm} as {@link #OPERATOR} (added to {@code confirmed}).
   */
  void answer(
      String id,
      Progress progress,
      LabTopology lab,
      OperatorCli signedIn,
      Set<String> answered,
      List<String> confirmed)
      throws IOException, InterruptedException {
    if (progress.pendingApproval() != null
        && answered.add("approve " + progress.pendingApproval().gate())) {
      signedIn.approve(id, APPROVER);
    } else if (progress.pendingOperatorStep() != null
        && answered.add("confirm " + progress.pendingOperatorStep().gate())) {
      OperatorTask task = progress.pendingOperatorStep();
      lab.operatorStep(task.server(), WIZARD.get(task.step()));
      signedIn.confirm(id, task.step(), task.server(), OPERATOR);
      confirmed.add(task.gate());
    }
  }

  /** The run's progress, waiting for a worker to answer the query (right after a restart). */
  Progress queryProgress(String id) {
    return await(
        () -> {
          try {
            return remediation(id).progress();
          } catch (RuntimeException notYet) {
            // Right after a restart the query waits for a worker to poll again.
            return null;
          }
        },
        Duration.ofMinutes(1),
        "a progress query on " + id);
  }

  Progress awaitProgress(String id, Predicate<Progress> wanted, String what) {
    return await(
        () -> {
          Progress p = queryProgress(id);
          return wanted.test(p) ? p : null;
        },
        Duration.ofMinutes(2),
        what);
  }

  /** Whether the run of {@code id} (its latest) is no longer running, as the server says. */
  boolean isClosed(String id) {
    var info =
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .describeWorkflowExecution(
                DescribeWorkflowExecutionRequest.newBuilder()
                    .setNamespace("default")
                    .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id).build())
                    .build())
            .getWorkflowExecutionInfo();
    return info.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
  }

  SharedAppRemediationWorkflow remediation(String id) {
    return client.newWorkflowStub(SharedAppRemediationWorkflow.class, id);
  }

  /** {@code probe}'s first non-null answer, asked every 100 ms; fails after {@code within}. */
  <T> T await(Supplier<T> probe, Duration within, String what) {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      T value = probe.get();
      if (value != null) return value;
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("no " + what + " within " + within + shared.logs());
  }

  /** What {@code now} counts beyond {@code before}, key by key, without the unchanged keys. */
  static Map<String, Integer> minus(Map<String, Integer> now, Map<String, Integer> before) {
    Map<String, Integer> delta = new TreeMap<>();
    now.forEach(
        (key, count) -> {
          int added = count - before.getOrDefault(key, 0);
          if (added != 0) delta.put(key, added);
        });
    return delta;
  }
}
