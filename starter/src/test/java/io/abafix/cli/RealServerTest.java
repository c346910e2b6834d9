package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.model.IdentityType;
import io.abafix.lab.Lab;
import io.abafix.lab.process.LabTopology;
import io.abafix.lab.process.ProcessGroup;
import io.abafix.lab.temporal.TemporalDevServer;
import io.abafix.workflows.IncidentWorkflow;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.incident.ChildRun;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentPolicy;
import io.abafix.workflows.incident.IncidentResult;
import io.abafix.workflows.incident.IncidentStatus;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
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
 * abafix on Temporal's own server ({@code temporal server start-dev} with SQLite persistence, see
 * {@link TemporalDevServer}) instead of the Java test server, through the production topology: the
 * lab daemon, the orchestrator, the directory worker and one worker per server, each its own JVM
 * with its real {@code abafix-worker} command line. The operator's part is the {@code abafix}
 * command line ({@link OperatorCli}).
 *
 * <p>Skipped, with one line saying how to enable it, where the Temporal CLI is missing; failed
 * instead where {@code CI=true}. {@code mvn -B -pl starter -am test -Dgroups=realserver
 * -Dsurefire.failIfNoSpecifiedTests=false} runs it alone.
 */
@Tag("realserver")
@DisplayNameGeneration(ReplaceUnderscores.class)
@DisabledOnOs(value = OS.WINDOWS, disabledReason = "the lab's PowerShell forwarder is a sh script")
class RealServerTest {
  private static final String CREDENTIAL = RealServerCluster.CREDENTIAL;
  private static final String APPROVER = RealServerCluster.APPROVER;
  private static final String OPERATOR = RealServerCluster.OPERATOR;

  /** Long enough to be caught in the middle of, short enough to keep the suite quick. */
  private static final long DESTRUCTIVE_STEP_MILLIS = 2000;

  private static final List<String> DESTRUCTIVE_STEPS =
      List.of(
          "revertToServiceAccount",
          "setMachineIdentifier",
          "deleteApplication",
          "configureApplicationAuthentication");

  /** The journal's steps that wait for approval. */
  private static final Set<String> APPROVED_STEPS =
      Set.of("REVERT_TO_SERVICE_ACCOUNT", "REGENERATE_MACHINE_ID", "DELETE_APPLICATIONS");

  /** Where each lab step shows up in the journal. */
  private static final Map<String, String> JOURNAL_STEP =
      Map.of(
          "revertToServiceAccount", "REVERT_TO_SERVICE_ACCOUNT",
          "setMachineIdentifier", "REGENERATE_MACHINE_ID",
          "deleteApplication", "DELETE_APPLICATIONS",
          "configureApplicationAuthentication", "CONFIGURE_ABA");

  /** When the Temporal server last answered again after a restart, epoch millis. */
  private static final long[] lastRestart = new long[1];

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;

  private static RealServerCluster cluster;
  private static WorkflowClient client;
  private static OperatorCli operator;

  /** This test's lab and workers; the Temporal server and the orchestrator are the class's. */
  private ProcessGroup processes;

  /** The operator, signing decisions in at this test's lab. */
  private OperatorCli signedIn;

  @BeforeAll
  static void startTemporalAndTheOrchestrator() throws Exception {
    cluster = RealServerCluster.start(dir);
    client = cluster.client();
    operator = cluster.operator();
  }

  @AfterAll
  static void stopEverything() throws InterruptedException {
    if (cluster != null) cluster.close();
  }

  @AfterEach
  void stopThisTestsLab() {
    // Another test's server workers poll the same task queues: this lab's must be gone first.
    if (processes != null) processes.close();
  }

  // ------------------------------------------------------------------------------------ tests

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void
      the_cloned_pair_compensates_when_rejected_then_survives_sigkills_of_temporal_and_the_orchestrator()
          throws Exception {
    List<String> daemonArgs =
        new ArrayList<>(List.of("--scenario", "cloned-pair", "--propagation-delay-seconds", "1"));
    for (String step : DESTRUCTIVE_STEPS) {
      daemonArgs.addAll(List.of("--latency", step + "=" + DESTRUCTIVE_STEP_MILLIS));
    }
    LabTopology lab = lab("cloned", null, daemonArgs);
    Path request = request(lab, List.of("CONFIGURE_ABA"));

    // Rejected at the first destructive step: the run compensates and destroys nothing.
    String id = operator.remediate(request);
    awaitProgress(id, p -> p.pendingApproval() != null, "the first approval");
    assertTrue(operator.status(id).out().contains(id), operator.status(id).out());
    signedIn.reject(id, APPROVER);
    assertThrows(
        WorkflowFailedException.class,
        () -> client.newUntypedWorkflowStub(id).getResult(2, TimeUnit.MINUTES, Object.class));
    assertEquals(Outcome.COMPENSATED, remediation(id).progress().outcome());
    for (JsonNode server : lab.snapshot().get("servers")) {
      assertTrue(server.get("syncCycleEnabled").asBoolean(), server + " resumed");
    }
    Map<String, Integer> afterRejection = lab.effects();
    assertEquals(Set.of(), destructiveEffects(afterRejection), "nothing destroyed");

    // Again, approved through abafix approve, while Temporal and then the orchestrator are killed.
    assertEquals(id, operator.remediate(request), "one run per tenant, by id");

    Map<String, Long> figures = new LinkedHashMap<>();
    List<String> confirmed = new ArrayList<>();
    List<String> kills = new ArrayList<>();
    String[] killedMidStep = new String[2];
    RemediationResult result =
        drive(
            id,
            lab,
            confirmed,
            moment -> {
              if (kills.isEmpty() && moment.progress().pendingApproval() != null) {
                // 1. Temporal dies while the run waits for a person.
                String gate = moment.progress().pendingApproval().gate();
                restartTemporal(id, figures, "waiting for approval of " + gate);
                kills.add("Temporal, waiting for approval of " + gate);
                long approved = System.nanoTime();
                signedIn.approve(id, APPROVER);
                awaitStepRunning(lab, figures, approved, "approval to step running");
              } else if (kills.size() == 1 && !moment.running().isEmpty()) {
                // 2. Temporal dies in the middle of a destructive step, and later the orchestrator.
                Lab.StepInProgress step = moment.running().get(0);
                killedMidStep[0] = step.step() + ":" + step.server();
                restartTemporal(id, figures, "in the middle of " + killedMidStep[0]);
                kills.add("Temporal, in the middle of " + killedMidStep[0]);
              } else if (kills.size() == 2
                  && !moment.running().isEmpty()
                  && !(moment.running().get(0).step() + ":" + moment.running().get(0).server())
                      .equals(killedMidStep[0])) {
                Lab.StepInProgress step = moment.running().get(0);
                killedMidStep[1] = step.step() + ":" + step.server();
                cluster.orchestrator().kill();
                long killed = System.nanoTime();
                cluster.orchestrator().restart();
                cluster.orchestrator().awaitPolling();
                figures.put(
                    "orchestrator killed to polling again, ms",
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));
                kills.add("the orchestrator, in the middle of " + killedMidStep[1]);
              }
            });
    assertEquals(
        3,
        kills.size(),
        "kills: " + kills + "; the run: " + result.outcome() + ": " + result.message());
    assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message() + cluster.logs());
    assertRepaired(lab);
    List<AuditEntry> journal = assertWholeAudit(id, result);
    // The wizard's step, done by a person at each server and confirmed with abafix confirm.
    assertEquals(List.of("CONFIGURE_ABA@SERVERB", "CONFIGURE_ABA@SERVERA"), confirmed);
    for (String server : lab.serverNames()) {
      assertEquals(
          OPERATOR + "@contoso.onmicrosoft.com (verified)",
          only(journal, "CONFIGURE_ABA", server).actor(),
          "confirmed by bob, as his sign-in proves");
    }
    String[] killed = killedMidStep[0].split(":");
    AuditEntry midStep =
        only(
            journal,
            JOURNAL_STEP.get(killed[0]),
            "null".equals(killed[1]) ? "directory" : killed[1]);
    figures.put(
        "Temporal restart, in the middle of " + killedMidStep[0] + ", step ended after ms",
        midStep.endedAt() - lastRestart[0]);

    String sharedApp = "0912d31b-1e8a-4c8c-80c1-f73a0d843a73";
    Map<String, Integer> expected = new TreeMap<>();
    for (String server : lab.serverNames()) {
      expected.put("revertToServiceAccount:" + server, 1);
      expected.put("configureApplicationAuthentication:" + server, 1);
      expected.put("setSyncCycleEnabled:" + server, 2);
    }
    expected.put("setMachineIdentifier:SERVERB", 1);
    expected.put("rotateApplicationCertificate:SERVERB", 1);
    expected.put("deleteApplication:" + sharedApp, 1);
    assertEquals(
        expected,
        RealServerCluster.minus(lab.effects(), afterRejection),
        "each effect exactly once" + cluster.logs());
    System.out.println(
        "real server kills: "
            + kills
            + "\nstep killed mid-way: "
            + midStep
            + "\nfigures: "
            + figures);
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void a_server_worker_watching_the_tenant_opens_an_incident_that_repairs_the_seed_pair()
      throws Exception {
    // The tenant's incident policy, in place before anything is reported: proposals wait for a
    // person, reports are gathered for three seconds (the standard minute would only slow this
    // down), and the remediation it starts uses short waits.
    String tenant = "contoso.onmicrosoft.com";
    String incidentId = WorkflowIds.incident(tenant);
    WorkflowClient.start(
        client.newWorkflowStub(
                IncidentWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(incidentId)
                    .setTaskQueue(TaskQueues.ORCHESTRATOR)
                    .build())
            ::handle,
        new IncidentConfig(
            tenant,
            List.of("SERVERA", "SERVERB"),
            CREDENTIAL,
            null,
            new IncidentPolicy(Set.of(), 3, 600, false, 30),
            new Timings(60, 1, 60, 60, 5)));
    LabTopology lab =
        lab(
            "watched",
            "seed-pair",
            List.of("--propagation-delay-seconds", "0"),
            server ->
                List.of(
                    "--watch-tenant",
                    tenant,
                    "--fleet",
                    "SERVERA,SERVERB",
                    "--credential-ref",
                    CREDENTIAL,
                    "--watch-interval-seconds",
                    "5",
                    "--watch-state",
                    dir.resolve("watched-" + server + ".json").toString()));
    IncidentWorkflow incident = client.newWorkflowStub(IncidentWorkflow.class, incidentId);
    IncidentStatus status =
        await(
            () -> {
              try {
                IncidentStatus s = incident.status();
                return s.pendingApproval() != null ? s : null;
              } catch (WorkflowNotFoundException notYet) {
                return null;
              }
            },
            Duration.ofMinutes(2),
            "the watchers' incident to propose a repair");
    assertTrue(
        status.reports().stream().anyMatch(r -> "SERVERB".equalsIgnoreCase(r.server())),
        "SERVERB's watcher reported its event 906: " + status.reports());
    signedIn.approve(incidentId, APPROVER);

    ChildRun child =
        await(
            () -> incident.status().children().stream().findFirst().orElse(null),
            Duration.ofMinutes(1),
            "the approved remediation to start");
    RemediationResult result = drive(child.workflowId(), lab, new ArrayList<>(), moment -> {});
    assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message() + cluster.logs());
    assertWholeAudit(child.workflowId(), result);
    IncidentResult closed =
        client
            .newUntypedWorkflowStub(incidentId)
            .getResult(2, TimeUnit.MINUTES, IncidentResult.class);
    assertEquals(IncidentResult.RESOLVED, closed.outcome(), closed.message());
    assertRepaired(lab);
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void the_demo_runs_against_an_existing_temporal_and_the_run_shows_in_its_workflow_list()
      throws Exception {
    long began = System.currentTimeMillis();
    Path audit = dir.resolve("demo-audit.jsonl");
    CommandLineRun demo = operator.ok("demo", "--json", "--audit-out", audit.toString());
    JsonNode summary = JSON.readTree(demo.out());
    assertEquals("SUCCEEDED", summary.get("outcome").asText(), demo.err());
    assertTrue(demo.err().contains("Temporal at " + cluster.temporal().address()), demo.err());
    assertTrue(!demo.err().contains("embedded Temporal"), demo.err());

    String id = WorkflowIds.remediation("contoso.onmicrosoft.com");
    Process list =
        new ProcessBuilder(
                cluster.cli().toString(),
                "workflow",
                "list",
                "--address",
                cluster.temporal().address(),
                "--query",
                "WorkflowId = '" + id + "'",
                "--output",
                "json")
            .redirectErrorStream(true)
            .start();
    String listed = new String(list.getInputStream().readAllBytes());
    assertTrue(list.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, list.exitValue(), listed);
    boolean found = false;
    for (JsonNode run : JSON.readTree(listed)) {
      if (!run.at("/execution/workflowId").asText().equals(id)) continue;
      long started = java.time.Instant.parse(run.get("startTime").asText()).toEpochMilli();
      if (started >= began - 1000) {
        assertEquals(
            "WORKFLOW_EXECUTION_STATUS_COMPLETED", run.get("status").asText(), run.toString());
        found = true;
      }
    }
    assertTrue(found, "the demo's run in temporal workflow list: " + listed);
  }

  // ------------------------------------------------------------------------------------ driving

  /** One look at a run: its progress and the lab's destructive steps executing right now. */
  private record Moment(Progress progress, List<Lab.StepInProgress> running) {}

  @FunctionalInterface
  private interface Hook {
    void at(Moment moment) throws Exception;
  }

  /**
   * Answers the run as an operator would until it closes: every approval with {@code abafix
   * approve}, every operator step with the wizard at the server and then {@code abafix confirm}.
   * {@code hook} sees every moment first, and may kill things.
   */
  private RemediationResult drive(String id, LabTopology lab, List<String> confirmed, Hook hook)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    Set<String> answered = new HashSet<>();
    while (System.nanoTime() < deadline) {
      if (isClosed(id)) break;
      List<Lab.StepInProgress> running =
          lab.inProgress().stream().filter(s -> DESTRUCTIVE_STEPS.contains(s.step())).toList();
      Progress progress = queryProgress(id);
      hook.at(new Moment(progress, running));
      // Only what the hook has seen is answered: a gate that opened since waits for the next
      // moment, so the hook always gets its chance at it first.
      if (progress.pendingApproval() != null || progress.pendingOperatorStep() != null) {
        cluster.answer(id, queryProgress(id), lab, signedIn, answered, confirmed);
      }
      Thread.sleep(20);
    }
    try {
      return client
          .newUntypedWorkflowStub(id)
          .getResult(30, TimeUnit.SECONDS, RemediationResult.class);
    } catch (WorkflowFailedException e) {
      fail(id + " failed: " + ErrorHandler.rootMessage(e) + cluster.logs());
      throw e;
    }
  }

  /**
   * SIGKILL, then the same database file and port again; records how long the frontend took to
   * answer and how long until the orchestrator answered a query (its poll found the server back).
   */
  private static void restartTemporal(String id, Map<String, Long> figures, String when)
      throws Exception {
    cluster.temporal().kill();
    long killed = System.nanoTime();
    cluster.temporal().restart();
    long up = System.nanoTime();
    lastRestart[0] = System.currentTimeMillis();
    figures.put("Temporal restart, " + when + ", frontend up after ms", ms(up - killed));
    assertNotNull(queryProgress(id));
    figures.put(
        "Temporal restart, " + when + ", run answers queries after ms", ms(System.nanoTime() - up));
  }

  private static void awaitStepRunning(
      LabTopology lab, Map<String, Long> figures, long since, String what) throws Exception {
    await(
        () -> {
          try {
            return lab.inProgress().isEmpty() ? null : Boolean.TRUE;
          } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
          }
        },
        Duration.ofMinutes(1),
        "the approved step to run");
    figures.put(what + ", ms", ms(System.nanoTime() - since));
  }

  private static Progress queryProgress(String id) {
    return cluster.queryProgress(id);
  }

  private static Progress awaitProgress(
      String id, java.util.function.Predicate<Progress> wanted, String what) {
    return cluster.awaitProgress(id, wanted, what);
  }

  private static boolean isClosed(String id) {
    return cluster.isClosed(id);
  }

  private static SharedAppRemediationWorkflow remediation(String id) {
    return cluster.remediation(id);
  }

  // ------------------------------------------------------------------------------------ checks

  /** Every server on an app of its own, signing in, its scheduler resumed; machine ids distinct. */
  private static void assertRepaired(LabTopology lab) throws Exception {
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
  }

  /**
   * The journal exported by {@code abafix audit} is the run's whole journal, in order, its hash
   * chain intact; each destructive step is in it once, after its approval by the approver.
   */
  private static List<AuditEntry> assertWholeAudit(String id, RemediationResult result)
      throws Exception {
    Path out = dir.resolve(id + "-" + System.nanoTime() + ".jsonl");
    operator.audit(id, out);
    List<String> lines = Files.readAllLines(out);
    assertNull(AuditExport.firstBrokenLine(lines), "hash chain intact");
    List<AuditEntry> journal = result.audit();
    assertEquals(journal.size(), lines.size(), "every entry exported");
    for (int i = 0; i < journal.size(); i++) {
      assertEquals(i + 1, journal.get(i).seq(), "no entry missing or repeated: " + journal);
    }
    Set<String> approved = new HashSet<>();
    for (AuditEntry e : journal) {
      if (e.step().equals("APPROVAL")) {
        assertEquals("APPROVED", e.outcome(), e.toString());
        // The journal names whom the sign-in proves, never the name typed.
        assertTrue(
            e.actor().startsWith(APPROVER + "@") && e.actor().endsWith(" (verified)"),
            e.toString());
        approved.add(e.after().get("gate"));
      } else if (APPROVED_STEPS.contains(e.step())) {
        String gate = e.step() + "@" + e.target().toUpperCase(Locale.ROOT);
        assertTrue(
            approved.stream().anyMatch(g -> g.equalsIgnoreCase(gate)),
            gate + " ran after its approval: " + journal);
        if ("OPERATOR".equals(e.executor())) {
          // Done by a person at the server (the revert is an operator step by default): the one
          // who confirmed it, after the approver's approval.
          assertEquals(
              RealServerCluster.OPERATOR + "@contoso.onmicrosoft.com (verified)",
              e.actor(),
              "confirmed by the operator's sign-in: " + e);
          assertTrue(e.detail().contains("approved by " + APPROVER + "@"), e.toString());
        } else {
          assertEquals(
              APPROVER + "@contoso.onmicrosoft.com (verified)",
              e.actor(),
              "run on the approver's word: " + e);
        }
        only(journal, e.step(), e.target());
      }
    }
    for (String server : List.of("SERVERA", "SERVERB")) {
      only(journal, "REVERT_TO_SERVICE_ACCOUNT", server);
      only(journal, "CONFIGURE_ABA", server);
    }
    only(journal, "DELETE_APPLICATIONS", "directory");
    return journal;
  }

  private static AuditEntry only(List<AuditEntry> journal, String step, String target) {
    List<AuditEntry> found =
        journal.stream()
            .filter(e -> e.step().equals(step) && target.equalsIgnoreCase(e.target()))
            .toList();
    assertEquals(1, found.size(), step + " on " + target + " once: " + journal);
    return found.get(0);
  }

  private static Set<String> destructiveEffects(Map<String, Integer> effects) {
    Set<String> destroyed = new HashSet<>();
    for (String key : effects.keySet()) {
      if (DESTRUCTIVE_STEPS.contains(key.substring(0, key.indexOf(':')))) destroyed.add(key);
    }
    return destroyed;
  }

  // ------------------------------------------------------------------------------------ setup

  private LabTopology lab(String name, String scenario, List<String> args) throws Exception {
    return lab(name, scenario, args, server -> List.of());
  }

  private LabTopology lab(
      String name,
      String scenario,
      List<String> args,
      java.util.function.Function<String, List<String>> serverArgs)
      throws Exception {
    processes = cluster.processes(name);
    LabTopology lab = cluster.lab(processes, name, scenario, args, serverArgs);
    signedIn = operator.signingInAt(lab);
    return lab;
  }

  /** A request of carol's, see {@link RealServerCluster#request}. */
  private static Path request(LabTopology lab, List<String> operatorSteps) throws IOException {
    return cluster.request(lab, operatorSteps, "carol");
  }

  private static <T> T await(Supplier<T> probe, Duration within, String what) {
    return cluster.await(probe, within, what);
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
