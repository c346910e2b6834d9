package io.abafix.activities.approval;

import io.abafix.activities.FailureTypes;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.util.Locale;
import java.util.Map;

/**
 * The check every changing step makes on its own worker before it touches anything:
 *
 * <ul>
 *   <li>the step carries a verified approval of its run, as the Temporal server recorded the run
 *       (the first run of its chain, so a reset keeps its approvals);
 *   <li>the approval binds this step, and every argument the step was given equals what the
 *       approver saw ({@link ProvenParameters#forStep});
 *   <li>under the two-person rule (this worker's, or the one the requester signed into the start),
 *       the requester's own start verifies and the approver is someone else;
 *   <li>the approval has not been used by another scheduling of the step ({@link ApprovalLedger}).
 * </ul>
 *
 * Anything less fails the step permanently with {@link FailureTypes#APPROVAL_REFUSED}; a key or a
 * server that does not answer fails it for a retry. The step itself then checks the bound state
 * against the live one ({@link VerifiedApproval#requireState}) and the single use ({@link
 * VerifiedApproval#requireUnspent}) right before it acts.
 *
 * <p>Compensation acts under the run's approvals: a resume under the plan's approval (it lists the
 * resume), a restore under the approval that let the same object be deleted. A compensation says so
 * ({@link StepAuthorization#COMPENSATION}) and has one use of its own beside the step's: a run
 * whose resume failed can still resume in its compensation, and no more.
 */
public final class ApprovalGuard {
  private final IdTokenVerifier verifier;
  private final ApprovalLedger ledger;
  private final StartedRuns runs;

  public ApprovalGuard(IdTokenVerifier verifier, ApprovalLedger ledger, StartedRuns runs) {
    if (verifier == null || ledger == null || runs == null) {
      throw new IllegalArgumentException("a verifier, a ledger and the runs' starts are required");
    }
    this.verifier = verifier;
    this.ledger = ledger;
    this.runs = runs;
  }

  /** Reading the runs' starts from the Temporal server the activity's worker talks to. */
  public ApprovalGuard(IdTokenVerifier verifier, ApprovalLedger ledger) {
    this(verifier, ledger, new TemporalStartedRuns());
  }

  /** Whose approvals this guard accepts. */
  public ApprovalTrust trust() {
    return verifier.trust();
  }

  /**
   * The check a workflow runs on a decision as it arrives, and on its own start, with this guard's
   * trust, keys and ledger: the directory worker registers it beside its steps.
   */
  public DecisionCheck decisionCheck() {
    return new DecisionCheckImpl(this);
  }

  /** One scheduling of a step, as the worker's own activity info gives it. */
  public record Scheduling(RunRef run, String activityId, long scheduledAt) {
    /** The scheduling of the activity executing on this thread. */
    public static Scheduling current() {
      ActivityInfo info = Activity.getExecutionContext().getInfo();
      return new Scheduling(
          new RunRef(info.getNamespace(), info.getWorkflowId(), info.getRunId()),
          info.getActivityId(),
          info.getScheduledTimestamp());
    }

    String holder() {
      return run.runId() + " activity " + activityId + " scheduled " + scheduledAt;
    }
  }

  /**
   * @param step the step's key, {@code STEP@TARGET} (a gate's name)
   * @param object what this use acts on (a server, an object id): one use each
   * @param arguments the step's own arguments, each compared with the approval's bound value
   * @throws ApplicationFailure non-retryable {@link FailureTypes#APPROVAL_REFUSED}, or retryable
   *     {@link FailureTypes#TRANSIENT} when keys or the server do not answer
   */
  public VerifiedApproval authorize(
      StepAuthorization proofs,
      Scheduling at,
      String step,
      String object,
      Map<String, String> arguments) {
    return authorize(proofs, at, step, object, arguments, false);
  }

  /**
   * {@link #authorize(StepAuthorization, Scheduling, String, String, Map)} for a step that also
   * undoes (a resume, a restore): it accepts a {@link StepAuthorization#COMPENSATION} use, which
   * every other step refuses.
   */
  public VerifiedApproval authorizeUndo(
      StepAuthorization proofs,
      Scheduling at,
      String step,
      String object,
      Map<String, String> arguments) {
    return authorize(proofs, at, step, object, arguments, true);
  }

  private VerifiedApproval authorize(
      StepAuthorization proofs,
      Scheduling at,
      String step,
      String object,
      Map<String, String> arguments,
      boolean undoes) {
    try {
      if (proofs != null && proofs.use() != null && !undoes) {
        throw new ProofRefusedException(step + " undoes nothing: it cannot be a " + proofs.use());
      }
      return check(proofs, at, step, object, arguments);
    } catch (KeysUnavailableException | RunUnreadableException e) {
      // Not a refusal: the proof is checked again at the next attempt, nothing changed before.
      throw ApplicationFailure.newFailure(
          step + " not yet verified, nothing changed: " + e.getMessage(), FailureTypes.TRANSIENT);
    } catch (ProofRefusedException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          step + " refused, nothing changed: " + e.getMessage(), FailureTypes.APPROVAL_REFUSED);
    }
  }

  private VerifiedApproval check(
      StepAuthorization proofs,
      Scheduling at,
      String step,
      String object,
      Map<String, String> arguments)
      throws ProofRefusedException {
    ApprovalProof approval = proofs == null ? null : proofs.approval();
    if (approval == null) {
      throw new ProofRefusedException("the step carries no signed approval");
    }
    if (!DecisionBinding.APPROVE.equals(approval.decision())) {
      throw new ProofRefusedException("the decision carried is " + approval.decision());
    }
    RunRef run = at.run();
    StartedRun started = runs.of(run.namespace(), run.workflowId(), run.runId());
    DecisionBinding binding =
        approval.bindingFor(run.namespace(), run.workflowId(), started.firstRunId());
    Map<String, String> bound = ProvenParameters.forStep(binding, step);
    // A destructive step needs a sign-in still valid now (the run asks again when it is not); a
    // non-destructive change, or a compensation, acts under the plan's approval for the run's
    // life: its nonce binds this run, it acts once, and the step checks the live state.
    boolean lasting = !destructive(step) || proofs.use() != null;
    VerifiedIdentity approver =
        lasting
            ? verifier.verifyAsIssued(approval.idToken(), binding.nonce(), true)
            : verifier.verify(approval.idToken(), binding.nonce(), true);
    if (bound == null) {
      throw new ProofRefusedException(
          approver.upn()
              + " approved "
              + binding.gate()
              + " of this run, which does not bind "
              + step);
    }
    for (Map.Entry<String, String> a : arguments.entrySet()) {
      String approved = bound.get(a.getKey());
      String given = a.getValue() == null ? "" : a.getValue();
      if (approved == null || !approved.equalsIgnoreCase(given)) {
        throw new ProofRefusedException(
            "the step was given "
                + a.getKey()
                + " "
                + given
                + ", and "
                + approver.upn()
                + " approved "
                + (approved == null ? "no such value" : approved));
      }
    }
    VerifiedIdentity requester = null;
    if (twoPerson(started)) {
      requester = requester(started);
      if (requester.objectId().equals(approver.objectId())) {
        throw new ProofRefusedException(
            "two-person rule: " + approver.upn() + " started this run and cannot approve it");
      }
    }
    String key =
        String.join(
            "|",
            "step",
            run.namespace(),
            run.workflowId(),
            started.firstRunId(),
            step.toUpperCase(Locale.ROOT),
            object == null ? "" : object.toLowerCase(Locale.ROOT),
            proofs.use() == null ? "" : proofs.use());
    return new VerifiedApproval(
        approver, requester, binding, step, bound, () -> ledger.claim(key, at.holder()));
  }

  /** Whether {@code step} is one only a gate's approval covers (destructive), not a change. */
  private static boolean destructive(String step) {
    String name = step.contains("@") ? step.substring(0, step.indexOf('@')) : step;
    return !ProvenParameters.NON_DESTRUCTIVE.contains(name.toUpperCase(Locale.ROOT));
  }

  /** Whether the two-person rule holds for this run: this worker's, or the signed start's. */
  boolean twoPerson(StartedRun started) {
    return verifier.trust().twoPerson() || (started.start() != null && started.start().twoPerson());
  }

  /**
   * Who started the run, proven: the requester's own signed start, checked at the time the server
   * recorded the start; for a run an incident started, the signed approval of the incident's
   * proposal that names this run.
   *
   * @throws ProofRefusedException when the run has no start that verifies
   */
  VerifiedIdentity requester(StartedRun started) throws ProofRefusedException {
    RunStart start = started.start();
    if (start == null || start.signed() == null) {
      throw new ProofRefusedException(
          "two-person rule: the run has no signed start, so nobody can show the approver is"
              + " someone else");
    }
    ApprovalProof signed = start.signed();
    if (start.startedBy() == null) {
      DecisionBinding expected =
          RunStart.binding(
              started.namespace(), started.workflowId(), start.startId(), start.twoPerson());
      if (!signed.bindingFor(started.namespace(), started.workflowId(), "").equals(expected)) {
        throw new ProofRefusedException("the signed start was made for another start");
      }
      return verifier.verify(signed.idToken(), expected.nonce(), false, started.startedAt());
    }
    if (!start.startedBy().equals(started.parentWorkflowId())) {
      throw new ProofRefusedException(
          "the run says the incident "
              + start.startedBy()
              + " started it, and the server says "
              + (started.parentWorkflowId() == null ? "no workflow" : started.parentWorkflowId())
              + " did");
    }
    StartedRun parent =
        runs.of(started.namespace(), started.parentWorkflowId(), started.parentRunId());
    DecisionBinding proposal =
        signed.bindingFor(parent.namespace(), parent.workflowId(), parent.firstRunId());
    boolean namesThisRun =
        proposal.parameters().entrySet().stream()
            .anyMatch(
                e ->
                    (e.getKey().equals("workflows") || e.getKey().endsWith("/workflows"))
                        && ProvenParameters.values(Map.of("v", e.getValue()), "v")
                            .contains(started.workflowId()));
    if (!DecisionBinding.APPROVE.equals(proposal.decision()) || !namesThisRun) {
      throw new ProofRefusedException(
          "the incident's approval does not approve starting " + started.workflowId());
    }
    return verifier.verify(signed.idToken(), proposal.nonce(), true, started.startedAt());
  }

  /**
   * The run's start, checked once at its preflight: it exists, was not used by another run (a
   * replayed start input), and, under the two-person rule, is signed by its requester.
   */
  public VerifiedStart claimStart(RunRef run) throws ProofRefusedException {
    StartedRun started = runs.of(run.namespace(), run.workflowId(), run.runId());
    RunStart start = started.start();
    if (start == null) {
      throw new ProofRefusedException(
          "the run's input has no start record: start runs with abafix remediate (or an"
              + " incident), which give each start its own id");
    }
    String key = String.join("|", "start", run.namespace(), run.workflowId(), start.startId());
    String other = ledger.claim(key, started.firstRunId());
    if (other != null) {
      throw new ProofRefusedException(
          "this start input was already used by run "
              + other
              + ": a replayed start is refused; start a new run with abafix remediate");
    }
    boolean twoPerson = twoPerson(started);
    VerifiedIdentity requester = twoPerson || (start.signed() != null) ? requester(started) : null;
    return new VerifiedStart(requester, twoPerson);
  }

  /** A decision's check on the directory worker, with the same rules as the steps'. */
  public VerifiedIdentity checkDecision(ApprovalProof proof, RunRef run, boolean requireRole)
      throws ProofRefusedException {
    if (proof == null) throw new ProofRefusedException("no sign-in: a typed name is not a proof");
    StartedRun started = runs.of(run.namespace(), run.workflowId(), run.runId());
    DecisionBinding binding =
        proof.bindingFor(run.namespace(), run.workflowId(), started.firstRunId());
    VerifiedIdentity who = verifier.verify(proof.idToken(), binding.nonce(), requireRole);
    if (twoPerson(started) && DecisionBinding.APPROVE.equals(binding.decision())) {
      VerifiedIdentity requester;
      try {
        requester = requester(started);
      } catch (ProofRefusedException e) {
        throw new ProofRefusedException(
            "a two-person run accepts no approval before a verified start: " + e.getMessage());
      }
      if (requester.objectId().equals(who.objectId())) {
        throw new ProofRefusedException(
            "two-person rule: " + who.upn() + " started this run and cannot approve it");
      }
    }
    return who;
  }
}
