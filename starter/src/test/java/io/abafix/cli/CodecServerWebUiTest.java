package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.lab.Lab;
import io.abafix.lab.scenario.Scenario;
import io.abafix.lab.temporal.TemporalDevServer;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Temporal Web UI, in headless Chromium, shows a finished remediation's journal in plain text
 * only through {@code abafix codec-server}: first with the codec server down (the UI shows
 * ciphertext), then with it up (the UI shows the journal). Screenshots of both are kept in {@code
 * starter/target/web-ui/}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CodecServerWebUiTest {
  /** Where the screenshots stay after the build, as test artefacts. */
  static final Path SCREENSHOTS = Path.of("target", "web-ui");

  private static final String TOKEN = "web-ui-test-token-0123456789abcdef";

  @TempDir Path dir;

  @Test
  @Timeout(240)
  void the_web_ui_shows_the_journal_only_through_the_codec_server() throws Exception {
    Path cli = RealTemporal.cli();
    ChromiumSession.binary();
    int uiPort = ChromiumSession.freePort();
    int codecPort = ChromiumSession.freePort();
    String uiOrigin = "http://127.0.0.1:" + uiPort;
    String codecEndpoint = "http://127.0.0.1:" + codecPort;

    TestKeyFiles.write(dir.resolve("abafix.key"));
    AesGcmPayloadCodec codec =
        PayloadEncryption.fromEnvironment(
            Map.of(PayloadEncryption.KEY_FILE, dir.resolve("abafix.key").toString())::get);
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);

    Process temporal = startWithUi(cli, uiPort, codecEndpoint);
    String address = "127.0.0.1:" + frontendPort;
    awaitFrontend(address, temporal);
    try (DemoEnvironment env = DemoEnvironment.startAgainst(lab, address, codec)) {
      String id =
          RemediateCommand.start(
              env.client(),
              new RemediationRequest(
                  lab.tenantDomain(),
                  lab.serverNames(),
                  "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml",
                  null,
                  false,
                  new ApprovalPolicy(true, false, 600),
                  new Timings(60, 1, 60, 30),
                  "alice",
                  List.of()));
      // bob signs in at the lab's Entra ID and approves, as abafix approve would.
      new RunFollower(
              env.client(),
              id,
              new java.io.PrintWriter(new java.io.StringWriter()),
              env.approver("bob"),
              java.time.Duration.ofMillis(100))
          .follow();
      WorkflowStub run = env.client().newUntypedWorkflowStub(id);
      RemediationResult result = run.getResult(60, TimeUnit.SECONDS, RemediationResult.class);
      assertEquals(Outcome.SUCCEEDED, result.outcome());
      String journalText = result.audit().get(0).detail();
      assertTrue(journalText.startsWith("tenant " + lab.tenantDomain()), journalText);
      String url =
          uiOrigin
              + "/namespaces/default/workflows/"
              + id
              + "/"
              + run.describe().getExecution().getRunId()
              + "/history";

      try (ChromiumSession chromium = ChromiumSession.start(dir.resolve("profile"))) {
        chromium.extraHeaders(Map.of("Authorization", "Bearer " + TOKEN));

        // The codec server is not running: the UI has only the ciphertext.
        chromium.open(url);
        String encrypted =
            chromium.awaitText(
                t -> t.contains("Workflow Execution Completed") && t.contains("Result"),
                Duration.ofSeconds(60));
        chromium.screenshot(SCREENSHOTS.resolve("without-codec-server.png"));
        assertTrue(encrypted.contains(id), "the run is shown: " + encrypted);
        assertTrue(encrypted.contains("Codec Server could not connect"), encrypted);
        assertFalse(encrypted.contains(journalText), "no journal text: " + encrypted);
        assertFalse(encrypted.contains(result.message()), "no result text: " + encrypted);
        assertFalse(encrypted.contains(lab.serverNames().get(0)), "no server name: " + encrypted);
        assertFalse(chromium.codeText().contains(journalText), "no journal in the payload views");

        try (CodecServer server =
            CodecServer.start("127.0.0.1", codecPort, uiOrigin, TOKEN, codec)) {
          chromium.open(url);
          String decoded =
              chromium.awaitText(t -> t.contains(result.message()), Duration.ofSeconds(60));
          String code = chromium.codeText();
          chromium.screenshot(SCREENSHOTS.resolve("with-codec-server.png"));
          assertTrue(decoded.contains(result.message()), "the result, decoded: " + decoded);
          assertTrue(code.contains(journalText), "the journal, decoded: " + code);
          assertTrue(
              decoded.contains("Inspect server on SERVERA"), "activity summaries: " + decoded);
        }
      }
    } finally {
      temporal.destroyForcibly();
      temporal.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private int frontendPort;

  /**
   * Temporal's dev server with its Web UI (which {@link TemporalDevServer} leaves off), told where
   * the codec server is.
   */
  private Process startWithUi(Path cli, int uiPort, String codecEndpoint) throws Exception {
    frontendPort = ChromiumSession.freePort();
    List<String> command = new ArrayList<>();
    command.addAll(List.of(cli.toString(), "server", "start-dev"));
    command.addAll(List.of("--db-filename", dir.resolve("temporal.db").toString()));
    command.addAll(List.of("--ip", "127.0.0.1", "--port", Integer.toString(frontendPort)));
    command.addAll(List.of("--http-port", Integer.toString(ChromiumSession.freePort())));
    command.addAll(List.of("--metrics-port", Integer.toString(ChromiumSession.freePort())));
    command.addAll(List.of("--ui-port", Integer.toString(uiPort)));
    command.addAll(List.of("--ui-codec-endpoint", codecEndpoint));
    command.addAll(List.of("--log-level", "warn"));
    TemporalDevServer.SEARCH_ATTRIBUTES.forEach(
        (name, type) -> command.addAll(List.of("--search-attribute", name + "=" + type)));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("temporal.log").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("TEMPORAL_"));
    return builder.start();
  }

  private void awaitFrontend(String address, Process temporal) throws Exception {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    try {
      for (int i = 0; i < 600; i++) {
        if (!temporal.isAlive()) {
          throw new AssertionError(
              "the Temporal server exited: " + Files.readString(dir.resolve("temporal.log")));
        }
        try {
          stubs
              .blockingStub()
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
          return;
        } catch (RuntimeException notYet) {
          Thread.sleep(100);
        }
      }
      throw new AssertionError("the Temporal server did not answer at " + address);
    } finally {
      stubs.shutdownNow();
    }
  }
}
