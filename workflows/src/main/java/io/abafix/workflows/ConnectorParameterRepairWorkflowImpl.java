package io.abafix.workflows;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.SyncServerActivities;
import io.abafix.activities.approval.ProvenParameters;
import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.approval.VerifiedStart;
import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.StepResult;
import io.abafix.activities.model.Versions;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.internal.FailureText;
import io.abafix.workflows.internal.Gates;
import io.abafix.workflows.internal.Route;
import io.abafix.workflows.internal.SignedDecisions;
import io.abafix.workflows.internal.StepOptions;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RepairRequest;
import io.abafix.workflows.model.RepairResult;
import io.abafix.workflows.model.RepairStep;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.PlanDigest;
import io.abafix.workflows.visibility.RunVisibility;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** See {@link ConnectorParameterRepairWorkflow}. */
public class ConnectorParameterRepairWorkflowImpl implements ConnectorParameterRepairWorkflow {
  /** Failure type of the workflow itself when a step failed. */
  public static final String REPAIR_FAILED = "abafix.RepairFailed";

  private static final List<String> ALL_PARAMETERS =
      List.of("ApplicationManagedBy", "CertificateManagedBy", "CertificateId");

  private RepairRequest request;
  private AuditJournal journal;
  private SyncServerActivities server;
  private Route route;
  private Outcome outcome = Outcome.RUNNING;
  private String current = RepairStep.PREFLIGHT.name();
  private final RunVisibility visibility = new RunVisibility();
  private Gates gates;
  private String waitingFor;

  @Override
  public RepairResult repair(RepairRequest request) {
    this.request = request;
    this.journal = new AuditJournal(Workflow.getInfo().getRunId());
    if (request.server() == null || request.server().isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the request names no server", FailureTypes.PERMANENT);
    }
    String name = request.server();
    this.route = Route.of(request.tenant());
    this.server = StepOptions.serverStub(route, name, request.timings());
    this.gates =
        Gates.inWorkflow(journal, route, "nothing in this repair is waiting for approval", null);
    long now = now();
    journal.record(
        "REQUEST",
        name,
        Executor.OPERATOR.name(),
        request.requestedBy(),
        now,
        now,
        0,
        "INFO",
        Map.of(),
        Map.of("moduleSource", request.moduleSource()),
        "connector-parameter repair of " + name + " in " + request.tenant());

    ServerState before =
        step(
            RepairStep.PREFLIGHT,
            () -> {
              ServerState st = server.inspectServer(name);
              return new Step<>(st, "DONE", 1, Map.of(), facts(st), preflightDetail(st));
            });
    List<String> blankBefore = blank(before);
    if (before.identityType() != IdentityType.Application) {
      return finish(
          Outcome.NOTHING_TO_DO,
          name
              + " does not use application-based authentication ("
              + before.identityType()
              + "): it has no ABA parameters to repair",
          List.of(),
          before,
          before);
    }
    if (blankBefore.isEmpty()) {
      return finish(
          Outcome.NOTHING_TO_DO,
          name + " already has ApplicationManagedBy, CertificateManagedBy and CertificateId",
          List.of(),
          before,
          before);
    }

    Map<String, StepAuthorization> proofs = approve(name, before, blankBefore);
    if (proofs == null) {
      return finish(
          Outcome.BLOCKED,
          "the repair of " + name + " was not approved; nothing was changed: " + refusal,
          blankBefore,
          before,
          before);
    }
    step(
        RepairStep.INSTALL_AD_SYNC_TOOLS,
        () ->
            Step.of(
                server.installAdSyncTools(
                    name,
                    request.moduleSource(),
                    proofs.get(RepairStep.INSTALL_AD_SYNC_TOOLS.name()))));
    step(
        RepairStep.REPAIR_PARAMETERS,
        () ->
            Step.of(
                server.repairConnectorParameters(
                    name, proofs.get(RepairStep.REPAIR_PARAMETERS.name()))));
    ServerState after =
        step(
            RepairStep.VERIFY_PARAMETERS,
            () -> {
              ServerState st = server.inspectServer(name);
              List<String> still = blank(st);
              return new Step<>(
                  st,
                  still.isEmpty() ? "DONE" : "FAILED",
                  1,
                  Map.of(),
                  facts(st),
                  still.isEmpty()
                      ? "all three parameters present"
                      : String.join(", ", still) + " still blank");
            });
    List<String> blankAfter = blank(after);
    return blankAfter.isEmpty()
        ? finish(
            Outcome.SUCCEEDED,
            "restored " + String.join(", ", blankBefore) + " on " + name,
            blankBefore,
            before,
            after)
        : finish(
            Outcome.VERIFICATION_FAILED,
            String.join(", ", blankAfter)
                + " still blank on "
                + name
                + " after the repair: run the Entra Connect wizard there",
            blankBefore,
            before,
            after);
  }

  private String refusal;

  /**
   * Proves the run's start, then asks for the approval of the install and the repair, each bound to
   * its exact parameters.
   *
   * @return the proof each step carries, by step name; null when the start was refused or the
   *     approval rejected or not given in time ({@link #refusal} says which)
   */
  private Map<String, StepAuthorization> approve(
      String name, ServerState before, List<String> blankBefore) {
    if (Workflow.getVersion("every-change-proven", Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      return Map.of(
          RepairStep.INSTALL_AD_SYNC_TOOLS.name(), StepAuthorization.none(),
          RepairStep.REPAIR_PARAMETERS.name(), StepAuthorization.none());
    }
    try {
      VerifiedStart start = SignedDecisions.checkStart(route);
      if (start.twoPerson()) gates.requesterVerified(start.requester());
    } catch (ApplicationFailure e) {
      refusal = "the run's start is refused: " + e.getOriginalMessage();
      return null;
    }
    String install = Gates.name(RepairStep.INSTALL_AD_SYNC_TOOLS.name(), name);
    String repair = Gates.name(RepairStep.REPAIR_PARAMETERS.name(), name);
    Map<String, String> installs = new LinkedHashMap<>();
    installs.put(ProvenParameters.INSTALL_AD_SYNC_TOOLS, name);
    installs.put("moduleSource", request.moduleSource());
    installs.put("adSyncToolsBefore", String.valueOf(before.adSyncToolsVersion()));
    Map<String, String> repairs = new LinkedHashMap<>();
    repairs.put("blankParameters", String.join(", ", blankBefore));
    repairs.put("identity", before.identityLabel());
    String digest =
        PlanDigest.ofLines(
            List.of(
                "repair",
                request.tenant(),
                name,
                request.moduleSource(),
                String.join(",", blankBefore),
                before.identityLabel()));
    List<Gates.Request> requests =
        List.of(
            new Gates.Request(
                install,
                name,
                "make ADSyncTools "
                    + SyncServerActivities.MIN_AD_SYNC_TOOLS_VERSION
                    + " or later available on "
                    + name
                    + " from "
                    + request.moduleSource(),
                installs),
            new Gates.Request(
                repair,
                name,
                "Repair-ADSyncToolsEntraAppParameters on "
                    + name
                    + " (blank: "
                    + String.join(", ", blankBefore)
                    + ")",
                repairs));
    Duration timeout = Duration.ofSeconds(ApprovalPolicy.standard().timeoutSeconds());
    current = "APPROVAL";
    waitingFor = "approval of " + install + ", " + repair;
    visibility.waiting(
        RunVisibility.WAITING_APPROVAL,
        waitingFor,
        "abafix approve "
            + Workflow.getInfo().getWorkflowId()
            + " --gate PLAN --digest "
            + digest.substring(0, 12));
    List<Gates.Settled> settled;
    try {
      settled = gates.await(requests, digest, timeout);
    } finally {
      waitingFor = null;
      visibility.doneWaiting();
    }
    Map<String, StepAuthorization> proofs = new LinkedHashMap<>();
    for (Gates.Settled g : settled) {
      if (!g.approved()) {
        refusal =
            g.gate()
                + " "
                + g.outcome()
                + (g.by() == null ? "" : " by " + g.by())
                + (g.comment() == null || g.comment().isBlank() ? "" : ": " + g.comment());
        return null;
      }
      proofs.put(
          g.gate().substring(0, g.gate().indexOf('@')), new StepAuthorization(null, g.proof()));
    }
    return proofs;
  }

  @Override
  public void validateDecision(ApprovalRequest r) {
    if (gates == null) throw new IllegalStateException("the run has not started yet");
    gates.validate(r);
  }

  @Override
  public String decide(ApprovalRequest r) {
    return gates.decide(r);
  }

  @Override
  public Progress progress() {
    List<PendingApproval> pending = gates == null ? List.of() : gates.pending();
    return new Progress(
        outcome,
        current,
        request == null ? Map.of() : Map.of(request.server(), current),
        waitingFor,
        pending.isEmpty() ? null : pending.get(0),
        null,
        journal == null ? 0 : journal.size(),
        pending);
  }

  @Override
  public List<AuditEntry> audit() {
    return journal == null ? List.of() : journal.entries();
  }

  // ---- steps ------------------------------------------------------------------------------

  /** What one step produced, before it goes into the journal. */
  private record Step<T>(
      T value,
      String outcome,
      int attempts,
      Map<String, String> before,
      Map<String, String> after,
      String detail) {
    static Step<StepResult> of(StepResult r) {
      return new Step<>(
          r, r.changed() ? "DONE" : "NO_CHANGE", r.attempt(), r.before(), r.after(), r.detail());
    }
  }

  /** Runs one step and records it; a failure is recorded and ends the run. */
  private <T> T step(RepairStep name, Supplier<Step<T>> body) {
    current = name.name();
    visibility.phase(current, request.server());
    long started = now();
    try {
      Step<T> s = body.get();
      journal.record(
          name.name(),
          request.server(),
          name == RepairStep.PREFLIGHT || name == RepairStep.VERIFY_PARAMETERS
              ? Executor.WORKFLOW.name()
              : Executor.AUTOMATED.name(),
          null,
          started,
          now(),
          s.attempts(),
          s.outcome(),
          s.before(),
          s.after(),
          s.detail());
      return s.value();
    } catch (TemporalFailure e) {
      String why = FailureText.of(e, route.serverQueue(request.server()), request.server());
      journal.record(
          name.name(),
          request.server(),
          Executor.AUTOMATED.name(),
          null,
          started,
          now(),
          0,
          "FAILED",
          Map.of(),
          Map.of(),
          why);
      outcome = Outcome.FAILED;
      current = "DONE";
      visibility.ended(outcome.name());
      throw ApplicationFailure.newNonRetryableFailure(
          "repair of " + request.server() + " stopped at " + name + ": " + why, REPAIR_FAILED);
    }
  }

  private RepairResult finish(
      Outcome end,
      String message,
      List<String> blankBefore,
      ServerState before,
      ServerState after) {
    outcome = end;
    current = "DONE";
    visibility.ended(outcome.name());
    long now = now();
    journal.record(
        "RESULT",
        request.server(),
        Executor.WORKFLOW.name(),
        null,
        now,
        now,
        0,
        end == Outcome.SUCCEEDED || end == Outcome.NOTHING_TO_DO ? "DONE" : "FAILED",
        Map.of(),
        Map.of("outcome", end.name()),
        message);
    return new RepairResult(
        end,
        message,
        request.server(),
        blankBefore,
        blank(after),
        before.adSyncToolsVersion(),
        after.adSyncToolsVersion(),
        journal.entries());
  }

  private static String preflightDetail(ServerState st) {
    List<String> blank = blank(st);
    String tools = st.adSyncToolsVersion() == null ? "not installed" : st.adSyncToolsVersion();
    return "Connect "
        + st.version()
        + ", "
        + st.identityType()
        + (blank.isEmpty() ? ", ABA parameters present" : ", blank: " + String.join(", ", blank))
        + ", ADSyncTools "
        + tools
        + (Versions.atLeast(st.adSyncToolsVersion(), SyncServerActivities.MIN_AD_SYNC_TOOLS_VERSION)
            ? ""
            : " (needs " + SyncServerActivities.MIN_AD_SYNC_TOOLS_VERSION + ")");
  }

  /** The blank parameters of a server on Application; none for any other identity. */
  static List<String> blank(ServerState st) {
    if (st.identityType() != IdentityType.Application) return List.of();
    AbaParameters p = st.abaParameters();
    return p == null ? ALL_PARAMETERS : p.blankNames();
  }

  private static Map<String, String> facts(ServerState st) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("version", String.valueOf(st.version()));
    m.put("identityType", String.valueOf(st.identityType()));
    m.put("adSyncToolsVersion", String.valueOf(st.adSyncToolsVersion()));
    AbaParameters p = st.abaParameters();
    m.put("applicationManagedBy", p == null ? "(none)" : String.valueOf(p.applicationManagedBy()));
    m.put("certificateManagedBy", p == null ? "(none)" : String.valueOf(p.certificateManagedBy()));
    m.put("certificateId", p == null ? "(none)" : String.valueOf(p.certificateId()));
    return m;
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }
}
