package io.abafix.workflows;

import io.abafix.activities.SyncServerActivities;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.incident.Diagnosis;
import io.abafix.workflows.incident.Finding;
import io.abafix.workflows.incident.FleetFacts;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentPolicy;
import io.abafix.workflows.incident.IncidentReport;
import io.abafix.workflows.incident.IncidentResult;
import io.abafix.workflows.incident.IncidentRules;
import io.abafix.workflows.incident.IncidentState;
import io.abafix.workflows.incident.IncidentStatus;
import io.abafix.workflows.incident.ProposedRun;
import io.abafix.workflows.incident.Remedy;
import io.abafix.workflows.internal.Gates;
import io.abafix.workflows.internal.Route;
import io.abafix.workflows.internal.StepOptions;
import io.abafix.workflows.internal.incident.Assessment;
import io.abafix.workflows.internal.incident.ChildRuns;
import io.abafix.workflows.internal.incident.Proposals;
import io.abafix.workflows.internal.incident.Reports;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.visibility.RunVisibility;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * See {@link IncidentWorkflow}. Gather, diagnose, propose, approve, remediate, verify, close; the
 * approval is a {@link Gates} gate, the reports and the children are components of their own.
 */
public class IncidentWorkflowImpl implements IncidentWorkflow {
  /** Failure type of an incident whose orchestrator could not give its tenant's rules. */
  public static final String RULES_UNAVAILABLE = "abafix.IncidentRulesUnavailable";

  /** How often an incident asks its orchestrator for its tenant's rules before it fails. */
  static final int RULES_ATTEMPTS = 3;

  /** The approval gate of an incident: its whole proposal. */
  public static final String PROPOSAL_GATE = Proposals.GATE;

  /** The most debounce windows the gathering waits before it diagnoses anyway. */
  private static final int MAX_DEBOUNCE_WINDOWS = 10;

  private static final String TARGET_TENANT = "tenant";

  private final Map<String, SyncServerActivities> serverStubs = new HashMap<>();

  /** Reports that came before the run itself started (signal-with-start delivers them first). */
  private final List<IncidentReport> early = new ArrayList<>();

  private final RunVisibility visibility = new RunVisibility();

  private AuditJournal journal;
  private Reports reports;
  private Gates gates;
  private ChildRuns children;
  private IncidentConfig config;
  private Route route;

  private IncidentState state = IncidentState.COLLECTING;
  private Diagnosis diagnosis;
  private List<ProposedRun> proposal = List.of();

  @Override
  public IncidentResult handle(IncidentConfig requested) {
    this.config = withOrchestratorRules(requested);
    IncidentConfig config = this.config;
    this.route = Route.of(config.tenant());
    journal = new AuditJournal(Workflow.getInfo().getRunId());
    reports = new Reports(journal, () -> state.name());
    gates =
        Gates.inWorkflow(
            journal, route, "this incident has no proposal waiting for a decision", null);
    children = new ChildRuns(config, journal);
    IncidentPolicy policy = config.policy();
    journal
        .entry("OPENED")
        .target(TARGET_TENANT)
        .executor(Executor.WORKFLOW.name())
        .at(now())
        .outcome("INFO")
        .after(
            Map.of(
                "servers", String.join(", ", config.servers()),
                "unattended", String.valueOf(policy.unattended()),
                "carried", String.valueOf(config.carried().size())))
        .detail(
            "incident for "
                + config.tenant()
                + (config.carried().isEmpty() ? "" : ", continuing with reports not acted on yet"))
        .record();
    config.carried().forEach(r -> reports.add(r, false));
    early.forEach(r -> reports.add(r, false));
    early.clear();

    // Gather: wait for the first report, then until none comes for a whole window.
    Workflow.await(() -> reports.size() > 0 || historyFull());
    Duration window = Duration.ofSeconds(Math.max(1, policy.debounceSeconds()));
    for (int i = 0; i < MAX_DEBOUNCE_WINDOWS && !historyFull(); i++) {
      int seen = reports.size();
      if (!Workflow.await(window, () -> reports.size() > seen || historyFull())) break;
    }
    if (historyFull()) continueWith(reports.all(), "the history is long");

    state = IncidentState.DIAGNOSING;
    visibility.phase(state.name(), config.tenant());
    reports.markDiagnosed();
    FleetFacts facts = survey();
    Assessment assessment = Proposals.assess(facts, config);
    diagnosis = assessment.diagnosis();
    proposal = assessment.proposal();
    Proposals.record(journal, diagnosis, proposal);
    if (proposal.isEmpty()) {
      return close(
          IncidentResult.NOTHING_TO_FIX,
          diagnosis.healthy()
              ? "the fleet diagnoses healthy: nothing to fix"
              : diagnosis.findings().size()
                  + " finding(s), none that an abafix workflow fixes: see the recommendations",
          List.of());
    }

    if (!proposal.stream().allMatch(r -> policy.isUnattended(r.remedy()))) {
      state = IncidentState.AWAITING_APPROVAL;
      visibility.waiting(
          RunVisibility.WAITING_APPROVAL,
          "approval of the proposal",
          "abafix status " + Workflow.getInfo().getWorkflowId() + "   (prints the exact command)");
    }
    Gates.Settled decision = Proposals.approve(gates, proposal, policy);
    visibility.doneWaiting();
    if (!decision.approved()) {
      return close(
          IncidentResult.DECLINED,
          decision.by() == null
              ? "no decision on the proposal within "
                  + Duration.ofSeconds(policy.approvalTimeoutSeconds()).toMinutes()
                  + " minutes"
              : "the proposal was rejected by " + decision.by(),
          List.of());
    }

    state = IncidentState.REMEDIATING;
    visibility.phase(state.name(), config.tenant());
    List<String> fleet = diagnosis.servers().isEmpty() ? config.servers() : diagnosis.servers();
    for (ProposedRun run : proposal) children.run(run, decision, fleet);

    state = IncidentState.VERIFYING;
    visibility.phase(state.name(), config.tenant());
    Diagnosis after = Proposals.assess(survey(), config).diagnosis();
    List<Finding> remaining =
        after.findings().stream().filter(f -> f.remedy() != Remedy.NONE).toList();
    journal
        .entry("VERIFY")
        .target(TARGET_TENANT)
        .executor(Executor.WORKFLOW.name())
        .at(now())
        .attempts(1)
        .outcome(remaining.isEmpty() ? "DONE" : "FAILED")
        .after(Map.of("findings", String.valueOf(after.findings().size())))
        .detail(
            remaining.isEmpty()
                ? "nothing left that a workflow fixes"
                    + (after.healthy() ? "" : "; other findings remain, see their recommendations")
                : String.join("; ", remaining.stream().map(Finding::summary).toList()))
        .record();
    return close(
        remaining.isEmpty() && children.allSucceeded()
            ? IncidentResult.RESOLVED
            : IncidentResult.UNRESOLVED,
        count(children.all().size(), "remediation")
            + " ran; "
            + count(remaining.size(), "fixable finding")
            + (remaining.size() == 1 ? " remains" : " remain"),
        after.findings());
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  // ---- signals, updates, queries ----------------------------------------------------------

  @Override
  public void report(IncidentReport report) {
    if (journal == null) {
      // Signal-with-start delivers the signal before the run's method starts.
      early.add(report);
      return;
    }
    reports.add(report, state != IncidentState.COLLECTING);
  }

  @Override
  public void validateDecision(ApprovalRequest r) {
    if (gates == null) throw new IllegalStateException("the incident has not started yet");
    gates.validate(r);
  }

  @Override
  public String decide(ApprovalRequest r) {
    return gates.decide(r);
  }

  @Override
  public IncidentStatus status() {
    List<IncidentReport> all = reports == null ? List.of() : reports.all();
    var pending =
        gates == null ? List.<io.abafix.workflows.model.PendingApproval>of() : gates.pending();
    return new IncidentStatus(
        state,
        all,
        diagnosis,
        proposal,
        pending.isEmpty() ? null : pending.get(0),
        children == null ? List.of() : children.all(),
        journal == null ? 0 : journal.size());
  }

  @Override
  public List<AuditEntry> audit() {
    return journal == null ? List.of() : journal.entries();
  }

  // ---- steps ------------------------------------------------------------------------------

  private FleetFacts survey() {
    return Proposals.survey(route, config, reports.all(), journal, this::server);
  }

  /**
   * Closes the incident, unless reports came that no diagnosis saw: then the incident goes on as a
   * new run that starts with them, so a report that came late is never dropped.
   */
  private IncidentResult close(String outcome, String message, List<Finding> remaining) {
    Workflow.await(Workflow::isEveryHandlerFinished);
    List<IncidentReport> late = reports.undiagnosed();
    if (!late.isEmpty()) continueWith(late, late.size() + " report(s) came after the diagnosis");
    state = IncidentState.CLOSED;
    visibility.ended(outcome);
    journal
        .entry("CLOSED")
        .target(TARGET_TENANT)
        .executor(Executor.WORKFLOW.name())
        .at(now())
        .outcome(outcome)
        .after(Map.of("reports", String.valueOf(reports.size())))
        .detail(message)
        .record();
    // Signed like a remediation's journal, so that its export verifies on its own.
    if (Workflow.getVersion("incident-signed-journal", Workflow.DEFAULT_VERSION, 1) >= 1) {
      journal.close();
    }
    return new IncidentResult(
        outcome,
        message,
        reports.all(),
        diagnosis,
        children.all(),
        remaining,
        journal.entries(),
        reports.size(),
        journal.size());
  }

  private void continueWith(List<IncidentReport> carried, String why) {
    Workflow.await(Workflow::isEveryHandlerFinished);
    journal
        .entry("CONTINUED")
        .target(TARGET_TENANT)
        .executor(Executor.WORKFLOW.name())
        .at(now())
        .outcome("INFO")
        .after(Map.of("carried", String.valueOf(carried.size())))
        .detail(why + ": continuing as a new run with " + carried.size() + " report(s)")
        .record();
    if (Workflow.getVersion("continue-fresh-search-attributes", Workflow.DEFAULT_VERSION, 1) >= 1) {
      // The new run starts where an incident starts, collecting: what identifies it kept, the
      // wait and outcome unset (a continued run would otherwise inherit this one's).
      io.temporal.common.SearchAttributes now = Workflow.getTypedSearchAttributes();
      io.temporal.common.SearchAttributes.Builder fresh =
          io.temporal.common.SearchAttributes.newBuilder(now)
              .unset(io.abafix.workflows.visibility.SearchAttributes.WAITING_FOR)
              .unset(io.abafix.workflows.visibility.SearchAttributes.OUTCOME);
      if (now.containsKey(io.abafix.workflows.visibility.SearchAttributes.PHASE)) {
        fresh.set(io.abafix.workflows.visibility.SearchAttributes.PHASE, "COLLECTING");
      }
      Workflow.continueAsNew(
          io.temporal.workflow.ContinueAsNewOptions.newBuilder()
              .setTypedSearchAttributes(fresh.build())
              .build(),
          config.carrying(carried));
      return;
    }
    Workflow.continueAsNew(config.carrying(carried));
  }

  private boolean historyFull() {
    var info = Workflow.getInfo();
    return info.isContinueAsNewSuggested()
        || info.getHistoryLength() >= config.policy().historyLimit();
  }

  private SyncServerActivities server(String name) {
    return serverStubs.computeIfAbsent(
        name, n -> StepOptions.serverStub(route, n, config.timings()));
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }

  /**
   * The requested configuration with the tenant's unattended remedies and two-person rule as the
   * orchestrator's configuration says ({@link IncidentRules}): a watcher's signal cannot widen
   * them. Runs begun before this rule keep what they were started with.
   */
  private static IncidentConfig withOrchestratorRules(IncidentConfig requested) {
    if (Workflow.getVersion("orchestrator-incident-rules", Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      return requested;
    }
    IncidentRules rules =
        Workflow.newLocalActivityStub(
            IncidentRules.class,
            LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                // A lookup in the orchestrator's own configuration: one that fails three times
                // will not heal by retrying, so the incident fails, saying why, rather than spin.
                .setRetryOptions(
                    RetryOptions.newBuilder()
                        .setMaximumAttempts(RULES_ATTEMPTS)
                        .setMaximumInterval(Duration.ofSeconds(10))
                        .build())
                .build());
    try {
      return requested.withPolicy(rules.rulesFor(requested.tenant()).over(requested.policy()));
    } catch (ActivityFailure e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "the orchestrator could not give the incident rules of tenant "
              + requested.tenant()
              + " in "
              + RULES_ATTEMPTS
              + " attempts, so no proposal is made: see the orchestrator's log",
          RULES_UNAVAILABLE,
          e);
    }
  }
}
