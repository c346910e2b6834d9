package io.abafix.workflows.internal.remediation;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.approval.ProvenParameters;
import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.ServerState;
import io.abafix.workflows.internal.Gates;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.plan.PlannedStep;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The approvals a plan needs, asked for all at once before the first scheduler is paused, so that
 * the servers stop syncing for the minutes the steps take, not for the hours a person takes to
 * answer. Each gate is bound to the exact parameters its step will act on (the service account's
 * name, the machine ids, the apps); right before the step acts, it computes them again from what
 * the server reports now, and if they differ it asks again ({@link #confirm}).
 */
public final class PlanApprovals {
  /** Failure type of a plan whose approvals did not all come in time. */
  public static final String NOT_APPROVED_IN_TIME = "abafix.NotApprovedInTime";

  private final RemediationRun run;
  private final Map<String, Gates.Settled> approved = new HashMap<>();
  private final Map<String, Map<String, String>> approvedParameters = new HashMap<>();
  private boolean proven;

  public PlanApprovals(RemediationRun run) {
    this.run = run;
    run.proofs = this::authorization;
  }

  /**
   * Chooses the new machine ids (once: every retry and replay sees the same), then asks for every
   * destructive step's approval and waits.
   *
   * @throws ApplicationFailure when a gate is rejected or times out
   */
  public void collect() {
    for (String server : run.plan.regenerateMachineId()) {
      run.newMachineIds.put(server, Workflow.randomUUID().toString().replace("-", ""));
    }
    // Runs started before signed approvals show their gates without the operations they authorise.
    proven = Workflow.getVersion("proven-parameters", Workflow.DEFAULT_VERSION, 1) >= 1;
    List<Gates.Request> requests =
        run.plan.steps().stream()
            .filter(PlannedStep::destructive)
            .map(s -> request(s, planned(s), ""))
            .toList();
    if (requests.isEmpty()) return;
    run.current = "APPROVAL";
    settle(requests);
  }

  /**
   * Right before a destructive step acts: the step's approval, if its parameters are still the
   * approved ones; otherwise a new approval of the new ones.
   *
   * @param now the parameters computed from what the server reports now
   * @return who approved
   */
  public String confirm(PlannedStep step, Map<String, String> asNow) {
    String gate = step.key();
    Map<String, String> now = proven(step, asNow);
    boolean expiring = proven && expiresBeforeTheStepEnds(approved.get(gate));
    if (now.equals(approvedParameters.get(gate)) && !expiring) return approved.get(gate).by();
    if (expiring && now.equals(approvedParameters.get(gate))) {
      // The worker refuses an expired sign-in: ask the person again rather than fail the step.
      settle(List.of(request(step, now, " (the approver's sign-in has expired: approve again)")));
      return approved.get(gate).by();
    }
    String changed = changes(approvedParameters.getOrDefault(gate, Map.of()), now);
    settle(List.of(request(step, now, " (changed since approval: " + changed + ")")));
    return approved.get(gate).by();
  }

  /**
   * What differs between the approved parameters and the ones now, in the order of their names: the
   * same text on every JVM, whatever map either came in.
   */
  static String changes(Map<String, String> was, Map<String, String> now) {
    return String.join(
        ", ",
        now.keySet().stream()
            .sorted()
            .filter(k -> !now.get(k).equals(was.get(k)))
            .map(k -> k + " " + was.get(k) + " -> " + now.get(k))
            .toList());
  }

  /** How long before its expiry a sign-in is asked again for: a step's time, and some to spare. */
  private static final Duration SIGN_IN_MARGIN = Duration.ofMinutes(15);

  /**
   * Whether the approval's ID token expires before its step can be done (its claim, unverified).
   */
  private static boolean expiresBeforeTheStepEnds(Gates.Settled s) {
    if (s == null || s.proof() == null || s.proof().idToken() == null) return false;
    try {
      java.util.Date exp =
          com.nimbusds.jwt.JWTParser.parse(s.proof().idToken())
              .getJWTClaimsSet()
              .getExpirationTime();
      return exp != null
          && exp.getTime() < Workflow.currentTimeMillis() + SIGN_IN_MARGIN.toMillis();
    } catch (java.text.ParseException e) {
      return false;
    }
  }

  /**
   * The proof a step carries to its worker, which verifies it itself before it acts: for a gate's
   * step, the signed approval that settled that gate; for a non-destructive change (pause, resume,
   * rotation, ABA configuration, and the compensation's resume), an approval of this plan, every
   * one of which lists those changes ({@link ProvenParameters#CHANGES}); null when none was given.
   */
  public StepAuthorization authorization(String stepKey) {
    Gates.Settled s = approved.get(stepKey);
    if (s == null || s.proof() == null) {
      s = approved.values().stream().filter(a -> a.proof() != null).findFirst().orElse(null);
    }
    return new StepAuthorization(null, s == null ? null : s.proof());
  }

  private void settle(List<Gates.Request> requests) {
    ApprovalPolicy policy = run.request.approvals();
    String saved = run.waitingFor;
    List<Gates.Settled> settled;
    if (!policy.required()) {
      settled =
          run.gates.byPolicy(
              requests, run.planDigest, "this run's policy does not require approval");
    } else {
      run.waitingFor =
          "approval of " + String.join(", ", requests.stream().map(Gates.Request::gate).toList());
      String id = Workflow.getInfo().getWorkflowId();
      List<String> commands = new java.util.ArrayList<>();
      commands.add(
          "abafix approve " + id + " --gate PLAN --digest " + run.planDigest.substring(0, 12));
      for (Gates.Request r : requests) {
        int at = r.gate().indexOf('@');
        commands.add(
            "abafix approve "
                + id
                + " --step "
                + r.gate().substring(0, at)
                + " --server "
                + r.gate().substring(at + 1)
                + " --digest "
                + io.abafix.workflows.plan.PlanDigest.ofGate(
                        run.planDigest, r.gate(), r.parameters())
                    .substring(0, 12));
      }
      run.visibility.phase("APPROVAL", null);
      run.visibility.waiting(
          io.abafix.workflows.visibility.RunVisibility.WAITING_APPROVAL,
          run.waitingFor,
          commands.toArray(String[]::new));
      try {
        settled =
            run.gates.await(requests, run.planDigest, Duration.ofSeconds(policy.timeoutSeconds()));
      } finally {
        run.waitingFor = saved;
        run.visibility.doneWaiting();
      }
    }
    for (int i = 0; i < settled.size(); i++) {
      Gates.Settled s = settled.get(i);
      if (s.approved()) {
        approved.put(s.gate(), s);
        approvedParameters.put(s.gate(), requests.get(i).parameters());
      }
    }
    for (Gates.Settled s : settled) {
      if ("REJECTED".equals(s.outcome())) {
        throw ApplicationFailure.newNonRetryableFailure(
            s.gate() + " was rejected by " + s.by() + "; nothing was changed for it",
            FailureTypes.PERMANENT);
      }
    }
    List<String> late =
        settled.stream().filter(s -> !s.approved()).map(Gates.Settled::gate).toList();
    if (!late.isEmpty()) {
      List<String> refused = run.gates.refusals();
      throw ApplicationFailure.newNonRetryableFailure(
          "no approval for "
              + String.join(", ", late)
              + " within "
              + Duration.ofSeconds(policy.timeoutSeconds()).toMinutes()
              + " minutes"
              + (refused.isEmpty() ? "" : " (refused: " + String.join("; ", refused) + ")"),
          NOT_APPROVED_IN_TIME);
    }
  }

  private Gates.Request request(PlannedStep s, Map<String, String> parameters, String note) {
    return new Gates.Request(s.key(), s.target(), s.description() + note, proven(s, parameters));
  }

  /**
   * The parameters with the operation the approval authorises and its target, which the approver's
   * signed decision binds and the worker checks ({@link ProvenParameters}).
   */
  private Map<String, String> proven(PlannedStep s, Map<String, String> parameters) {
    if (!proven || parameters.keySet().stream().anyMatch(PROVEN::contains)) return parameters;
    Map<String, String> m = new LinkedHashMap<>(parameters);
    if (Workflow.getVersion("every-change-proven", Workflow.DEFAULT_VERSION, 1) >= 1) {
      // What the plan changes besides its gates: any approval of the plan authorises these.
      List<String> changes =
          run.plan.steps().stream()
              .filter(p -> ProvenParameters.NON_DESTRUCTIVE.contains(p.step().name()))
              .filter(p -> p.executor() != io.abafix.workflows.plan.Executor.OPERATOR)
              .map(PlannedStep::key)
              .toList();
      if (!changes.isEmpty()) m.put(ProvenParameters.CHANGES, ProvenParameters.list(changes));
      if (!run.retiredAppIds.isEmpty()) {
        m.put(ProvenParameters.RETIRED_APP_IDS, ProvenParameters.list(run.retiredAppIds));
      }
      if (s.step() == io.abafix.workflows.plan.StepName.DELETE_APPLICATIONS) {
        m.put(
            ProvenParameters.APPLICATION_IDS,
            ProvenParameters.list(
                run.plan.applicationsToDelete().stream()
                    .map(a -> a.id() + "=" + RemediationRun.key(a.appId()))
                    .toList()));
      }
    }
    switch (s.step()) {
      case REVERT_TO_SERVICE_ACCOUNT ->
          m.put(ProvenParameters.REVERT_TO_SERVICE_ACCOUNT, s.target());
      case REGENERATE_MACHINE_ID -> m.put(ProvenParameters.REGENERATE_MACHINE_ID, s.target());
      case DELETE_APPLICATIONS ->
          m.put(
              ProvenParameters.DELETE_APPLICATION,
              ProvenParameters.list(
                  run.plan.applicationsToDelete().stream().map(AppRegistration::id).toList()));
      default -> {}
    }
    return m;
  }

  private static final java.util.Set<String> PROVEN =
      java.util.Set.of(
          ProvenParameters.REVERT_TO_SERVICE_ACCOUNT,
          ProvenParameters.REGENERATE_MACHINE_ID,
          ProvenParameters.DELETE_APPLICATION);

  /** What each destructive step will act on, as planned from preflight. */
  private Map<String, String> planned(PlannedStep s) {
    return switch (s.step()) {
      case REVERT_TO_SERVICE_ACCOUNT -> {
        ServerState st = run.preflight.get(s.target());
        String newId = run.newMachineIds.get(s.target());
        String id12 = newId == null ? st.machineIdPrefix() : newId.substring(0, 12);
        yield revert(s.target(), "Sync_" + s.target() + "_" + id12, identity(st));
      }
      case REGENERATE_MACHINE_ID ->
          regenerate(run.preflight.get(s.target()).machineId(), run.newMachineIds.get(s.target()));
      case DELETE_APPLICATIONS -> deletion(run.plan.applicationsToDelete());
      default -> Map.of("step", s.key());
    };
  }

  /** The revert's parameters. */
  public Map<String, String> revert(String server, String account, String identityBefore) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("serviceAccount", account);
    m.put("credentialReference", String.valueOf(run.request.credentialReferenceFor(server)));
    m.put("identityBefore", identityBefore);
    return m;
  }

  /** The machine-id regeneration's parameters. */
  public static Map<String, String> regenerate(String from, String to) {
    return Map.of("machineIdFrom", String.valueOf(from), "machineIdTo", String.valueOf(to));
  }

  /** The deletion's parameters. */
  public static Map<String, String> deletion(List<AppRegistration> apps) {
    return Map.of(
        "applications",
        String.join(
            ", ",
            apps.stream()
                .map(a -> a.displayName() + "=" + a.appId() + " (" + a.id() + ")")
                .toList()),
        "count",
        String.valueOf(apps.size()));
  }

  /** The identity a revert replaces, e.g. {@code Application 0c1f...}. */
  public static String identity(ServerState st) {
    return st.identityLabel();
  }
}
