package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.lab.process.ChildProcess;
import io.abafix.lab.process.LabTopology;
import io.abafix.lab.process.ProcessGroup;
import io.abafix.worker.TemporalConnection;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.model.CancelRequest;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RemediationResult;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.payload.context.WorkflowSerializationContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads abafix did not write, on Temporal's own server and the production topology ({@link
 * RealServerCluster}): a signal sent in plain text (as {@code temporal workflow signal --input}
 * sends it) and one encrypted under another key reach a running remediation. The orchestrator drops
 * both, says so in its log and its metrics, answers {@code abafix status} and the progress query
 * throughout, and the run ends SUCCEEDED. Then {@code temporal workflow show} reads such a run's
 * whole history through {@code abafix codec-server} in a few seconds.
 *
 * <p>Skipped, like {@link RealServerTest}, where the Temporal CLI is missing. {@code mvn -B -pl
 * starter test -Dtest=RealServerPayloadsTest -Dsurefire.failIfNoSpecifiedTests=false} runs it
 * alone.
 */
@Tag("realserver")
@DisplayNameGeneration(ReplaceUnderscores.class)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the lab's PowerShell forwarder is a sh script")
class RealServerPayloadsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "codec-server-access-token-0123456789";

  /** What {@code temporal workflow show} printed, kept after the build as a test artefact. */
  static final Path SHOWN = Path.of("target", "workflow-show", "history.json");

  /** What the forged signals say; it must not reach the journal, nor any log. */
  private static final String PLAIN_REASON = "forged in plain text";

  private static final String FOREIGN_REASON = "forged under another key";

  @TempDir static Path dir;

  private static RealServerCluster cluster;
  private static WorkflowClient client;

  /** The orchestrator's Prometheus endpoint. */
  private static URI metrics;

  /** This test's lab and workers; the Temporal server and the orchestrator are the class's. */
  private ProcessGroup processes;

  /** The operator, signing in at this test's lab. */
  private OperatorCli signedIn;

  @BeforeAll
  static void startTemporalAndTheOrchestrator() throws Exception {
    cluster = RealServerCluster.start(dir, List.of("--metrics-port", "0"));
    client = cluster.client();
    String line =
        cluster.orchestrator().awaitLine(l -> l.startsWith("metrics on "), Duration.ofSeconds(30));
    metrics = URI.create(line.substring("metrics on ".length()).trim());
  }

  @AfterAll
  static void stopEverything() throws InterruptedException {
    if (cluster != null) cluster.close();
  }

  @AfterEach
  void stopThisTestsLab() {
    if (processes != null) processes.close();
  }

  // ------------------------------------------------------------------------------------ tests

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void signals_the_codec_refuses_are_dropped_and_the_run_succeeds_answering_status_throughout()
      throws Exception {
    LabTopology lab = lab("dropped-signals");
    String id = signedIn.remediate(cluster.request(lab, List.of(), "carol"));
    cluster.awaitProgress(id, p -> p.pendingApproval() != null, "the plan's approval");
    double droppedBefore = corruptedSignals();

    sendForgedSignals(id);

    RemediationResult result = driveToTheEnd(id, lab);
    assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message() + cluster.logs());
    assertTrue(
        result.audit().stream().noneMatch(e -> e.step().equals("CANCEL_REQUESTED")),
        "no forged reason in the journal: " + result.audit());
    signedIn.status(id);

    // Counted once each (the SDK's own counter, which a replay does not count again) ...
    double dropped =
        cluster.await(
            () -> {
              double now = corruptedSignals() - droppedBefore;
              return now >= 2 ? now : null;
            },
            Duration.ofSeconds(30),
            "two corrupted signals in " + metrics);
    assertEquals(2.0, dropped, "temporal_corrupted_signals_total");
    // ... and logged, without what they said.
    String log = logOf(cluster.orchestrator());
    List<String> said =
        log.lines()
            .filter(l -> l.contains("Dropping it") || l.contains("RefusedPayloadException"))
            .toList();
    System.out.println(
        "dropped signals: "
            + dropped
            + ", the orchestrator said first: "
            + said.subList(0, Math.min(4, said.size())));
    assertTrue(
        said.stream()
            .anyMatch(
                l -> l.contains("Failure deserializing signal input for \"explainCancellation\"")),
        "the drop is logged: " + said);
    assertTrue(said.stream().anyMatch(l -> l.contains("not encrypted")), "plain text: " + said);
    assertTrue(said.stream().anyMatch(l -> l.contains("does not decrypt")), "other key: " + said);
    assertFalse(
        log.contains(PLAIN_REASON) || log.contains(FOREIGN_REASON),
        "what a forged signal said is in the orchestrator's log");
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void temporal_workflow_show_reads_a_whole_finished_run_through_the_codec_server()
      throws Exception {
    LabTopology lab = lab("workflow-show");
    String id = signedIn.remediate(cluster.request(lab, List.of(), "carol"));
    cluster.awaitProgress(id, p -> p.pendingApproval() != null, "the plan's approval");
    sendForgedSignals(id);
    RemediationResult result = driveToTheEnd(id, lab);
    assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message() + cluster.logs());
    String journal = result.audit().get(0).detail();

    // abafix codec-server in a JVM of its own, as an operator runs it.
    Path token = Files.writeString(dir.resolve("codec-token.txt"), TOKEN);
    ChildProcess codecServer =
        processes.java(
            "codec-server",
            Abafix.class.getName(),
            List.of(
                "codec-server",
                "--port",
                "0",
                "--ui-origin",
                "http://localhost:8233",
                "--access-token-file",
                token.toString(),
                "--encryption-key-file",
                cluster.keyFile().toString()),
            Map.of(),
            false);
    String ready =
        codecServer.awaitLine(l -> l.startsWith("codec server on "), Duration.ofSeconds(30));
    String endpoint = ready.split(" ")[3];

    long start = System.nanoTime();
    Process show =
        new ProcessBuilder(
                cluster.cli().toString(),
                "workflow",
                "show",
                "--address",
                cluster.temporal().address(),
                "--workflow-id",
                id,
                "--output",
                "json",
                "--codec-endpoint",
                endpoint,
                "--codec-auth",
                "Bearer " + TOKEN)
            .redirectError(dir.resolve("workflow-show.err").toFile())
            .start();
    show.getOutputStream().close();
    byte[] out = show.getInputStream().readAllBytes();
    boolean ended = show.waitFor(60, TimeUnit.SECONDS);
    long millis = (System.nanoTime() - start) / 1_000_000;
    show.destroyForcibly();
    String err = Files.readString(dir.resolve("workflow-show.err"));
    String shown = new String(out, StandardCharsets.UTF_8);
    Files.createDirectories(SHOWN.getParent());
    Files.write(SHOWN, out);
    assertTrue(ended, "temporal workflow show still running after 60 s: " + err);
    assertEquals(0, show.exitValue(), "after " + millis + " ms: " + err + codecServer.tail());
    System.out.println(
        "temporal workflow show with the codec server: "
            + millis
            + " ms, "
            + shown.length()
            + " characters");
    assertTrue(millis < 10_000, "took " + millis + " ms: " + err + codecServer.tail());

    // Every payload abafix wrote is shown decoded: the input, the journal, the result.
    List<String> texts = new ArrayList<>();
    List<JsonNode> stillEncrypted = new ArrayList<>();
    walk(JSON.readTree(shown), texts, stillEncrypted);
    assertTrue(texts.contains("carol"), "the requester, from the start input");
    assertTrue(texts.contains(journal), "the journal's first entry: " + journal);
    assertTrue(texts.contains(result.message()), "the result: " + result.message());
    // The plain-text signal is shown as it came; the one under another key stays ciphertext.
    assertTrue(texts.contains(PLAIN_REASON), "the plain-text signal");
    assertFalse(shown.contains(FOREIGN_REASON));
    assertEquals(1, stillEncrypted.size(), "only the foreign signal: " + stillEncrypted);
    assertTrue(
        logOf(codecServer).contains("passed on a payload still encrypted"), logOf(codecServer));
  }

  // ------------------------------------------------------------------------------------ helpers

  /**
   * A signal in plain text, as the Temporal CLI sends it, then one encrypted under another key,
   * each checked: the orchestrator's workflow task that saw it completed, and the run answers.
   */
  private void sendForgedSignals(String id) throws Exception {
    Process plain =
        new ProcessBuilder(
                cluster.cli().toString(),
                "workflow",
                "signal",
                "--address",
                cluster.temporal().address(),
                "--workflow-id",
                id,
                "--name",
                "explainCancellation",
                "--input",
                "{\"reason\": \"" + PLAIN_REASON + "\", \"by\": \"mallory\"}")
            .redirectErrorStream(true)
            .start();
    String said = new String(plain.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(plain.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, plain.exitValue(), said);
    assertSignalHandled(id, 1);
    assertAnswers(id);

    Path otherKey = TestKeyFiles.write(dir.resolve("other-" + id.hashCode() + ".key"));
    AesGcmPayloadCodec other =
        PayloadEncryption.fromEnvironment(
            Map.of(PayloadEncryption.KEY_FILE, otherKey.toString())::get);
    WorkflowClient foreign = TemporalConnection.at(cluster.temporal().address(), other);
    try {
      foreign
          .newWorkflowStub(SharedAppRemediationWorkflow.class, id)
          .explainCancellation(new CancelRequest(FOREIGN_REASON, "mallory"));
    } finally {
      foreign.getWorkflowServiceStubs().shutdownNow();
    }
    assertSignalHandled(id, 2);
    assertAnswers(id);
  }

  /**
   * Waits for the workflow task that first saw the run's {@code n}th signal to end, and fails with
   * its error when it failed (what a signal the SDK cannot read did before: every workflow task of
   * the run failed from then on).
   */
  private void assertSignalHandled(String id, int n) {
    String outcome =
        cluster.await(
            () -> {
              List<HistoryEvent> events = client.fetchHistory(id).getEvents();
              int signals = 0;
              int i = 0;
              for (; i < events.size(); i++) {
                if (events.get(i).getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
                    && ++signals == n) {
                  break;
                }
              }
              boolean started = false;
              for (i++; i < events.size(); i++) {
                HistoryEvent e = events.get(i);
                switch (e.getEventType()) {
                  case EVENT_TYPE_WORKFLOW_TASK_STARTED -> started = true;
                  case EVENT_TYPE_WORKFLOW_TASK_COMPLETED -> {
                    if (started) return "completed";
                  }
                  case EVENT_TYPE_WORKFLOW_TASK_FAILED -> {
                    if (started) {
                      return "failed: "
                          + causes(
                              client
                                  .getOptions()
                                  .getDataConverter()
                                  .withContext(new WorkflowSerializationContext("default", id))
                                  .failureToException(
                                      e.getWorkflowTaskFailedEventAttributes().getFailure()));
                    }
                  }
                  default -> {
                    // Other events between the signal and its workflow task.
                  }
                }
              }
              return null;
            },
            Duration.ofMinutes(1),
            "a workflow task after signal " + n + " of " + id);
    assertEquals("completed", outcome, "the workflow task that saw signal " + n + cluster.logs());
  }

  /** A failure's message and its causes', one after the other. */
  private static String causes(Throwable failure) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) messages.add(t.getMessage());
    return String.join("; caused by ", messages);
  }

  /** {@code abafix status} and the progress query answer, at once. */
  private Progress assertAnswers(String id) {
    CommandLineRun status = signedIn.status(id);
    assertFalse(status.out().isBlank(), status.err());
    Progress progress = cluster.remediation(id).progress();
    assertNotNull(progress);
    return progress;
  }

  /**
   * Answers the run as an operator would until it closes, asking {@code abafix status} and the
   * progress query at every step.
   */
  private RemediationResult driveToTheEnd(String id, LabTopology lab) throws Exception {
    Set<String> answered = new HashSet<>();
    List<String> confirmed = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!cluster.isClosed(id)) {
      if (System.nanoTime() > deadline) fail(id + " never closed" + cluster.logs());
      Progress progress = assertAnswers(id);
      cluster.answer(id, progress, lab, signedIn, answered, confirmed);
      Thread.sleep(100);
    }
    return client
        .newUntypedWorkflowStub(id)
        .getResult(30, TimeUnit.SECONDS, RemediationResult.class);
  }

  /**
   * What a child process logged: its output, and the file the tests' logging configuration ({@code
   * logback-test.xml}) writes in its working directory.
   */
  private static String logOf(ChildProcess process) throws IOException {
    Path output = process.log();
    Path logged = output.resolveSibling("target").resolve("abafix-test.log");
    return Files.readString(output) + (Files.exists(logged) ? Files.readString(logged) : "");
  }

  /** The orchestrator's {@code temporal_corrupted_signals_total}, over every series. */
  private static double corruptedSignals() {
    try {
      String body =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
              .body();
      return body.lines()
          .filter(l -> l.startsWith("temporal_corrupted_signals_total"))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
          .sum();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every text in {@code node}, looking into every payload the CLI printed decoded ({@code
   * json/plain}, its data in base64), and every payload it printed still in abafix's encoding.
   */
  private static void walk(JsonNode node, List<String> texts, List<JsonNode> stillEncrypted)
      throws IOException {
    if (node.isTextual()) {
      texts.add(node.asText());
      return;
    }
    String encoding = base64Text(node.path("metadata").path("encoding"));
    if (node.isObject() && encoding != null) {
      if (encoding.equals(AesGcmPayloadCodec.ENCODING)) {
        stillEncrypted.add(node);
        return;
      }
      if (encoding.equals("json/plain") && node.has("data")) {
        walk(JSON.readTree(base64Text(node.get("data"))), texts, stillEncrypted);
        return;
      }
    }
    for (JsonNode child : node) walk(child, texts, stillEncrypted);
  }

  private static String base64Text(JsonNode node) {
    if (!node.isTextual()) return null;
    return new String(Base64.getDecoder().decode(node.asText()), StandardCharsets.UTF_8);
  }

  private LabTopology lab(String name) throws Exception {
    processes = cluster.processes(name);
    LabTopology lab =
        cluster.lab(
            processes,
            name,
            "seed-pair",
            List.of("--propagation-delay-seconds", "1"),
            server -> List.of());
    signedIn = cluster.operator().signingInAt(lab);
    return lab;
  }
}
