package io.abafix.workflows.internal.remediation;

import io.abafix.activities.DirectoryActivities;
import io.abafix.activities.SyncServerActivities;
import io.abafix.activities.model.ApprovedDeletions;
import io.abafix.activities.model.ServerState;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.internal.DurableWaits;
import io.abafix.workflows.internal.FailureText;
import io.abafix.workflows.internal.Gates;
import io.abafix.workflows.internal.OperatorTasks;
import io.abafix.workflows.internal.Route;
import io.abafix.workflows.internal.StepOptions;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.plan.Plan;
import io.abafix.workflows.plan.PlannedStep;
import io.abafix.workflows.visibility.RunVisibility;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one remediation run knows and holds, shared by its pieces: the request, the journal, the
 * activity stubs, the plan and what preflight saw, the gates and operator tasks, the compensations
 * registered so far, and where the run is (for the progress query). Lives in workflow state.
 */
public final class RemediationRun {
  public final RemediationRequest request;
  public final AuditJournal journal;
  public final DirectoryActivities directory;

  /** Where this run's steps go: its tenant's queues, decided once at its start. */
  public final Route route;

  public final DurableWaits waits;
  public final Gates gates;
  public final OperatorTasks operatorTasks;

  /** Search attributes and current details, for Temporal's Web UI and {@code abafix list}. */
  public final RunVisibility visibility = new RunVisibility();

  public final Saga saga = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());

  /** What preflight saw, per server, in the order the servers were named. */
  public final Map<String, ServerState> preflight = new LinkedHashMap<>();

  /** Newest event record id per server at preflight: final verification reads what came after. */
  public final Map<String, Long> lastEventAtPreflight = new HashMap<>();

  /** Per server that compared its machine id: whether another server has the same. */
  public final Map<String, Boolean> machineIdDuplicated = new HashMap<>();

  /** The machine id each regenerated server gets, chosen once before the approvals. */
  public final Map<String, String> newMachineIds = new TreeMap<>();

  /** App ids (lower case) no server may keep using: the shared apps and the ones in use before. */
  public final Set<String> retiredAppIds = new LinkedHashSet<>();

  /**
   * How the fleet differs from its rehearsal (see {@link RehearsalCheck}); empty when it does not.
   */
  public List<String> rehearsalDifferences = List.of();

  /** When this run paused each server's scheduler (epoch millis), until it resumes it. */
  public final Map<String, Long> pausedAt = new LinkedHashMap<>();

  /**
   * Whether pausing one server was seen to pause others: the scheduler's settings are then one per
   * tenant, and no server is resumed before the last one is done ({@link SchedulerSteps}).
   */
  public boolean sharedScheduler;

  /** Whether the first pause has been followed by a look at the other servers' schedulers. */
  boolean schedulerSharingObserved;

  public final Map<String, String> serverSteps = new TreeMap<>();
  public Plan plan;

  /** What compensation left for an administrator to do, for the run's result. */
  public final List<String> compensationNotes = new java.util.ArrayList<>();

  /** The run's version of preflight ({@link Preflight#PROVEN_PREREQUISITES} or the default). */
  public int prerequisitesVersion;

  /** The Global Administrator check of each account preflight read. */
  public List<io.abafix.activities.model.RoleCheck> roleChecks = List.of();

  public String planDigest;
  public String current = "PREFLIGHT";
  public String waitingFor;

  /** When the durable wait under way gives up, epoch millis; 0 when none is under way. */
  public long waitDeadline;

  public String cancelReason;

  /**
   * The proof a step carries to its worker, by the step's key ({@link PlanApprovals#authorization}
   * once the approvals are asked for; nothing before).
   */
  public java.util.function.Function<String, io.abafix.activities.approval.StepAuthorization>
      proofs = k -> io.abafix.activities.approval.StepAuthorization.none();

  /** The run's start as its preflight proved it; null before, or for a run begun before that. */
  public io.abafix.activities.approval.VerifiedStart verifiedStart;

  private final Map<String, SyncServerActivities> serverStubs = new HashMap<>();

  public RemediationRun(RemediationRequest request) {
    this.request = request;
    this.route = Route.of(request.tenant());
    this.journal = new AuditJournal(Workflow.getInfo().getRunId());
    this.directory = StepOptions.directoryStub(route, request.timings());
    this.waits =
        new DurableWaits(
            route,
            request.timings(),
            w -> {
              waitingFor = w;
              if (w == null) visibility.doneWaiting();
              else visibility.waiting(RunVisibility.WAITING_SERVER, w);
            },
            d -> waitDeadline = d);
    this.gates =
        Gates.inWorkflow(
            journal,
            route,
            "nothing in this run is waiting for approval",
            // The requester is whom the verified start proves, never a typed name.
            null);
    this.operatorTasks = new OperatorTasks(journal, route);
  }

  public SyncServerActivities server(String name) {
    return serverStubs.computeIfAbsent(
        name, n -> StepOptions.serverStub(route, n, request.timings()));
  }

  /** Server A and then every server B, or nothing before the plan. */
  public List<String> affectedServers() {
    List<String> all = new ArrayList<>();
    if (plan != null && plan.workingServer() != null) {
      all.add(plan.workingServer());
      all.addAll(plan.brokenServers());
    }
    return all;
  }

  /** The one line an operator reads for a failure of a step on {@code target}. */
  public String describe(Throwable e, String target) {
    boolean directoryStep = target == null || PlannedStep.DIRECTORY.equals(target);
    String queue = directoryStep ? route.directoryQueue() : route.serverQueue(target);
    return FailureText.of(e, queue, directoryStep ? "the directory worker's host" : target);
  }

  public static long now() {
    return Workflow.currentTimeMillis();
  }

  /** An id compared case-insensitively. */
  public static String key(String id) {
    return id == null ? "" : id.toLowerCase(Locale.ROOT);
  }

  /** The facts of a server the journal records. */
  public static Map<String, String> facts(ServerState st) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("identityType", String.valueOf(st.identityType()));
    if (st.applicationId() != null) m.put("applicationId", st.applicationId());
    if (st.serviceAccountName() != null) m.put("serviceAccount", st.serviceAccountName());
    m.put("machineId", String.valueOf(st.machineId()));
    m.put("syncCycleEnabled", String.valueOf(st.syncCycleEnabled()));
    return m;
  }

  /** Refuses a request that names no tenant, no server, or a server twice. */
  public static void validate(RemediationRequest r) {
    if (r.tenant() == null || r.tenant().isBlank()) {
      throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
          "the request names no tenant", io.abafix.activities.FailureTypes.PERMANENT);
    }
    if (r.servers().isEmpty()) {
      throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
          "the request names no server", io.abafix.activities.FailureTypes.PERMANENT);
    }
    java.util.Set<String> seen = new java.util.LinkedHashSet<>();
    for (String s : r.servers()) {
      if (!seen.add(s.toUpperCase(Locale.ROOT))) {
        throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
            "server " + s + " is named twice", io.abafix.activities.FailureTypes.PERMANENT);
      }
    }
    if (!r.approvals().required()) {
      // The workers refuse every changing step without a signed approval: say so before anything.
      throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
          "approvals.required=false: every changing step needs a signed approval, which no policy"
              + " can stand in for",
          io.abafix.activities.FailureTypes.PERMANENT);
    }
  }

  /** What the directory worker may delete or restore in this run: the plan's apps. */
  public ApprovedDeletions approvedDeletions() {
    return ApprovedDeletions.of(Workflow.getInfo().getRunId(), plan.applicationsToDelete());
  }
}
