package io.abafix.worker.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.model.IdentityType;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.scenario.Scenario;
import io.abafix.worker.Workers;
import io.abafix.workflows.IncidentWorkflow;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.incident.ChildRun;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentPolicy;
import io.abafix.workflows.incident.IncidentReport;
import io.abafix.workflows.incident.IncidentResult;
import io.abafix.workflows.incident.IncidentRules;
import io.abafix.workflows.incident.IncidentState;
import io.abafix.workflows.incident.IncidentStatus;
import io.abafix.workflows.incident.ProposedRun;
import io.abafix.workflows.incident.Remedy;
import io.abafix.workflows.incident.ReportKind;
import io.abafix.workflows.incident.TenantRules;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.DecisionScope;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.Timings;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Event-driven intake end to end: watchers over the production adapters and the lab, reporting by
 * signal-with-start to the incident workflow on a time-skipping Temporal, with the workers wired by
 * {@link Workers} as in production.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class IncidentIntakeTest {
  private static final long DEBOUNCE_SECONDS = 30;

  @TempDir Path dir;
  private TestWorkflowEnvironment env;
  private LabAdapters adapters;
  private Lab lab;

  @AfterEach
  void stop() {
    if (env != null) env.close();
    if (adapters != null) adapters.close();
  }

  private void start(String scenario) {
    env = TestWorkflowEnvironment.newInstance();
    lab =
        Lab.fromScenario(Scenario.fromResource(scenario).withoutLatency(), env::currentTimeMillis);
    adapters = LabAdapters.start(lab);
    WorkerFactory factory = env.getWorkerFactory();
    // The orchestrator's configuration: what each test's watchers ask for, as a tenant's rules.
    Workers.orchestrator(
        factory,
        io.abafix.workflows.audit.AuditSigning.of(
            io.abafix.workflows.audit.AuditSigning.newKeyPair()),
        IncidentRules.of(tenant -> new TenantRules(unattendedByOrchestrator, false)));
    Workers.directory(
        factory, lab.tenantDomain(), adapters.directory(), lab.identities().guard(false));
    adapters
        .hosts()
        .forEach(
            h -> Workers.server(factory, lab.tenantDomain(), h, lab.identities().guard(false)));
    env.start();
  }

  private volatile Set<Remedy> unattendedByOrchestrator = Set.of();

  private IncidentConfig config(Set<Remedy> unattended, Map<String, String> moduleSources) {
    unattendedByOrchestrator = unattended;
    return new IncidentConfig(
        lab.tenantDomain(),
        lab.serverNames(),
        "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml",
        moduleSources,
        new IncidentPolicy(unattended, DEBOUNCE_SECONDS, 3600, false, 30),
        new Timings(120, 1, 120, 30),
        List.of(),
        null);
  }

  /** A reporter that also keeps the incident run each report joined. */
  private static final class Runs implements IncidentReporter {
    final TemporalIncidentReporter temporal;
    final List<WorkflowExecution> executions = new ArrayList<>();

    Runs(TemporalIncidentReporter temporal) {
      this.temporal = temporal;
    }

    @Override
    public void report(IncidentReport report) {
      executions.add(temporal.signalWithStart(report));
    }
  }

  private ServerWatcher watcher(String server, IncidentReporter reporter) {
    Clock clock = Clock.fixed(Instant.ofEpochMilli(env.currentTimeMillis()), ZoneOffset.UTC);
    return Workers.watcher(
            adapters.host(server),
            reporter,
            new WatcherOptions(
                lab.tenantDomain(), Duration.ofSeconds(5), dir.resolve(server + ".json"), null))
        .withClock(clock);
  }

  /**
   * The incident's result, approving each destructive step of the remediation it started as the lab
   * user {@code user} would from the CLI: signed in, the nonce binding this run and gate.
   */
  private IncidentResult resultApprovingTheRemediationAs(String user) throws Exception {
    WorkflowClient client = env.getWorkflowClient();
    CompletableFuture<IncidentResult> result =
        client
            .newUntypedWorkflowStub(WorkflowIds.incident(lab.tenantDomain()))
            .getResultAsync(IncidentResult.class);
    String id = WorkflowIds.remediation(lab.tenantDomain());
    long deadline = System.currentTimeMillis() + 120_000;
    while (!result.isDone() && System.currentTimeMillis() < deadline) {
      try {
        WorkflowStub untyped = client.newUntypedWorkflowStub(id);
        String runId = untyped.describe().getExecution().getRunId();
        SharedAppRemediationWorkflow run =
            client.newWorkflowStub(SharedAppRemediationWorkflow.class, id, Optional.of(runId));
        PendingApproval p = run.progress().pendingApproval();
        if (p != null) {
          DecisionBinding binding =
              new DecisionBinding(
                  client.getOptions().getNamespace(),
                  id,
                  runId,
                  p.gate(),
                  p.planDigest(),
                  p.parameters(),
                  DecisionBinding.APPROVE);
          run.decide(
              new ApprovalRequest(
                  p.gate(),
                  user,
                  true,
                  "ok",
                  p.digest(),
                  ApprovalProof.of(lab.identities().idToken(user, binding.nonce()), binding)));
          continue;
        }
      } catch (io.temporal.client.WorkflowNotFoundException
          | io.grpc.StatusRuntimeException notYet) {
        // The incident has not started its remediation yet.
      }
      env.sleep(Duration.ofSeconds(5));
    }
    return result.get(30, TimeUnit.SECONDS);
  }

  /** The first run of a workflow's chain, which decisions bind. */
  private String chainOf(String workflowId) {
    String runId =
        env.getWorkflowClient()
            .newUntypedWorkflowStub(workflowId)
            .describe()
            .getExecution()
            .getRunId();
    try {
      return io.abafix.activities.approval.TemporalStartedRuns.firstRunId(
          env.getWorkflowClient(), env.getNamespace(), workflowId, runId);
    } catch (io.abafix.activities.approval.ProofRefusedException e) {
      throw new AssertionError(e);
    }
  }

  /** alice approves the whole plan of {@code workflowId} once it asks, as abafix approve would. */
  private void approvePlanAsAlice(String workflowId) throws InterruptedException {
    var run =
        env.getWorkflowClient()
            .newWorkflowStub(
                io.abafix.workflows.ConnectorParameterRepairWorkflow.class, workflowId);
    for (int look = 0; look < 300; look++) {
      List<PendingApproval> open;
      try {
        open = run.progress().pendingApprovals();
      } catch (RuntimeException notStartedYet) {
        open = List.of();
      }
      if (!open.isEmpty()) {
        DecisionBinding plan =
            DecisionScope.binding(
                env.getNamespace(), workflowId, chainOf(workflowId), "PLAN", open, true);
        run.decide(
            new ApprovalRequest(
                "PLAN",
                "alice",
                true,
                "",
                open.get(0).planDigest(),
                ApprovalProof.of(lab.identities().idToken("alice", plan.nonce()), plan)));
        return;
      }
      env.sleep(Duration.ofSeconds(1));
    }
    throw new AssertionError(workflowId + " never asked for approval");
  }

  private IncidentWorkflow incident() {
    return env.getWorkflowClient()
        .newWorkflowStub(IncidentWorkflow.class, WorkflowIds.incident(lab.tenantDomain()));
  }

  private IncidentStatus awaitStatus(Predicate<IncidentStatus> done) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 30_000;
    IncidentStatus s = incident().status();
    while (!done.test(s) && System.currentTimeMillis() < deadline) {
      Thread.sleep(50);
      s = incident().status();
    }
    return s;
  }

  @Test
  void an_aadsts700027_906_on_b_opens_exactly_one_incident_even_when_a_also_reports()
      throws Exception {
    start("seed-pair");
    // B already logged 906; B's certificate rollover now breaks A, whose next cycle logs 906 too.
    lab.rotateCertificateOutOfBand("SERVERB");
    lab.runSyncCycle("SERVERA");
    Runs runs =
        new Runs(
            new TemporalIncidentReporter(
                env.getWorkflowClient(), config(Set.of(Remedy.SHARED_APP_REMEDIATION), Map.of())));

    List<IncidentReport> fromB = watcher("SERVERB", runs).pollOnce();
    List<IncidentReport> fromA = watcher("SERVERA", runs).pollOnce();

    assertEquals(
        List.of(ReportKind.SHARED_APP_CONFLICT), fromB.stream().map(IncidentReport::kind).toList());
    assertEquals(
        List.of(ReportKind.SHARED_APP_CONFLICT), fromA.stream().map(IncidentReport::kind).toList());
    assertEquals(2, runs.executions.size());
    assertEquals(
        runs.executions.get(0).getRunId(),
        runs.executions.get(1).getRunId(),
        "the second report joined the incident the first one started");

    IncidentResult result = resultApprovingTheRemediationAs("alice");

    assertEquals(2, result.reports().size());
    assertEquals(
        List.of(Remedy.SHARED_APP_REMEDIATION),
        result.children().stream().map(ChildRun::remedy).toList(),
        "one remediation for both reports");
    assertEquals(
        "SUCCEEDED", result.children().get(0).outcome(), result.children().get(0).message());
    assertEquals(IncidentResult.RESOLVED, result.outcome(), result.message());
    assertTrue(
        result.audit().stream()
            .anyMatch(e -> e.step().equals("APPROVAL") && "policy".equals(e.actor())));
    LabSnapshot end = lab.snapshot();
    assertTrue(
        end.servers().stream()
            .allMatch(s -> s.identityType() == IdentityType.Application && s.authenticates()));
    assertTrue(
        !end.server("SERVERA").applicationId().equals(end.server("SERVERB").applicationId()));
  }

  @Test
  void a_906_with_aadsts53003_opens_no_incident() {
    start("healthy-fleet");
    lab.logEvent(
        "SERVERA",
        906,
        "Error",
        "[MSAL] AcquireTokenWithCertificate: Exception caught. Original exception: AADSTS53003:"
            + " Access has been blocked by Conditional Access policies.");
    Runs runs =
        new Runs(new TemporalIncidentReporter(env.getWorkflowClient(), config(Set.of(), Map.of())));

    List<IncidentReport> sent = watcher("SERVERA", runs).pollOnce();

    assertEquals(List.of(), sent);
    assertThrows(
        WorkflowNotFoundException.class,
        () ->
            env.getWorkflowClient()
                .newUntypedWorkflowStub(WorkflowIds.incident(lab.tenantDomain()))
                .describe());
  }

  @Test
  void blank_parameters_are_repaired_once_a_person_approves_the_proposal() throws Exception {
    start("blank-parameters");
    lab.saveConnectorInSyncServiceManager("SERVERB");
    TemporalIncidentReporter reporter =
        new TemporalIncidentReporter(
            env.getWorkflowClient(),
            config(Set.of(), Map.of("SERVERB", "D:\\abafix\\modules\\ADSyncTools")));

    watcher("SERVERA", reporter).pollOnce();
    watcher("SERVERB", reporter).pollOnce();
    env.sleep(Duration.ofSeconds(DEBOUNCE_SECONDS + 1));
    IncidentStatus waiting = awaitStatus(s -> s.state() == IncidentState.AWAITING_APPROVAL);

    assertEquals(IncidentState.AWAITING_APPROVAL, waiting.state());
    assertEquals(
        List.of(List.of("SERVERA"), List.of("SERVERB")),
        waiting.proposal().stream().map(ProposedRun::servers).toList());
    // alice signs in at the lab's Entra ID, as abafix approve would.
    PendingApproval proposal = waiting.pendingApproval();
    DecisionBinding binding =
        DecisionScope.binding(
            env.getWorkflowClient().getOptions().getNamespace(),
            WorkflowIds.incident(lab.tenantDomain()),
            chainOf(WorkflowIds.incident(lab.tenantDomain())),
            proposal.gate(),
            List.of(proposal),
            true);
    incident()
        .decide(
            new ApprovalRequest(
                proposal.gate(),
                "alice",
                true,
                "go",
                proposal.digest(),
                ApprovalProof.of(lab.identities().idToken("alice", binding.nonce()), binding)));
    // Each repair asks for the approval of its install and repair: alice approves its plan.
    for (ProposedRun child : waiting.proposal()) approvePlanAsAlice(child.workflowId());
    IncidentResult result =
        env.getWorkflowClient()
            .newUntypedWorkflowStub(WorkflowIds.incident(lab.tenantDomain()))
            .getResult(IncidentResult.class);

    assertEquals(IncidentResult.RESOLVED, result.outcome(), result.message());
    assertEquals(
        List.of("SUCCEEDED", "SUCCEEDED"),
        result.children().stream().map(ChildRun::outcome).toList());
    assertTrue(lab.snapshot().servers().stream().allMatch(s -> s.abaParameters().complete()));
    assertEquals("2.3.1", adapters.host("SERVERB").inspect().adSyncToolsVersion());
    assertTrue(
        result.audit().stream()
            .anyMatch(
                e ->
                    e.step().equals("APPROVAL")
                        && "alice@contoso.onmicrosoft.com (verified)".equals(e.actor())
                        && "APPROVED".equals(e.outcome())));
  }
}
