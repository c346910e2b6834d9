package io.abafix.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.abafix.activities.TaskQueues;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.model.RemediationRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.testserver.TestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A worker started with {@code --metrics-port} serves the Temporal SDK's series for Prometheus. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class WorkerMetricsTest {
  /** The orchestrator's signing key comes from the machine's environment, as in production. */
  private static final LocalMachine LINUX = new LocalMachine("Linux", TestKeys.ENVIRONMENT);

  @Test
  void after_a_run_the_endpoint_serves_the_series_the_readme_says_to_alert_on() throws Exception {
    int port = WorkerProcessTest.freePort();
    TestServer.PortBoundTestServer temporal = TestServer.createPortBoundServer(port, true);
    String address = "127.0.0.1:" + port;
    WorkflowClient client = TemporalConnection.at(address, TestKeys.CODEC);
    WorkerProcess process = new WorkerProcess(TestKeys.ENVIRONMENT);
    try {
      StringWriter out = new StringWriter();
      CommandLine cmd = WorkerMain.commandLine(process, LINUX);
      cmd.setOut(new PrintWriter(out, true));
      CompletableFuture<Integer> exit =
          CompletableFuture.supplyAsync(
              () -> cmd.execute("orchestrator", "--address", address, "--metrics-port", "0"));
      Matcher endpoint = Pattern.compile("metrics on (http://\\S+/metrics)").matcher("");
      for (int i = 0; i < 500 && !out.toString().contains("polling"); i++) {
        if (exit.isDone()) fail("the worker exited: " + out);
        Thread.sleep(20);
      }
      assertTrue(endpoint.reset(out.toString()).find(), out.toString());
      URI metrics = URI.create(endpoint.group(1));

      // A run that the workflow refuses at once: it needs no activity worker, and it ends.
      SharedAppRemediationWorkflow run =
          client.newWorkflowStub(
              SharedAppRemediationWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setTaskQueue(TaskQueues.ORCHESTRATOR)
                  .setWorkflowId(WorkflowIds.remediation("contoso.onmicrosoft.com"))
                  .build());
      assertThrows(
          WorkflowFailedException.class,
          () ->
              run.remediate(
                  new RemediationRequest(
                      "contoso.onmicrosoft.com", List.of(), null, null, true, null, null, "t")));

      // A workflow task the worker cannot complete (here: a type it does not host), as a
      // non-determinism error or an unregistered search attribute would be.
      client
          .newUntypedWorkflowStub(
              "NoSuchWorkflow",
              WorkflowOptions.newBuilder()
                  .setTaskQueue(TaskQueues.ORCHESTRATOR)
                  .setWorkflowId("abafix-metrics-test")
                  .setWorkflowRunTimeout(Duration.ofMinutes(1))
                  .build())
          .start();

      String body = "";
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0;
          i < 150 && !body.contains("temporal_workflow_task_execution_failed_total");
          i++) {
        Thread.sleep(100);
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        body = r.body();
      }
      assertTrue(body.contains("temporal_workflow_failed_total"), body);
      assertTrue(body.contains("temporal_workflow_task_schedule_to_start_latency_seconds"), body);
      assertTrue(body.contains("task_queue=\"abafix-orchestrator\""), body);
      assertTrue(
          body.contains("temporal_workflow_task_execution_failed"),
          "named in docs/operations.md: " + body);
      process.stop();
      assertEquals(0, exit.get(10, TimeUnit.SECONDS));
    } finally {
      process.stop();
      client.getWorkflowServiceStubs().shutdownNow();
      temporal.close();
    }
  }
}
