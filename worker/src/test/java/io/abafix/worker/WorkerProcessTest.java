package io.abafix.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.abafix.activities.TaskQueues;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RemediationRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The orchestrator role, as {@code abafix-worker orchestrator} runs it, against a real frontend.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class WorkerProcessTest {
  private static final LocalMachine LINUX = new LocalMachine("Linux", TestKeys.ENVIRONMENT);

  private TestServer.PortBoundTestServer temporal;
  private String address;
  private WorkflowClient client;

  @BeforeEach
  void startTemporal() throws IOException {
    int port = freePort();
    temporal = TestServer.createPortBoundServer(port, true);
    address = "127.0.0.1:" + port;
    client = TemporalConnection.at(address, TestKeys.CODEC);
  }

  @AfterEach
  void stopTemporal() {
    client.getWorkflowServiceStubs().shutdownNow();
    temporal.close();
  }

  @Test
  void the_orchestrator_polls_its_queue_answers_a_run_and_stops_cleanly() throws Exception {
    WorkerProcess process = new WorkerProcess(TestKeys.ENVIRONMENT);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = WorkerMain.commandLine(process, LINUX);
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(() -> cmd.execute("orchestrator", "--address", address));

    waitFor(() -> out.toString().contains("polling"), exit, err);
    assertEquals("polling abafix-orchestrator on " + address + "/default", out.toString().strip());

    // Only a worker polling abafix-orchestrator can answer a query: the round trip proves it.
    String tenant = "contoso.onmicrosoft.com";
    SharedAppRemediationWorkflow run =
        client.newWorkflowStub(
            SharedAppRemediationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .setWorkflowId(WorkflowIds.remediation(tenant))
                .setWorkflowExecutionTimeout(Duration.ofMinutes(5))
                .build());
    WorkflowClient.start(
        run::remediate,
        new RemediationRequest(
                tenant,
                List.of("SERVERA", "SERVERB"),
                "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml",
                null,
                true,
                null,
                null,
                "worker-test")
            .startedAs(
                io.abafix.activities.approval.RunStart.unsigned(
                    io.abafix.activities.approval.RunStart.newStartId(), false)));
    Progress progress = run.progress();
    assertNotNull(progress.outcome());

    process.stop();
    assertEquals(0, exit.get(10, TimeUnit.SECONDS));
    assertEquals("", err.toString());
  }

  @Test
  void a_worker_that_cannot_reach_temporal_says_so_and_exits_4() throws IOException {
    StringWriter err = new StringWriter();
    CommandLine cmd = WorkerMain.commandLine(new WorkerProcess(TestKeys.ENVIRONMENT), LINUX);
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute("orchestrator", "--address", "127.0.0.1:" + freePort());
    assertEquals(ErrorHandler.UNREACHABLE, code);
    assertEquals(1, err.toString().lines().count(), err.toString());
    assertTrue(err.toString().startsWith("abafix-worker: cannot reach Temporal at 127.0.0.1:"));
  }

  private static void waitFor(
      Supplier<Boolean> condition, CompletableFuture<?> exit, StringWriter err)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.get()) {
      if (exit.isDone()) fail("the worker exited: " + exit.join() + " " + err);
      if (System.nanoTime() > deadline) fail("the worker did not start polling: " + err);
      Thread.sleep(20);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
