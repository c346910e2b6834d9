package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.lab.Lab;
import io.abafix.lab.scenario.Scenario;
import io.abafix.lab.temporal.TemporalDevServer;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.visibility.SearchAttributes;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowFailedException;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a Temporal user sees of abafix on Temporal's own server (the CLI's dev server, with
 * visibility and DescribeTaskQueue): {@code abafix setup}, search attributes on a run, {@code
 * abafix list} and its filters, and {@code abafix status} naming a worker nobody runs.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(180)
class VisibilityOnRealTemporalTest {
  @TempDir static Path dir;
  private static TemporalDevServer temporal;
  private static Path keyFile;
  private static AesGcmPayloadCodec codec;

  @BeforeAll
  static void start() throws Exception {
    temporal = RealTemporal.start(dir);
    keyFile = dir.resolve("abafix.key");
    TestKeyFiles.write(keyFile);
    codec =
        PayloadEncryption.fromEnvironment(
            Map.of(PayloadEncryption.KEY_FILE, keyFile.toString())::get);
  }

  @AfterAll
  static void stop() throws Exception {
    if (temporal != null) temporal.close();
  }

  private static CommandLineRun abafix(String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 4);
    all[args.length] = "--address";
    all[args.length + 1] = temporal.address();
    all[args.length + 2] = "--encryption-key-file";
    all[args.length + 3] = keyFile.toString();
    return CommandLineRun.of(all);
  }

  @Test
  void setup_registers_the_search_attributes_once_and_then_says_they_are_there() throws Exception {
    String namespace = "abafix-setup";
    WorkflowClient client = TemporalConnectionForTests.client(temporal.address(), codec);
    client
        .getWorkflowServiceStubs()
        .blockingStub()
        .registerNamespace(
            RegisterNamespaceRequest.newBuilder()
                .setNamespace(namespace)
                .setWorkflowExecutionRetentionPeriod(
                    com.google.protobuf.Duration.newBuilder().setSeconds(86400))
                .build());
    awaitNamespace(namespace);

    CommandLineRun first = abafix("setup", "--namespace", namespace);
    assertEquals(0, first.exitCode(), first.err());
    assertEquals(
        6, first.out().lines().filter(l -> l.endsWith(" registered")).count(), first.out());
    assertTrue(first.out().contains("AbafixServers        KeywordList  registered"), first.out());

    Map<String, IndexedValueType> registered = attributes(namespace);
    for (var key : SearchAttributes.ALL) {
      assertEquals(key.getValueType(), registered.get(key.getName()), key.getName());
    }

    CommandLineRun second = abafix("setup", "--namespace", namespace);
    assertEquals(0, second.exitCode(), second.err());
    assertEquals(
        6,
        second.out().lines().filter(l -> l.endsWith("already registered")).count(),
        second.out());
    assertTrue(second.out().contains("nothing to do"), second.out());
  }

  @Test
  void a_run_carries_its_search_attributes_and_list_finds_it_by_tenant_wait_and_failure()
      throws Exception {
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);
    try (DemoEnvironment env = DemoEnvironment.startAgainst(lab, temporal.address(), codec)) {
      // Other tests' runs of the same tenant share the workflow id: count this run's lines.
      long failedBefore = lines(abafix("list", "--failed").out(), "COMPENSATED");
      String id = RemediateCommand.start(env.client(), request(lab, lab.serverNames()));
      SharedAppRemediationWorkflow run =
          env.client().newWorkflowStub(SharedAppRemediationWorkflow.class, id);
      PendingApproval pending = awaitApproval(run);

      String waiting = awaitListed(out -> out.contains(id), "list", "--waiting");
      assertTrue(waiting.contains("APPROVAL"), waiting);
      assertTrue(waiting.contains("approval"), waiting);
      assertTrue(abafix("list", "--tenant", lab.tenantDomain()).out().contains(id), "by tenant");
      assertFalse(abafix("list", "--tenant", "fabrikam.com").out().contains(id), "other tenant");
      assertEquals(
          failedBefore, lines(abafix("list", "--failed").out(), "COMPENSATED"), "not failed yet");

      // bob signs in at the lab's Entra ID and rejects, as abafix reject would.
      AutoApprover bob = env.approver("bob");
      Decisions.pin(env.client(), id).decide(pending, false, bob.user(), "not today", bob.signer());
      try {
        env.client().newUntypedWorkflowStub(id).getResult(Object.class);
      } catch (WorkflowFailedException expected) {
        // The rejection compensates and fails the run.
      }
      String failed =
          awaitListed(out -> lines(out, "COMPENSATED") == failedBefore + 1, "list", "--failed");
      assertTrue(failed.lines().anyMatch(l -> l.startsWith(id) && l.contains("Failed")), failed);
      assertFalse(
          abafix("list", "--waiting").out().contains(id), "no longer waiting once it ended");
    }
  }

  @Test
  void status_names_the_worker_nobody_runs() throws Exception {
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("cloned-pair").withoutLatency(), System::currentTimeMillis);
    try (DemoEnvironment env = DemoEnvironment.startAgainst(lab, temporal.address(), codec)) {
      List<String> servers = new java.util.ArrayList<>(lab.serverNames());
      servers.add("SERVERC");
      String id = RemediateCommand.start(env.client(), request(lab, servers));
      try {
        String out = "";
        for (int i = 0; i < 100 && !out.contains("no worker is polling"); i++) {
          Thread.sleep(200);
          out = abafix("status", id).out();
        }
        assertTrue(
            out.contains(
                "no worker is polling abafix-server-serverc@contoso.onmicrosoft.com: start the abafix"
                    + " worker on SERVERC"),
            out);
        assertFalse(out.contains("abafix-server-servera"), "SERVERA's worker polls: " + out);
        assertFalse(out.contains("abafix-orchestrator"), out);
      } finally {
        env.client().newUntypedWorkflowStub(id).terminate("test over");
      }
    }
  }

  private static long lines(String out, String containing) {
    return out.lines().filter(l -> l.contains(containing)).count();
  }

  private static RemediationRequest request(Lab lab, List<String> servers) {
    return new RemediationRequest(
        lab.tenantDomain(),
        servers,
        "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml",
        null,
        false,
        new ApprovalPolicy(true, false, 600),
        new Timings(60, 1, 60, 60),
        "alice");
  }

  private static PendingApproval awaitApproval(SharedAppRemediationWorkflow run)
      throws InterruptedException {
    for (int i = 0; i < 600; i++) {
      PendingApproval pending = run.progress().pendingApproval();
      if (pending != null) return pending;
      Thread.sleep(100);
    }
    throw new AssertionError("no approval asked: " + run.progress());
  }

  /** Visibility is eventually consistent: asks again until {@code done} or ten seconds pass. */
  private static String awaitListed(Predicate<String> done, String... args)
      throws InterruptedException {
    CommandLineRun r = null;
    for (int i = 0; i < 50; i++) {
      r = abafix(args);
      assertEquals(0, r.exitCode(), r.err());
      if (done.test(r.out())) return r.out();
      Thread.sleep(200);
    }
    throw new AssertionError("abafix " + String.join(" ", args) + " never showed it: " + r.out());
  }

  private static Map<String, IndexedValueType> attributes(String namespace) {
    OperatorServiceStubs op =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setTarget(temporal.address())
                .validateAndBuildWithDefaults());
    try {
      return op.blockingStub()
          .listSearchAttributes(
              ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
          .getCustomAttributesMap();
    } finally {
      op.shutdownNow();
    }
  }

  /** A namespace just registered takes a moment to reach every service of the server. */
  private static void awaitNamespace(String namespace) throws InterruptedException {
    RuntimeException last = null;
    for (int i = 0; i < 100; i++) {
      try {
        attributes(namespace);
        return;
      } catch (RuntimeException e) {
        last = e;
        Thread.sleep(200);
      }
    }
    throw new AssertionError("namespace " + namespace + " never became usable", last);
  }

  /** A plain client for the test's own calls. */
  private static final class TemporalConnectionForTests {
    static WorkflowClient client(String address, AesGcmPayloadCodec codec) {
      return WorkflowClient.newInstance(
          io.temporal.serviceclient.WorkflowServiceStubs.newServiceStubs(
              io.temporal.serviceclient.WorkflowServiceStubsOptions.newBuilder()
                  .setTarget(address)
                  .build()),
          WorkflowClientOptions.newBuilder()
              .setDataConverter(PayloadEncryption.dataConverter(codec))
              .build());
    }
  }
}
