package io.abafix.workflows;

import io.abafix.activities.DirectoryActivities;
import io.abafix.activities.SyncServerActivities;
import io.abafix.activities.TaskQueues;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.incident.ChildRun;
import io.abafix.workflows.incident.Diagnoser;
import io.abafix.workflows.incident.Diagnosis;
import io.abafix.workflows.incident.Finding;
import io.abafix.workflows.incident.FleetFacts;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentPolicy;
import io.abafix.workflows.incident.IncidentReport;
import io.abafix.workflows.incident.IncidentResult;
import io.abafix.workflows.incident.IncidentState;
import io.abafix.workflows.incident.IncidentStatus;
import io.abafix.workflows.incident.ProposedRun;
import io.abafix.workflows.incident.Remedy;
import io.abafix.workflows.internal.DecisionRules;
import io.abafix.workflows.internal.FleetSurvey;
import io.abafix.workflows.internal.StepOptions;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.RepairRequest;
import io.abafix.workflows.model.RepairResult;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.visibility.RunDescriptions;
import io.abafix.workflows.visibility.RunVisibility;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;

/** See {@link IncidentWorkflow}. */
public class IncidentWorkflowImpl implements IncidentWorkflow {
  private static final Logger log = Workflow.getLogger(IncidentWorkflowImpl.class);

  /** The approval gate of an incident: its whole proposal. */
  public static final String PROPOSAL_GATE = "PROPOSAL";

  /** The most debounce windows the gathering waits before it diagnoses anyway. */
  private static final int MAX_DEBOUNCE_WINDOWS = 10;

  private static final String TARGET_TENANT = "tenant";

  private final List<IncidentReport> reports = new ArrayList<>();
  private final Set<String> reportKeys = new LinkedHashSet<>();
  private final List<ChildRun> children = new ArrayList<>();
  private final Map<String, SyncServerActivities> serverStubs = new HashMap<>();

  /** Reports that came before the run itself started (signal-with-start delivers them first). */
  private final List<IncidentReport> early = new ArrayList<>();

  private AuditJournal journal;
  private IncidentConfig config;
  private IncidentState state = IncidentState.COLLECTING;
  private final RunVisibility visibility = new RunVisibility();
  private Diagnosis diagnosis;
  private List<ProposedRun> proposal = List.of();
  private PendingApproval pending;
  private ApprovalRequest decision;

  @Override
  public IncidentResult handle(IncidentConfig config) {
    this.config = config;
    this.journal = new AuditJournal(Workflow.getInfo().getRunId());
    IncidentPolicy policy = config.policy();
    long opened = now();
    journal.record(
        "OPENED",
        TARGET_TENANT,
        Executor.WORKFLOW.name(),
        null,
        opened,
        opened,
        0,
        "INFO",
        Map.of(),
        Map.of(
            "servers", String.join(", ", config.servers()),
            "unattended", String.valueOf(policy.unattended())),
        "incident for " + config.tenant());
    early.forEach(this::record);
    early.clear();

    // Gather: wait for the first report, then until none comes for a whole window.
    Workflow.await(() -> !reports.isEmpty());
    Duration window = Duration.ofSeconds(Math.max(1, policy.debounceSeconds()));
    for (int i = 0; i < MAX_DEBOUNCE_WINDOWS; i++) {
      int seen = reports.size();
      if (!Workflow.await(window, () -> reports.size() > seen)) break;
    }

    state = IncidentState.DIAGNOSING;
    visibility.phase(state.name(), config.tenant());
    FleetFacts facts = survey();
    diagnosis = Diagnoser.diagnose(facts, now(), policy.expiryWarningDays());
    for (Finding f : diagnosis.findings()) {
      Map<String, String> evidence = new LinkedHashMap<>();
      for (int i = 0; i < f.evidence().size(); i++)
        evidence.put("evidence" + (i + 1), f.evidence().get(i));
      evidence.put("remedy", f.remedy().name());
      long at = now();
      journal.record(
          "FINDING",
          String.join(",", f.servers()),
          Executor.WORKFLOW.name(),
          null,
          at,
          at,
          1,
          f.severity(),
          Map.of(),
          evidence,
          f.kind() + ": " + f.summary() + ". Recommended: " + f.recommendation());
    }
    proposal = Diagnoser.propose(diagnosis, facts, config.tenant(), now());
    if (proposal.isEmpty()) {
      return close(
          IncidentResult.NOTHING_TO_FIX,
          diagnosis.healthy()
              ? "the fleet diagnoses healthy: nothing to fix"
              : diagnosis.findings().size()
                  + " finding(s), none that an abafix workflow fixes: see the recommendations",
          List.of());
    }
    for (ProposedRun run : proposal) {
      long at = now();
      Map<String, String> plan = new LinkedHashMap<>();
      plan.put("workflowId", run.workflowId());
      plan.put("remedy", run.remedy().name());
      for (int i = 0; i < run.plan().size(); i++) {
        plan.put(String.format(Locale.ROOT, "step%02d", i + 1), run.plan().get(i).strip());
      }
      long gates = run.plan().stream().filter(l -> l.contains("[needs approval]")).count();
      journal.record(
          "PROPOSAL",
          String.join(",", run.servers()),
          Executor.WORKFLOW.name(),
          null,
          at,
          at,
          0,
          "PROPOSED",
          Map.of(),
          plan,
          run.remedy()
              + " as "
              + run.workflowId()
              + ": "
              + run.plan().size()
              + " steps"
              + (gates == 0 ? "" : ", " + gates + " of them destructive"));
    }

    String approver = approve(policy);
    if (approver == null) {
      return close(
          IncidentResult.DECLINED,
          decision == null
              ? "no decision on the proposal within "
                  + Duration.ofSeconds(policy.approvalTimeoutSeconds()).toMinutes()
                  + " minutes"
              : "the proposal was rejected by " + decision.by(),
          List.of());
    }

    state = IncidentState.REMEDIATING;
    visibility.phase(state.name(), config.tenant());
    for (ProposedRun run : proposal) runChild(run, approver);

    state = IncidentState.VERIFYING;
    visibility.phase(state.name(), config.tenant());
    Diagnosis after = Diagnoser.diagnose(survey(), now(), policy.expiryWarningDays());
    List<Finding> remaining =
        after.findings().stream().filter(f -> f.remedy() != Remedy.NONE).toList();
    long at = now();
    journal.record(
        "VERIFY",
        TARGET_TENANT,
        Executor.WORKFLOW.name(),
        null,
        at,
        at,
        1,
        remaining.isEmpty() ? "DONE" : "FAILED",
        Map.of(),
        Map.of("findings", String.valueOf(after.findings().size())),
        remaining.isEmpty()
            ? "nothing left that a workflow fixes"
                + (after.healthy() ? "" : "; other findings remain, see their recommendations")
            : String.join("; ", remaining.stream().map(Finding::summary).toList()));
    boolean allSucceeded =
        children.stream()
            .allMatch(c -> "SUCCEEDED".equals(c.outcome()) || "NOTHING_TO_DO".equals(c.outcome()));
    return close(
        remaining.isEmpty() && allSucceeded ? IncidentResult.RESOLVED : IncidentResult.UNRESOLVED,
        children.size() + " workflow(s) ran; " + remaining.size() + " fixable finding(s) remain",
        after.findings());
  }

  // ---- signals, updates, queries ----------------------------------------------------------

  @Override
  public void report(IncidentReport report) {
    if (journal == null) {
      // Signal-with-start delivers the signal before the run's method starts.
      early.add(report);
      return;
    }
    record(report);
  }

  private void record(IncidentReport r) {
    if (r == null || r.server() == null || !reportKeys.add(r.key())) return;
    reports.add(r);
    long at = now();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("kind", String.valueOf(r.kind()));
    if (r.eventId() != 0) facts.put("eventId", String.valueOf(r.eventId()));
    if (r.recordId() != 0) facts.put("recordId", String.valueOf(r.recordId()));
    facts.put("observedAt", String.valueOf(r.observedAt()));
    journal.record(
        "REPORT",
        r.server(),
        Executor.AUTOMATED.name(),
        "watcher@" + r.server(),
        at,
        at,
        0,
        "INFO",
        Map.of(),
        facts,
        (state == IncidentState.COLLECTING ? "" : "(noted during " + state + ") ")
            + r.kind()
            + ": "
            + brief(r.evidence()));
  }

  @Override
  public void validateDecision(ApprovalRequest r) {
    DecisionRules.check(r, pending, "this incident has no proposal waiting for a decision", null);
  }

  @Override
  public String decide(ApprovalRequest r) {
    decision = r;
    return pending.gate();
  }

  @Override
  public IncidentStatus status() {
    return new IncidentStatus(
        state,
        reports,
        diagnosis,
        proposal,
        pending,
        children,
        journal == null ? 0 : journal.size());
  }

  @Override
  public List<AuditEntry> audit() {
    return journal == null ? List.of() : journal.entries();
  }

  // ---- steps ------------------------------------------------------------------------------

  private FleetFacts survey() {
    Set<String> servers = new LinkedHashSet<>(config.servers());
    Set<String> upper = new LinkedHashSet<>();
    servers.forEach(s -> upper.add(s.toUpperCase(Locale.ROOT)));
    for (IncidentReport r : reports) {
      if (upper.add(r.server().toUpperCase(Locale.ROOT))) servers.add(r.server());
    }
    DirectoryActivities directory =
        Workflow.newActivityStub(
            DirectoryActivities.class, StepOptions.directory(config.timings()));
    long started = now();
    FleetFacts facts =
        FleetSurvey.observe(config.tenant(), List.copyOf(servers), this::server, directory);
    journal.record(
        "DIAGNOSE",
        TARGET_TENANT,
        Executor.AUTOMATED.name(),
        null,
        started,
        now(),
        1,
        facts.unreachable().isEmpty() ? "DONE" : "PARTIAL",
        Map.of(),
        Map.of(
            "servers", String.join(", ", servers),
            "applications", String.valueOf(facts.observation().applications().size()),
            "unreachable", String.join(", ", facts.unreachable().keySet())),
        "inspected every server and listed the ConnectSyncProvisioning_* apps; nothing changed");
    return facts;
  }

  /** Returns who approved, or null when the proposal was rejected or not decided in time. */
  private String approve(IncidentPolicy policy) {
    long asked = now();
    boolean unattended = proposal.stream().allMatch(r -> policy.isUnattended(r.remedy()));
    if (unattended) {
      journal.record(
          "APPROVAL",
          TARGET_TENANT,
          Executor.WORKFLOW.name(),
          "policy",
          asked,
          asked,
          0,
          "APPROVED",
          Map.of(),
          Map.of("gate", PROPOSAL_GATE),
          "the tenant's policy lets " + policy.unattended() + " run unattended");
      return "policy";
    }
    state = IncidentState.AWAITING_APPROVAL;
    Duration timeout = Duration.ofSeconds(policy.approvalTimeoutSeconds());
    pending =
        new PendingApproval(
            PROPOSAL_GATE,
            String.join(
                "; ",
                proposal.stream()
                    .map(r -> r.remedy() + " on " + String.join(", ", r.servers()))
                    .toList()),
            asked,
            asked + timeout.toMillis());
    visibility.waiting(
        RunVisibility.WAITING_APPROVAL,
        "approval of the proposal: " + pending.description(),
        "abafix approve " + Workflow.getInfo().getWorkflowId() + " --as <your name>",
        "abafix reject " + Workflow.getInfo().getWorkflowId() + " --as <your name>");
    boolean decided = Workflow.await(timeout, () -> decision != null);
    pending = null;
    visibility.doneWaiting();
    if (!decided) {
      journal.record(
          "APPROVAL",
          TARGET_TENANT,
          Executor.OPERATOR.name(),
          null,
          asked,
          now(),
          0,
          "TIMED_OUT",
          Map.of(),
          Map.of("gate", PROPOSAL_GATE),
          "no decision within " + timeout.toMinutes() + " minutes: nothing started");
      return null;
    }
    journal.record(
        "APPROVAL",
        TARGET_TENANT,
        Executor.OPERATOR.name(),
        decision.by(),
        asked,
        now(),
        0,
        decision.approve() ? "APPROVED" : "REJECTED",
        Map.of(),
        Map.of("gate", PROPOSAL_GATE),
        decision.comment() == null ? "" : decision.comment());
    return decision.approve() ? decision.by() : null;
  }

  /** Starts one proposed workflow as a child and waits for it; records how it ended. */
  private void runChild(ProposedRun run, String approver) {
    long started = now();
    ChildWorkflowOptions options =
        RunDescriptions.forProposal(run, config.tenant())
            .applyTo(ChildWorkflowOptions.newBuilder())
            .setWorkflowId(run.workflowId())
            .setTaskQueue(TaskQueues.ORCHESTRATOR)
            // The remediation must finish whatever happens to the incident: never cancel it.
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
            .build();
    String requestedBy =
        "incident " + Workflow.getInfo().getWorkflowId() + " (approved by " + approver + ")";
    int index = children.size();
    children.add(new ChildRun(run.remedy(), run.workflowId(), "RUNNING", null));
    String outcome;
    String message;
    try {
      if (run.remedy() == Remedy.SHARED_APP_REMEDIATION) {
        SharedAppRemediationWorkflow child =
            Workflow.newChildWorkflowStub(SharedAppRemediationWorkflow.class, options);
        boolean unattended = config.policy().isUnattended(run.remedy());
        RemediationRequest request =
            new RemediationRequest(
                config.tenant(),
                fleetServers(),
                config.credentialReference(),
                null,
                false,
                new ApprovalPolicy(
                    !unattended,
                    config.policy().twoPerson(),
                    config.policy().approvalTimeoutSeconds()),
                config.timings(),
                requestedBy);
        Promise<RemediationResult> result = Async.function(child::remediate, request);
        Workflow.getWorkflowExecution(child).get();
        recordChildStarted(run, started);
        RemediationResult r = result.get();
        outcome = r.outcome().name();
        message = r.message();
      } else {
        ConnectorParameterRepairWorkflow child =
            Workflow.newChildWorkflowStub(ConnectorParameterRepairWorkflow.class, options);
        String server = run.servers().get(0);
        RepairRequest request =
            new RepairRequest(
                config.tenant(),
                server,
                config.moduleSourceFor(server),
                config.timings(),
                requestedBy);
        Promise<RepairResult> result = Async.function(child::repair, request);
        Workflow.getWorkflowExecution(child).get();
        recordChildStarted(run, started);
        RepairResult r = result.get();
        outcome = r.outcome().name();
        message = r.message();
      }
    } catch (TemporalFailure e) {
      outcome = "FAILED";
      message = rootMessage(e);
      log.warn("{} ended with a failure: {}", run.workflowId(), message);
    }
    children.set(index, new ChildRun(run.remedy(), run.workflowId(), outcome, message));
    journal.record(
        "CHILD_ENDED",
        String.join(",", run.servers()),
        Executor.WORKFLOW.name(),
        approver,
        started,
        now(),
        1,
        outcome,
        Map.of(),
        Map.of("workflowId", run.workflowId()),
        message);
  }

  private void recordChildStarted(ProposedRun run, long started) {
    journal.record(
        "CHILD_STARTED",
        String.join(",", run.servers()),
        Executor.WORKFLOW.name(),
        null,
        started,
        now(),
        1,
        "DONE",
        Map.of(),
        Map.of("workflowId", run.workflowId(), "remedy", run.remedy().name()),
        "started " + run.workflowId() + " (its journal: abafix audit " + run.workflowId() + ")");
  }

  private List<String> fleetServers() {
    List<String> all = new ArrayList<>(diagnosis.servers());
    return all.isEmpty() ? config.servers() : all;
  }

  private IncidentResult close(String outcome, String message, List<Finding> remaining) {
    state = IncidentState.CLOSED;
    visibility.ended(outcome);
    long at = now();
    journal.record(
        "CLOSED",
        TARGET_TENANT,
        Executor.WORKFLOW.name(),
        null,
        at,
        at,
        0,
        outcome,
        Map.of(),
        Map.of("reports", String.valueOf(reports.size())),
        message);
    return new IncidentResult(
        outcome, message, reports, diagnosis, children, remaining, journal.entries());
  }

  private SyncServerActivities server(String name) {
    return serverStubs.computeIfAbsent(
        name,
        n ->
            Workflow.newActivityStub(
                SyncServerActivities.class, StepOptions.server(n, config.timings())));
  }

  private static String rootMessage(Throwable t) {
    String last = t.getMessage();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ApplicationFailure a) last = a.getOriginalMessage();
      else if (c instanceof TemporalFailure tf) last = tf.getOriginalMessage();
    }
    return last;
  }

  /** The part of an event text a person needs: from the AADSTS code on, shortened. */
  private static String brief(String evidence) {
    if (evidence == null) return "";
    int at = evidence.indexOf("AADSTS");
    String t = at > 0 ? evidence.substring(at) : evidence;
    return t.length() <= 160 ? t : t.substring(0, 160) + "...";
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
