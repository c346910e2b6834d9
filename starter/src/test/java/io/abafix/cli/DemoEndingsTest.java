package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.worker.TemporalConnection;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationResult;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.RetryState;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A demo run that someone ends from outside is reported as what happened to it, TERMINATED or
 * CANCELED, not as COMPENSATED; and every demo writes its runs with the payload key it is given.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DemoEndingsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTOSO = "contoso.onmicrosoft.com";
  private static final String FABRIKAM = "fabrikam.onmicrosoft.com";

  @TempDir Path dir;

  @Test
  void the_close_status_names_a_run_ended_from_outside_and_the_run_names_its_own_failure() {
    assertEquals(Outcome.TERMINATED, ClosedRun.outcome(closedAs("TERMINATED"), this::unasked));
    assertEquals(Outcome.CANCELED, ClosedRun.outcome(closedAs("CANCELED"), this::unasked));
    assertEquals(Outcome.TIMED_OUT, ClosedRun.outcome(closedAs("TIMED_OUT"), this::unasked));
    assertEquals(
        Outcome.COMPENSATED, ClosedRun.outcome(closedAs("FAILED"), () -> Outcome.COMPENSATED));
    assertEquals(Outcome.FAILED, ClosedRun.outcome(closedAs("FAILED"), () -> Outcome.RUNNING));
    assertEquals(
        Outcome.FAILED,
        ClosedRun.outcome(
            closedAs("FAILED"),
            () -> {
              throw new IllegalStateException("no worker answers");
            }));
  }

  @Test
  @Timeout(120)
  void a_demo_run_terminated_from_outside_is_reported_terminated() throws Exception {
    Map<String, Object> ended = runEnding(Outcome.TERMINATED);
    assertEquals("TERMINATED", ended.get("outcome"), String.valueOf(ended));
    assertTrue(
        ended.get("err").toString().contains("outcome: TERMINATED: the test ends it"),
        ended.get("err").toString());
  }

  @Test
  @Timeout(120)
  void a_demo_run_cancelled_from_outside_is_reported_canceled() throws Exception {
    Map<String, Object> ended = runEnding(Outcome.CANCELED);
    assertEquals("CANCELED", ended.get("outcome"), String.valueOf(ended));
    assertTrue(
        ended.get("err").toString().contains("outcome: CANCELED: "), ended.get("err").toString());
  }

  @Test
  @Timeout(180)
  void the_multi_tenant_demo_names_a_terminated_tenant_and_writes_with_the_key_it_is_given()
      throws Exception {
    Path key = TestKeyFiles.write(dir.resolve("abafix.key"));
    Path contoso = slowed("seed-pair");
    String fabrikam = "fabrikam-pair";
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      WorkflowClient client = TemporalConnection.at(temporal.address(), codecOf(key));
      CompletableFuture<CommandLineRun> demo =
          CompletableFuture.supplyAsync(
              () ->
                  CommandLineRun.of(
                      "demo",
                      "--scenario",
                      contoso.toString(),
                      "--scenario",
                      fabrikam,
                      "--address",
                      temporal.address(),
                      "--encryption-key-file",
                      key.toString(),
                      "--json",
                      "--audit-out",
                      dir.resolve("audit.jsonl").toString()));
      endWhenRunning(
          client,
          WorkflowIds.remediation(CONTOSO),
          demo,
          DemoEndingsTest::inPreflight,
          s -> s.terminate("the test ends it"));
      CommandLineRun run = demo.get();

      assertEquals(ErrorHandler.RUN_FAILED, run.exitCode(), run.err());
      List<JsonNode> tenants = new ArrayList<>();
      for (String line : run.out().strip().split("\n")) tenants.add(JSON.readTree(line));
      assertEquals(CONTOSO, tenants.get(0).path("tenant").asText(), run.out() + run.err());
      assertEquals("TERMINATED", tenants.get(0).path("outcome").asText(), run.out());
      assertEquals("SUCCEEDED", tenants.get(1).path("outcome").asText(), run.out());
      assertTrue(run.err().contains("[" + CONTOSO + "] TERMINATED in "), run.err());
      assertFalse(run.err().contains("] COMPENSATED"), run.err());

      // Written with the key given: a client with that key reads the run's result.
      RemediationResult result =
          client
              .newUntypedWorkflowStub(WorkflowIds.remediation(FABRIKAM))
              .getResult(RemediationResult.class);
      assertEquals(Outcome.SUCCEEDED, result.outcome());
    }
  }

  @Test
  @Timeout(120)
  void the_event_driven_demo_names_an_incident_terminated_from_outside() throws Exception {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      WorkflowClient client =
          TemporalConnection.at(temporal.address(), PayloadEncryption.ephemeral());
      CompletableFuture<CommandLineRun> demo =
          CompletableFuture.supplyAsync(
              () ->
                  CommandLineRun.of(
                      "demo",
                      "--scenario",
                      "rotation-breaks-a",
                      "--address",
                      temporal.address(),
                      "--json",
                      "--audit-out",
                      dir.resolve("audit.jsonl").toString()));
      // The incident gathers reports for two seconds before it diagnoses: end it meanwhile.
      endWhenRunning(
          client,
          WorkflowIds.incident(CONTOSO),
          demo,
          DemoEndingsTest::gathering,
          s -> s.terminate("the test ends it"));
      CommandLineRun run = demo.get();

      assertEquals(ErrorHandler.RUN_FAILED, run.exitCode(), run.out() + run.err());
      assertTrue(run.err().contains("incident: TERMINATED: the test ends it"), run.err());
      assertEquals("TERMINATED", JSON.readTree(run.out()).path("outcome").asText(), run.out());
    }
  }

  /**
   * Runs the one-scenario demo against a Temporal of the test's own, ends its run from outside as
   * {@code how} once it runs, and returns the demo's JSON outcome and its progress on stderr.
   */
  private Map<String, Object> runEnding(Outcome how) throws Exception {
    Path scenario = slowed("seed-pair");
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      WorkflowClient client =
          TemporalConnection.at(temporal.address(), PayloadEncryption.ephemeral());
      CompletableFuture<CommandLineRun> demo =
          CompletableFuture.supplyAsync(
              () ->
                  CommandLineRun.of(
                      "demo",
                      "--scenario",
                      scenario.toString(),
                      "--address",
                      temporal.address(),
                      "--json",
                      "--audit-out",
                      dir.resolve("audit.jsonl").toString()));
      endWhenRunning(
          client,
          WorkflowIds.remediation(CONTOSO),
          demo,
          DemoEndingsTest::inPreflight,
          how == Outcome.TERMINATED ? s -> s.terminate("the test ends it") : WorkflowStub::cancel);
      CommandLineRun run = demo.get();
      assertEquals(ErrorHandler.RUN_FAILED, run.exitCode(), run.out() + run.err());
      assertFalse(run.err().contains("outcome: COMPENSATED"), run.err());
      return Map.of("outcome", JSON.readTree(run.out()).path("outcome").asText(), "err", run.err());
    }
  }

  /**
   * Waits until the run is in the middle of something, with no workflow task of its own in flight,
   * as a run someone ends from outside usually is, then ends it with {@code end}. (The SDK cannot
   * replay, for a query, a run terminated while one of its workflow tasks was in flight.)
   */
  private static void endWhenRunning(
      WorkflowClient client,
      String id,
      CompletableFuture<CommandLineRun> demo,
      Predicate<DescribeWorkflowExecutionResponse> waiting,
      Consumer<WorkflowStub> end)
      throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!waitingAsTold(client, id, waiting)) {
      if (demo.isDone()) throw new AssertionError("the demo ended first: " + demo.get().err());
      if (System.currentTimeMillis() > deadline) throw new AssertionError("no run " + id);
      Thread.sleep(20);
    }
    end.accept(client.newUntypedWorkflowStub(id));
  }

  private static boolean waitingAsTold(
      WorkflowClient client, String id, Predicate<DescribeWorkflowExecutionResponse> waiting) {
    try {
      DescribeWorkflowExecutionResponse d =
          client.newUntypedWorkflowStub(id).describe().getRawDescription();
      return d.getWorkflowExecutionInfo().getHistoryLength() > 4
          && !d.hasPendingWorkflowTask()
          && waiting.test(d);
    } catch (RuntimeException notYet) {
      return false;
    }
  }

  /** A remediation in its preflight, where only the slow reads of the servers are left. */
  private static boolean inPreflight(DescribeWorkflowExecutionResponse d) {
    return d.getPendingActivitiesCount() > 0
        && d.getPendingActivitiesList().stream()
            .allMatch(a -> a.getActivityType().getName().equals("InspectServer"));
  }

  /** An incident gathering reports, on its debounce timer. */
  private static boolean gathering(DescribeWorkflowExecutionResponse d) {
    return d.getPendingActivitiesCount() == 0;
  }

  /** A shipped scenario whose servers answer slowly, so that a run is still going when it ends. */
  private Path slowed(String name) throws Exception {
    ObjectNode scenario;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("scenarios/" + name + ".json")) {
      scenario = (ObjectNode) JSON.readTree(in);
    }
    ((ObjectNode) scenario.path("timing").path("stepLatencyMillis")).put("inspect", 1500);
    return Files.writeString(dir.resolve(name + ".json"), JSON.writeValueAsString(scenario));
  }

  private static io.abafix.workflows.codec.AesGcmPayloadCodec codecOf(Path key) {
    return PayloadEncryption.fromEnvironment(
        Map.of(PayloadEncryption.KEY_FILE, key.toString())::get);
  }

  private Outcome unasked() {
    throw new AssertionError("a run ended from outside is named by its close status alone");
  }

  private static WorkflowFailedException closedAs(String status) {
    return new WorkflowFailedException(
        WorkflowExecution.newBuilder().setWorkflowId("abafix-remediation-x").build(),
        "SharedAppRemediationWorkflow",
        EventType.valueOf("EVENT_TYPE_WORKFLOW_EXECUTION_" + status),
        0,
        RetryState.RETRY_STATE_UNSPECIFIED,
        null);
  }
}
