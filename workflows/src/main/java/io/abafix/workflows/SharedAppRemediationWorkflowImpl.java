package io.abafix.workflows;

import io.abafix.activities.DirectoryActivities;
import io.abafix.activities.FailureTypes;
import io.abafix.activities.SyncServerActivities;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.ApprovedDeletions;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.StepResult;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.internal.DecisionRules;
import io.abafix.workflows.internal.FailureText;
import io.abafix.workflows.internal.StepOptions;
import io.abafix.workflows.model.ApplicationSummary;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.ConfirmRequest;
import io.abafix.workflows.model.OperatorTask;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.ServerSummary;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.FleetObservation;
import io.abafix.workflows.plan.Plan;
import io.abafix.workflows.plan.PlannedStep;
import io.abafix.workflows.plan.Planner;
import io.abafix.workflows.plan.StepName;
import io.abafix.workflows.visibility.RunVisibility;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Saga;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;

/** See {@link SharedAppRemediationWorkflow}. Executes the plan step by step, in order. */
public class SharedAppRemediationWorkflowImpl implements SharedAppRemediationWorkflow {
  private static final Logger log = Workflow.getLogger(SharedAppRemediationWorkflowImpl.class);

  /** Failure type of the workflow itself when it stopped and compensated. */
  public static final String REMEDIATION_FAILED = "abafix.RemediationFailed";

  private static final String NO_WORKING_IDENTITY = "LEFT_PAUSED";
  private static final String AADSTS700027 = "AADSTS700027";

  private final Map<String, SyncServerActivities> serverStubs = new HashMap<>();
  private final Saga saga = new Saga(new Saga.Options.Builder().setContinueWithError(true).build());
  private final Map<String, ApprovalRequest> decisions = new HashMap<>();
  private final Map<String, String> serverSteps = new TreeMap<>();
  private final Map<String, ServerState> preflight = new LinkedHashMap<>();
  private final Map<String, Long> lastEventAtPreflight = new HashMap<>();
  private final Map<String, Boolean> machineIdDuplicated = new HashMap<>();
  private final Set<String> retiredAppIds = new LinkedHashSet<>();
  private final RunVisibility visibility = new RunVisibility();

  private DirectoryActivities directory;
  private RemediationRequest request;
  private AuditJournal journal;
  private Plan plan;
  private Outcome outcome = Outcome.RUNNING;
  private String current = StepName.PREFLIGHT.name();
  private String waitingFor;
  private PendingApproval pending;
  private OperatorTask operatorTask;
  private Supplier<String> operatorCheck;
  private ConfirmRequest confirmed;

  @Override
  public RemediationResult remediate(RemediationRequest request) {
    this.request = request;
    this.journal = new AuditJournal(Workflow.getInfo().getRunId());
    this.directory =
        Workflow.newActivityStub(
            DirectoryActivities.class, StepOptions.directory(request.timings()));
    validate(request);
    long now = now();
    journal.record(
        "REQUEST",
        PlannedStep.DIRECTORY,
        Executor.OPERATOR.name(),
        request.requestedBy(),
        now,
        now,
        0,
        "INFO",
        Map.of(),
        Map.of(),
        "tenant "
            + request.tenant()
            + ", servers "
            + String.join(", ", request.servers())
            + (request.dryRun() ? ", dry run" : ""));

    FleetObservation fleet;
    try {
      fleet = observeFleet();
    } catch (TemporalFailure e) {
      outcome = Outcome.FAILED;
      visibility.ended(outcome.name());
      journal.close();
      throw ApplicationFailure.newNonRetryableFailure(
          "preflight failed, nothing was changed: " + describe(e, targetOf(current)),
          REMEDIATION_FAILED);
    }
    plan = Planner.plan(fleet, new HashSet<>(request.operatorSteps()), now());
    now = now();
    journal.record(
        "PLAN",
        PlannedStep.DIRECTORY,
        Executor.WORKFLOW.name(),
        null,
        now,
        now,
        1,
        "DONE",
        Map.of(),
        Map.of("steps", String.valueOf(plan.steps().size())),
        String.join("; ", plan.findings()));

    if (plan.blocked()) {
      outcome = Outcome.FAILED;
      visibility.ended(outcome.name());
      journal.close();
      throw ApplicationFailure.newNonRetryableFailure(
          "refused, nothing was changed: " + String.join("; ", plan.blockers()),
          FailureTypes.PRECONDITION_FAILED);
    }
    if (plan.nothingToDo()) {
      outcome = Outcome.NOTHING_TO_DO;
      return result("nothing to fix: no server shares an app registration or a machine id", fleet);
    }
    if (request.dryRun()) {
      outcome = Outcome.DRY_RUN;
      return result("dry run: " + plan.steps().size() + " steps planned, nothing changed", fleet);
    }
    plan.applicationsToDelete().forEach(a -> retiredAppIds.add(key(a.appId())));
    for (String s : affectedServers()) {
      ServerState st = preflight.get(s);
      if (st.identityType() == IdentityType.Application && st.applicationId() != null) {
        retiredAppIds.add(key(st.applicationId()));
      }
    }

    PlannedStep step = null;
    try {
      List<String> problems = List.of();
      for (PlannedStep s : plan.steps()) {
        step = s;
        problems = execute(s);
      }
      outcome = problems.isEmpty() ? Outcome.SUCCEEDED : Outcome.VERIFICATION_FAILED;
      return result(
          problems.isEmpty()
              ? "every server has its own app registration"
              : "final verification found: " + String.join("; ", problems),
          null);
    } catch (TemporalFailure e) {
      String where = step == null ? current : step.key();
      String why = describe(e, step == null ? null : step.target());
      log.warn("remediation stopped at {}: {}", where, why);
      outcome = Outcome.COMPENSATED;
      current = "COMPENSATION";
      visibility.phase(current, null);
      // Compensation must also run when the run itself is being cancelled.
      Workflow.newDetachedCancellationScope(saga::compensate).run();
      current = "DONE";
      visibility.ended(outcome.name());
      journal.close();
      throw ApplicationFailure.newNonRetryableFailure(
          "remediation stopped at "
              + where
              + ": "
              + why
              + "; compensation ran (see the audit for what it resumed or restored)",
          REMEDIATION_FAILED);
    }
  }

  // ---- updates and queries ----------------------------------------------------------------

  @Override
  public void validateDecision(ApprovalRequest r) {
    DecisionRules.check(
        r,
        pending,
        "nothing in this run is waiting for approval",
        request.approvals().twoPerson() ? String.valueOf(request.requestedBy()) : null);
  }

  @Override
  public String decide(ApprovalRequest r) {
    String gate = pending.gate();
    decisions.put(gate, r);
    return gate;
  }

  @Override
  public void validateConfirmation(ConfirmRequest r) {
    if (r == null || r.by() == null || r.by().isBlank()) {
      throw new IllegalArgumentException("say who did it (--as NAME)");
    }
    if (operatorTask == null) {
      throw new IllegalStateException("nothing in this run is waiting for an operator step");
    }
    if (!operatorTask.step().equalsIgnoreCase(String.valueOf(r.step()))
        || !operatorTask.server().equalsIgnoreCase(String.valueOf(r.server()))) {
      throw new IllegalArgumentException(
          "the step waiting for an operator is "
              + operatorTask.step()
              + " on "
              + operatorTask.server()
              + ", not "
              + r.step()
              + " on "
              + r.server());
    }
  }

  @Override
  public String confirm(ConfirmRequest r) {
    // The effect is checked on the server itself: a confirmation alone proves nothing.
    String missing = operatorCheck.get();
    if (missing != null) {
      long at = now();
      journal.record(
          r.step(),
          r.server(),
          Executor.OPERATOR.name(),
          r.by(),
          at,
          at,
          0,
          "NOT_CONFIRMED",
          Map.of(),
          Map.of(),
          "confirmation refused: " + missing);
      throw ApplicationFailure.newNonRetryableFailure(
          "not confirmed: " + missing, FailureTypes.PRECONDITION_FAILED);
    }
    confirmed = r;
    return "verified " + operatorTask.gate();
  }

  @Override
  public Plan plan() {
    return plan;
  }

  @Override
  public Progress progress() {
    return new Progress(
        outcome,
        current,
        new TreeMap<>(serverSteps),
        waitingFor,
        pending,
        operatorTask,
        journal == null ? 0 : journal.size());
  }

  @Override
  public List<AuditEntry> audit() {
    return journal == null ? List.of() : journal.entries();
  }

  // ---- preflight --------------------------------------------------------------------------

  private static void validate(RemediationRequest r) {
    if (r.tenant() == null || r.tenant().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the request names no tenant", FailureTypes.PERMANENT);
    }
    if (r.servers().isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the request names no server", FailureTypes.PERMANENT);
    }
    Set<String> seen = new LinkedHashSet<>();
    for (String s : r.servers()) {
      if (!seen.add(s.toUpperCase(Locale.ROOT))) {
        throw ApplicationFailure.newNonRetryableFailure(
            "server " + s + " is named twice", FailureTypes.PERMANENT);
      }
    }
  }

  private FleetObservation observeFleet() {
    current = StepName.PREFLIGHT.name();
    visibility.phase(current, request.tenant());
    Map<String, Promise<ServerState>> states = new LinkedHashMap<>();
    Map<String, Promise<AuthenticationCheck>> auth = new LinkedHashMap<>();
    Map<String, Promise<List<EventLogEntry>>> events = new LinkedHashMap<>();
    for (String s : request.servers()) {
      serverSteps.put(s, StepName.PREFLIGHT.name());
      SyncServerActivities server = server(s);
      states.put(s, Async.function(server::inspectServer, s));
      auth.put(s, Async.function(server::testConnectorAuthentication, s));
      events.put(s, Async.function(server::readEvents, s, 0L, 200));
    }
    Promise<List<AppRegistration>> apps = Async.function(directory::listProvisioningApplications);

    List<ServerState> fleet = new ArrayList<>();
    Map<String, AuthenticationCheck> checks = new LinkedHashMap<>();
    for (String s : request.servers()) {
      long started = now();
      current = StepName.PREFLIGHT + "@" + s;
      ServerState st = states.get(s).get();
      AuthenticationCheck check = auth.get(s).get();
      List<EventLogEntry> log = events.get(s).get();
      preflight.put(s, st);
      fleet.add(st);
      checks.put(s, check);
      // The server returns the newest entries: the newest record id is the watermark final
      // verification reads after, and only conflicts of the last day count as current.
      lastEventAtPreflight.put(s, log.stream().mapToLong(EventLogEntry::recordId).max().orElse(0L));
      long recentFrom = Workflow.currentTimeMillis() - RECENT_EVENTS.toMillis();
      long conflicts =
          log.stream()
              .filter(SharedAppRemediationWorkflowImpl::isSharedAppConflict)
              .filter(e -> loggedSince(e, recentFrom))
              .count();
      Map<String, String> facts = new LinkedHashMap<>(serverFacts(st));
      facts.put("signsIn", check.authenticated() ? "yes" : "no (" + check.errorCode() + ")");
      facts.put("version", String.valueOf(st.version()));
      facts.put("stagingMode", String.valueOf(st.stagingMode()));
      facts.put("aadsts700027Events", String.valueOf(conflicts));
      journal.record(
          StepName.PREFLIGHT.name(),
          s,
          Executor.AUTOMATED.name(),
          null,
          started,
          now(),
          1,
          "DONE",
          Map.of(),
          facts,
          "inspected; nothing changed");
    }
    current = StepName.PREFLIGHT + "@" + PlannedStep.DIRECTORY;
    List<AppRegistration> applications = apps.get();
    List<String> admins = new ArrayList<>();
    for (String account :
        fleet.stream()
            .map(ServerState::connectorAccount)
            .filter(a -> a != null && !a.isBlank())
            .distinct()
            .toList()) {
      if (directory.isGlobalAdministrator(account)) admins.add(account);
    }
    long at = now();
    journal.record(
        StepName.PREFLIGHT.name(),
        PlannedStep.DIRECTORY,
        Executor.AUTOMATED.name(),
        null,
        at,
        at,
        1,
        "DONE",
        Map.of(),
        Map.of(
            "applications",
            String.join(
                ", ", applications.stream().map(a -> a.displayName() + "=" + a.appId()).toList()),
            "globalAdministratorConnectorAccounts",
            String.join(", ", admins)),
        "listed " + applications.size() + " ConnectSyncProvisioning_* apps");
    request.servers().forEach(s -> serverSteps.put(s, "planned"));
    return new FleetObservation(request.tenant(), fleet, checks, applications, admins);
  }

  // ---- steps ------------------------------------------------------------------------------

  /**
   * Runs one planned step and records it. Returns problems found (only the final verification has
   * any).
   */
  private List<String> execute(PlannedStep s) {
    current = s.key();
    visibility.phase(s.step().name(), s.target());
    if (!PlannedStep.DIRECTORY.equals(s.target())) serverSteps.put(s.target(), s.step().name());
    long started = now();
    try {
      StepRecord r =
          switch (s.step()) {
            case PAUSE_SCHEDULER -> pause(s.target());
            case WAIT_FOR_SYNC_CYCLE -> waitForSyncCycle(s.target());
            case REVERT_TO_SERVICE_ACCOUNT -> revert(s);
            case VERIFY_SERVICE_ACCOUNT -> verifyServiceAccount(s.target());
            case RECORD_MACHINE_ID -> recordMachineId(s.target());
            case ROTATE_CERTIFICATE -> rotate(s);
            case COMPARE_MACHINE_IDS -> compareMachineIds(s.target());
            case REGENERATE_MACHINE_ID -> regenerate(s);
            case DELETE_APPLICATIONS -> deleteApplications(s);
            case CONFIGURE_ABA -> configure(s);
            case VERIFY_APPLICATION -> verifyApplication(s.target());
            case RESUME_SCHEDULER -> resume(s.target());
            case FINAL_VERIFICATION -> finalVerification();
            case PREFLIGHT -> throw new IllegalStateException("preflight is not a plan step");
          };
      journal.record(
          s.step().name(),
          s.target(),
          s.executor().name(),
          r.actor,
          started,
          now(),
          r.attempts,
          r.outcome,
          r.before,
          r.after,
          r.detail);
      if (s.destructive()) journal.seal(s.key());
      return r.problems;
    } catch (TemporalFailure e) {
      journal.record(
          s.step().name(),
          s.target(),
          s.executor().name(),
          null,
          started,
          now(),
          0,
          "FAILED",
          Map.of(),
          Map.of(),
          describe(e, s.target()));
      if (s.destructive()) journal.seal(s.key());
      throw e;
    } finally {
      waitingFor = null;
    }
  }

  private StepRecord pause(String server) {
    if (preflight.get(server).syncCycleEnabled()) {
      // Registered before the action: a pause whose reply was lost must still be undone.
      saga.addCompensation(() -> resumeIfWorking(server));
    }
    return StepRecord.of(server(server).pauseScheduler(server));
  }

  private StepRecord waitForSyncCycle(String server) {
    Timings t = timings();
    int[] polls = {0};
    ServerState[] last = {null};
    waitUntil(
        "the sync cycle on " + server + " to end",
        t.syncCycle(),
        () -> {
          polls[0]++;
          last[0] = server(server).inspectServer(server);
          return !last[0].syncCycleInProgress();
        });
    return StepRecord.done(
        polls[0],
        Map.of(),
        serverFacts(last[0]),
        polls[0] == 1 ? "no sync cycle running" : "waited for the running sync cycle to end");
  }

  private StepRecord revert(PlannedStep s) {
    String server = s.target();
    ServerState st = server(server).inspectServer(server);
    if (st.identityType() == IdentityType.ServiceAccount
        && st.expectedServiceAccountName().equalsIgnoreCase(st.serviceAccountName())) {
      return StepRecord.noChange(
          serverFacts(st), "connector already uses " + st.serviceAccountName());
    }
    if (st.syncCycleEnabled()) {
      throw precondition(
          server + "'s scheduler was re-enabled since it was paused: revert refused");
    }
    String approver = awaitApproval(s);
    if (s.executor() == Executor.OPERATOR) {
      String account = st.expectedServiceAccountName();
      String by =
          awaitOperator(
              s,
              "On "
                  + server
                  + ", in an elevated PowerShell: $cred = Get-Credential (a Hybrid Identity"
                  + " Administrator); Add-ADSyncAADServiceAccount -AADCredential $cred -Name '"
                  + account
                  + "'.",
              () -> {
                ServerState now = server(server).inspectServer(server);
                return now.identityType() == IdentityType.ServiceAccount
                        && account.equalsIgnoreCase(now.serviceAccountName())
                    ? null
                    : server
                        + " reports "
                        + now.identityType()
                        + " "
                        + (now.serviceAccountName() == null ? "" : now.serviceAccountName())
                        + ", not ServiceAccount "
                        + account;
              });
      ServerState after = server(server).inspectServer(server);
      return new StepRecord(
          "DONE",
          1,
          by,
          serverFacts(st),
          serverFacts(after),
          "done by an operator (approved by " + approver + ") and verified",
          List.of());
    }
    StepResult r =
        server(server).revertToServiceAccount(server, request.credentialReferenceFor(server));
    return StepRecord.of(r).by(approver);
  }

  private StepRecord verifyServiceAccount(String server) {
    ServerState st = server(server).inspectServer(server);
    if (st.identityType() != IdentityType.ServiceAccount) {
      throw precondition(
          server + " reports " + st.identityType() + " after the revert, not ServiceAccount");
    }
    int polls = awaitSignIn(server, "the new service account on " + server + " to sign in");
    return StepRecord.done(
        polls,
        Map.of(),
        serverFacts(st),
        "ServiceAccount "
            + st.serviceAccountName()
            + " signs in"
            + (polls > 1 ? " after " + (polls - 1) + " propagation waits" : ""));
  }

  private StepRecord recordMachineId(String server) {
    ServerState st = server(server).inspectServer(server);
    return StepRecord.done(1, Map.of(), Map.of("machineId", st.machineId()), "machine id noted");
  }

  private StepRecord rotate(PlannedStep s) {
    String server = s.target();
    ServerState st = server(server).inspectServer(server);
    if (st.identityType() != IdentityType.Application) {
      return StepRecord.skipped(
          serverFacts(st), server + " no longer uses an app: nothing to rotate");
    }
    if (s.executor() == Executor.OPERATOR) {
      String before = st.certificateThumbprint();
      String by =
          awaitOperator(
              s,
              "On "
                  + server
                  + ", start the Microsoft Entra Connect wizard, choose 'Rotate application"
                  + " certificate' and complete every page.",
              () -> {
                ServerState now = server(server).inspectServer(server);
                return now.identityType() == IdentityType.Application
                        && now.certificateThumbprint() != null
                        && !now.certificateThumbprint().equalsIgnoreCase(before)
                    ? null
                    : server
                        + " still uses certificate "
                        + now.certificateThumbprint()
                        + ": the rotation has not happened";
              });
      int polls = awaitSignIn(server, server + " to sign in with its rotated certificate");
      return new StepRecord(
          "DONE",
          polls,
          by,
          serverFacts(st),
          serverFacts(server(server).inspectServer(server)),
          "certificate rotated by an operator and verified",
          List.of());
    }
    StepResult r = server(server).rotateApplicationCertificate(server, st.certificateThumbprint());
    int polls = awaitSignIn(server, server + " to sign in with its rotated certificate");
    return StepRecord.of(r).plusPolls(polls - 1);
  }

  private StepRecord compareMachineIds(String server) {
    ServerState mine = server(server).inspectServer(server);
    Map<String, String> ids = new TreeMap<>();
    List<String> same = new ArrayList<>();
    for (String other : request.servers()) {
      String id =
          other.equals(server) ? mine.machineId() : server(other).inspectServer(other).machineId();
      ids.put(other, id);
      if (!other.equals(server) && key(id).equals(key(mine.machineId()))) same.add(other);
    }
    machineIdDuplicated.put(server, !same.isEmpty());
    return StepRecord.done(
        1,
        Map.of(),
        ids,
        same.isEmpty()
            ? "machine id is unique"
            : "machine id is also used by " + String.join(", ", same));
  }

  private StepRecord regenerate(PlannedStep s) {
    String server = s.target();
    if (!machineIdDuplicated.getOrDefault(server, false)) {
      return StepRecord.skipped(Map.of(), "machine id is no longer duplicated: not regenerated");
    }
    String approver = awaitApproval(s);
    // Chosen once by the workflow, so that every retry asks for the same value and stays
    // idempotent.
    String newId = Workflow.randomUUID().toString().replace("-", "");
    return StepRecord.of(server(server).regenerateMachineId(server, newId)).by(approver);
  }

  private StepRecord deleteApplications(PlannedStep s) {
    List<AppRegistration> apps = plan.applicationsToDelete();
    Set<String> doomed = new LinkedHashSet<>();
    apps.forEach(a -> doomed.add(key(a.appId())));
    for (String server : request.servers()) {
      ServerState st = server(server).inspectServer(server);
      if (st.identityType() == IdentityType.Application
          && doomed.contains(key(st.applicationId()))) {
        throw precondition(
            server
                + " still authenticates with app "
                + st.applicationId()
                + ": it must be reverted first");
      }
    }
    String approver = awaitApproval(s);
    Map<String, String> before = new TreeMap<>();
    Map<String, String> after = new TreeMap<>();
    int attempts = 0;
    int changed = 0;
    for (AppRegistration app : apps) {
      saga.addCompensation(() -> restoreIfStillUsed(app));
      StepResult r = directory.deleteApplication(app.id(), approvedDeletions());
      attempts = Math.max(attempts, r.attempt());
      if (r.changed()) changed++;
      before.put(app.displayName(), app.appId() + " live");
      after.put(app.displayName(), app.appId() + " deleted (object " + app.id() + ")");
    }
    return new StepRecord(
        changed == 0 ? "NO_CHANGE" : "DONE",
        attempts,
        approver,
        before,
        after,
        "soft-deleted " + changed + " of " + apps.size() + " shared apps",
        List.of());
  }

  private StepRecord configure(PlannedStep s) {
    String server = s.target();
    if (s.executor() == Executor.OPERATOR) {
      ServerState before = server(server).inspectServer(server);
      String by =
          awaitOperator(
              s,
              "On "
                  + server
                  + ", start the Microsoft Entra Connect wizard, choose 'Configure"
                  + " application-based authentication' and complete it: it registers a new app for "
                  + server
                  + ".",
              () -> {
                ServerState now = server(server).inspectServer(server);
                return now.identityType() == IdentityType.Application
                        && now.applicationId() != null
                        && !retiredAppIds.contains(key(now.applicationId()))
                    ? null
                    : server
                        + " reports "
                        + now.identityType()
                        + (now.applicationId() == null
                            ? ""
                            : " with retired app " + now.applicationId())
                        + ": ABA is not configured with a new app yet";
              });
      return new StepRecord(
          "DONE",
          1,
          by,
          serverFacts(before),
          serverFacts(server(server).inspectServer(server)),
          "configured by an operator and verified",
          List.of());
    }
    return StepRecord.of(
        server(server).configureApplicationAuthentication(server, new ArrayList<>(retiredAppIds)));
  }

  private StepRecord verifyApplication(String server) {
    ServerState st = server(server).inspectServer(server);
    if (st.identityType() != IdentityType.Application
        || retiredAppIds.contains(key(st.applicationId()))) {
      throw precondition(
          server
              + " does not use a new app of its own: "
              + st.identityType()
              + " "
              + st.applicationId());
    }
    int polls = awaitSignIn(server, server + " to sign in with its new app");
    return StepRecord.done(
        polls, Map.of(), serverFacts(st), "signs in with its own app " + st.applicationId());
  }

  private StepRecord resume(String server) {
    if (!preflight.get(server).syncCycleEnabled()) {
      return StepRecord.skipped(Map.of(), "the scheduler was paused before this run: left paused");
    }
    return StepRecord.of(server(server).resumeScheduler(server));
  }

  private StepRecord finalVerification() {
    List<String> problems = new ArrayList<>();
    Map<String, ServerState> states = new LinkedHashMap<>();
    for (String s : request.servers()) states.put(s, server(s).inspectServer(s));
    List<AppRegistration> apps = directory.listProvisioningApplications();
    Map<String, String> facts = new TreeMap<>();

    Map<String, String> appOwners = new HashMap<>();
    Map<String, String> idOwners = new HashMap<>();
    for (ServerState st : states.values()) {
      String s = st.server();
      facts.put(s, st.identityType() + " " + st.applicationId() + " id " + st.machineId());
      String other = idOwners.putIfAbsent(key(st.machineId()), s);
      if (other != null)
        problems.add(s + " and " + other + " still share machine id " + st.machineId());
      if (st.identityType() != IdentityType.Application) {
        if (affectedServers().contains(s))
          problems.add(s + " is on " + st.identityType() + ", not Application");
        continue;
      }
      String owner = appOwners.putIfAbsent(key(st.applicationId()), s);
      if (owner != null)
        problems.add(s + " and " + owner + " still share app " + st.applicationId());
      if (!affectedServers().contains(s)) continue;
      AppRegistration app =
          apps.stream()
              .filter(a -> key(a.appId()).equals(key(st.applicationId())))
              .findFirst()
              .orElse(null);
      if (app == null) {
        problems.add(
            s
                + " uses app "
                + st.applicationId()
                + ", which is not a live ConnectSyncProvisioning_* app");
        continue;
      }
      if (!app.displayName()
          .toUpperCase(Locale.ROOT)
          .startsWith(("ConnectSyncProvisioning_" + s + "_").toUpperCase(Locale.ROOT))) {
        problems.add(s + " uses app " + app.displayName() + ", which is not named for it");
      }
      if (app.keyCredentials().size() != 1 || !app.holdsCertificate(st.certificateThumbprint())) {
        problems.add(app.displayName() + " does not hold exactly " + s + "'s certificate");
      }
    }
    for (String s : request.servers()) {
      long since = lastEventAtPreflight.getOrDefault(s, 0L);
      long conflicts =
          server(s).readEvents(s, since, 200).stream()
              .filter(SharedAppRemediationWorkflowImpl::isSharedAppConflict)
              .count();
      if (conflicts > 0) problems.add(s + " logged " + conflicts + " new AADSTS700027 events");
    }
    finalServers = new ArrayList<>(states.values());
    finalApps = apps;
    return new StepRecord(
        problems.isEmpty() ? "DONE" : "FAILED",
        1,
        null,
        Map.of(),
        facts,
        problems.isEmpty()
            ? "every server on its own app, machine ids distinct, no new AADSTS700027"
            : String.join("; ", problems),
        problems);
  }

  private List<ServerState> finalServers;
  private List<AppRegistration> finalApps;

  // ---- approvals and waits ----------------------------------------------------------------

  /** Waits for a person to approve a destructive step; returns who approved. */
  private String awaitApproval(PlannedStep s) {
    ApprovalPolicy policy = request.approvals();
    long asked = now();
    if (!policy.required()) {
      journal.record(
          "APPROVAL",
          s.target(),
          Executor.WORKFLOW.name(),
          "policy",
          asked,
          asked,
          0,
          "APPROVED",
          Map.of(),
          Map.of("gate", s.key()),
          "this run's policy does not require approval");
      return "policy";
    }
    Duration timeout = Duration.ofSeconds(policy.timeoutSeconds());
    pending = new PendingApproval(s.key(), s.description(), asked, asked + timeout.toMillis());
    waitingFor = "approval of " + s.key();
    visibility.waiting(
        RunVisibility.WAITING_APPROVAL,
        "approval of " + s.key() + ": " + s.description(),
        "abafix approve " + Workflow.getInfo().getWorkflowId() + " --as <your name>",
        "abafix reject " + Workflow.getInfo().getWorkflowId() + " --as <your name>");
    boolean decided = Workflow.await(timeout, () -> decisions.containsKey(s.key()));
    pending = null;
    waitingFor = null;
    visibility.doneWaiting();
    if (!decided) {
      journal.record(
          "APPROVAL",
          s.target(),
          Executor.OPERATOR.name(),
          null,
          asked,
          now(),
          0,
          "TIMED_OUT",
          Map.of(),
          Map.of("gate", s.key()),
          "no decision within " + timeout.toMinutes() + " minutes");
      throw ApplicationFailure.newNonRetryableFailure(
          "no approval for " + s.key() + " within " + timeout.toMinutes() + " minutes",
          FailureTypes.PERMANENT);
    }
    ApprovalRequest d = decisions.get(s.key());
    journal.record(
        "APPROVAL",
        s.target(),
        Executor.OPERATOR.name(),
        d.by(),
        asked,
        now(),
        0,
        d.approve() ? "APPROVED" : "REJECTED",
        Map.of(),
        Map.of("gate", s.key()),
        d.comment() == null ? "" : d.comment());
    if (!d.approve()) {
      throw ApplicationFailure.newNonRetryableFailure(
          s.key() + " was rejected by " + d.by(), FailureTypes.PERMANENT);
    }
    return d.by();
  }

  /**
   * Shows a person what to do and waits durably until they confirm and the effect is verified.
   *
   * @param missing returns null when the effect is in place, else what is still missing
   * @return who confirmed
   */
  private String awaitOperator(PlannedStep s, String instructions, Supplier<String> missing) {
    long asked = now();
    confirmed = null;
    operatorCheck = missing;
    operatorTask =
        new OperatorTask(
            s.key(),
            s.step().name(),
            s.target(),
            instructions
                + " Then run: abafix confirm "
                + Workflow.getInfo().getWorkflowId()
                + " --step "
                + s.step()
                + " --server "
                + s.target()
                + " --as <your name>",
            asked);
    waitingFor = "an operator to do " + s.key() + " and confirm it";
    visibility.waiting(
        RunVisibility.WAITING_OPERATOR,
        waitingFor + ". " + instructions,
        "abafix confirm "
            + Workflow.getInfo().getWorkflowId()
            + " --step "
            + s.step()
            + " --server "
            + s.target()
            + " --as <your name>");
    Duration timeout = Duration.ofSeconds(request.approvals().timeoutSeconds());
    boolean done = Workflow.await(timeout, () -> confirmed != null);
    operatorTask = null;
    operatorCheck = null;
    waitingFor = null;
    visibility.doneWaiting();
    if (!done) {
      throw ApplicationFailure.newNonRetryableFailure(
          "nobody confirmed " + s.key() + " within " + timeout.toMinutes() + " minutes",
          FailureTypes.PERMANENT);
    }
    return confirmed.by();
  }

  /** Polls the connector's sign-in with durable timers; returns how many checks it took. */
  private int awaitSignIn(String server, String what) {
    int[] polls = {0};
    waitUntil(
        what,
        timings().propagation(),
        () -> {
          polls[0]++;
          AuthenticationCheck check = server(server).testConnectorAuthentication(server);
          return check.authenticated();
        });
    return polls[0];
  }

  private void waitUntil(String what, Duration bound, Supplier<Boolean> done) {
    long deadline = now() + bound.toMillis();
    while (!done.get()) {
      if (now() >= deadline) {
        throw ApplicationFailure.newNonRetryableFailure(
            "gave up waiting for " + what + " after " + bound.toMinutes() + " minutes",
            FailureTypes.PERMANENT);
      }
      waitingFor = what;
      visibility.waiting(RunVisibility.WAITING_SERVER, what);
      Workflow.sleep(timings().poll());
    }
    waitingFor = null;
    visibility.doneWaiting();
  }

  // ---- compensation -----------------------------------------------------------------------

  /** Resumes a scheduler this run paused, once its server has a working identity. */
  private void resumeIfWorking(String server) {
    long started = now();
    try {
      ServerState st = server(server).inspectServer(server);
      if (st.syncCycleEnabled()) {
        compensated(
            "RESUME_SCHEDULER", server, started, "NO_CHANGE", st, "scheduler already enabled");
        return;
      }
      AuthenticationCheck check = server(server).testConnectorAuthentication(server);
      if (!check.authenticated()
          && st.identityType() == IdentityType.ServiceAccount
          && "AccessDenied".equals(check.errorCode())) {
        // A service account that was just created: wait out its propagation, then resume.
        awaitSignIn(server, "the service account on " + server + " to sign in before resuming");
        check = AuthenticationCheck.ok();
      }
      if (!check.authenticated()) {
        compensated(
            "RESUME_SCHEDULER",
            server,
            started,
            NO_WORKING_IDENTITY,
            st,
            "left paused: no working identity ("
                + check.errorCode()
                + "); give it one, then Set-ADSyncScheduler -SyncCycleEnabled $true");
        return;
      }
      server(server).resumeScheduler(server);
      compensated(
          "RESUME_SCHEDULER",
          server,
          started,
          "COMPENSATED",
          server(server).inspectServer(server),
          "resumed: signs in with its " + st.identityType());
    } catch (TemporalFailure e) {
      journal.record(
          "RESUME_SCHEDULER",
          server,
          Executor.AUTOMATED.name(),
          "compensation",
          started,
          now(),
          0,
          "FAILED",
          Map.of(),
          Map.of(),
          "could not resume: " + describe(e, server));
    }
  }

  /** Restores a deleted app only when a server still authenticates with it. */
  private void restoreIfStillUsed(AppRegistration app) {
    long started = now();
    try {
      List<String> users = new ArrayList<>();
      for (String s : request.servers()) {
        ServerState st = server(s).inspectServer(s);
        if (st.identityType() == IdentityType.Application
            && key(app.appId()).equals(key(st.applicationId()))) {
          users.add(s);
        }
      }
      if (users.isEmpty()) {
        journal.record(
            "RESTORE_APPLICATION",
            PlannedStep.DIRECTORY,
            Executor.AUTOMATED.name(),
            "compensation",
            started,
            now(),
            0,
            "SKIPPED",
            Map.of(),
            Map.of("appId", app.appId()),
            "not restored: no server authenticates with " + app.displayName());
        return;
      }
      StepResult r = directory.restoreApplication(app.id(), approvedDeletions());
      journal.record(
          "RESTORE_APPLICATION",
          PlannedStep.DIRECTORY,
          Executor.AUTOMATED.name(),
          "compensation",
          started,
          now(),
          r.attempt(),
          r.changed() ? "COMPENSATED" : "NO_CHANGE",
          r.before(),
          r.after(),
          "restored for " + String.join(", ", users));
    } catch (TemporalFailure e) {
      journal.record(
          "RESTORE_APPLICATION",
          PlannedStep.DIRECTORY,
          Executor.AUTOMATED.name(),
          "compensation",
          started,
          now(),
          0,
          "FAILED",
          Map.of(),
          Map.of("appId", app.appId()),
          "could not restore: " + describe(e, null));
    }
  }

  private void compensated(
      String step, String server, long started, String outcome, ServerState st, String detail) {
    journal.record(
        step,
        server,
        Executor.AUTOMATED.name(),
        "compensation",
        started,
        now(),
        1,
        outcome,
        Map.of(),
        serverFacts(st),
        detail);
  }

  // ---- helpers ----------------------------------------------------------------------------

  private SyncServerActivities server(String name) {
    return serverStubs.computeIfAbsent(
        name,
        n ->
            Workflow.newActivityStub(
                SyncServerActivities.class, StepOptions.server(n, request.timings())));
  }

  private List<String> affectedServers() {
    List<String> all = new ArrayList<>();
    if (plan != null && plan.workingServer() != null) {
      all.add(plan.workingServer());
      all.addAll(plan.brokenServers());
    }
    return all;
  }

  /** What the directory worker may delete or restore: the plan's apps (see the activity). */
  private ApprovedDeletions approvedDeletions() {
    return ApprovedDeletions.of(Workflow.getInfo().getRunId(), plan.applicationsToDelete());
  }

  private RemediationResult result(String message, FleetObservation fleet) {
    List<ServerState> states = finalServers != null ? finalServers : fleet.servers();
    List<AppRegistration> apps = finalApps != null ? finalApps : fleet.applications();
    current = "DONE";
    serverSteps.replaceAll((k, v) -> "done");
    visibility.ended(outcome.name());
    journal.close();
    return new RemediationResult(
        outcome,
        message,
        plan,
        states.stream()
            .map(
                s ->
                    new ServerSummary(
                        s.server(),
                        String.valueOf(s.identityType()),
                        s.applicationId(),
                        s.machineId(),
                        s.syncCycleEnabled()))
            .toList(),
        apps.stream().map(a -> new ApplicationSummary(a.id(), a.appId(), a.displayName())).toList(),
        journal.entries());
  }

  private String describe(TemporalFailure e, String target) {
    boolean directoryStep = target == null || PlannedStep.DIRECTORY.equals(target);
    String queue = directoryStep ? TaskQueues.DIRECTORY : TaskQueues.forServer(target);
    return FailureText.of(e, queue, directoryStep ? "the directory worker's host" : target);
  }

  /** The target of a step key such as {@code PREFLIGHT@SERVERB}, or null when it names none. */
  private static String targetOf(String key) {
    int at = key.indexOf('@');
    return at < 0 ? null : key.substring(at + 1);
  }

  private static ApplicationFailure precondition(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.PRECONDITION_FAILED);
  }

  /**
   * How far back preflight counts AADSTS700027 events as current: the scheduler runs every 30 min.
   */
  private static final Duration RECENT_EVENTS = Duration.ofHours(24);

  /** Whether the entry was logged at or after {@code fromMillis}; an unreadable time counts. */
  private static boolean loggedSince(EventLogEntry e, long fromMillis) {
    try {
      return java.time.Instant.parse(e.timeCreated()).toEpochMilli() >= fromMillis;
    } catch (RuntimeException unreadable) {
      return true;
    }
  }

  private static boolean isSharedAppConflict(EventLogEntry e) {
    return e.eventId() == 906 && e.message() != null && e.message().contains(AADSTS700027);
  }

  private static Map<String, String> serverFacts(ServerState st) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("identityType", String.valueOf(st.identityType()));
    if (st.applicationId() != null) m.put("applicationId", st.applicationId());
    if (st.serviceAccountName() != null) m.put("serviceAccount", st.serviceAccountName());
    m.put("machineId", String.valueOf(st.machineId()));
    m.put("syncCycleEnabled", String.valueOf(st.syncCycleEnabled()));
    return m;
  }

  private static String key(String id) {
    return id == null ? "" : id.toLowerCase(Locale.ROOT);
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }

  private Timings timings() {
    return new Timings(request.timings());
  }

  /** The request's bounds as durations. */
  private record Timings(io.abafix.workflows.model.Timings t) {
    Duration propagation() {
      return Duration.ofSeconds(t.propagationWaitSeconds());
    }

    Duration poll() {
      return Duration.ofSeconds(Math.max(1, t.pollSeconds()));
    }

    Duration syncCycle() {
      return Duration.ofSeconds(t.syncCycleWaitSeconds());
    }
  }

  /** What one step did, before it goes into the journal. */
  private record StepRecord(
      String outcome,
      int attempts,
      String actor,
      Map<String, String> before,
      Map<String, String> after,
      String detail,
      List<String> problems) {

    static StepRecord of(StepResult r) {
      return new StepRecord(
          r.changed() ? "DONE" : "NO_CHANGE",
          r.attempt(),
          null,
          r.before(),
          r.after(),
          r.detail(),
          List.of());
    }

    static StepRecord done(
        int attempts, Map<String, String> before, Map<String, String> after, String detail) {
      return new StepRecord("DONE", attempts, null, before, after, detail, List.of());
    }

    static StepRecord noChange(Map<String, String> facts, String detail) {
      return new StepRecord("NO_CHANGE", 1, null, facts, facts, detail, List.of());
    }

    static StepRecord skipped(Map<String, String> facts, String detail) {
      return new StepRecord("SKIPPED", 0, null, facts, facts, detail, List.of());
    }

    StepRecord by(String actor) {
      return new StepRecord(outcome, attempts, actor, before, after, detail, problems);
    }

    StepRecord plusPolls(int extra) {
      return new StepRecord(
          outcome,
          attempts,
          actor,
          before,
          after,
          detail + (extra > 0 ? " (signed in after " + extra + " waits)" : ""),
          problems);
    }
  }
}
