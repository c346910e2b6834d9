package io.abafix.workflows.internal;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.DecisionCheck;
import io.abafix.activities.approval.RunRef;
import io.abafix.activities.approval.VerifiedIdentity;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.Function;

/**
 * How a workflow checks a person's signed decision as it arrives, so a bad sign-in is refused to
 * the person at once and the journal names whom the token proves. The check runs on the tenant's
 * directory worker ({@link DecisionCheck}), which already trusts that tenant's approvers and holds
 * its signing keys: the orchestrator, which may serve many tenants, needs no approver configuration
 * of its own. The workers that act verify every proof again; they are the enforcement point.
 */
public final class SignedDecisions {
  /** Why a decision is refused, as the person sees it. */
  public static final String REFUSED = Gates.DECISION_REFUSED;

  /** Verifies one proof for the running workflow. */
  @FunctionalInterface
  public interface Verifier {
    /**
     * @return who signed in, or null for a run begun before decisions were verified here (its
     *     history has no such check, so replaying it must not add one)
     * @param mismatch why what the proof binds is not what the run asks now, or null when it is
     * @throws ApplicationFailure non-retryable {@link #REFUSED}, with why
     */
    VerifiedIdentity verify(
        ApprovalProof proof, boolean requireRole, Function<DecisionBinding, String> mismatch);
  }

  private SignedDecisions() {}

  /** The first run of this run's chain, which decisions bind (a reset keeps it). */
  public static String firstRun() {
    var info = Workflow.getInfo();
    return io.abafix.activities.approval.TemporalStartedRuns.firstRunOf(
        info.getFirstExecutionRunId(), info.getRunId());
  }

  /** Version of runs that prove their own start at preflight. */
  public static final int VERIFIED_START = 1;

  /**
   * The run's start, proven by its tenant's directory worker from the server's record of it (see
   * {@link DecisionCheck#checkStart}).
   *
   * @throws ApplicationFailure non-retryable {@link #REFUSED}, saying why the start is refused
   */
  public static io.abafix.activities.approval.VerifiedStart checkStart(Route route) {
    try {
      // The directory worker may be starting: wait for it longer than for a person's decision.
      return stub(route, Duration.ofMinutes(10)).checkStart();
    } catch (ActivityFailure e) {
      String why =
          e.getCause() instanceof ApplicationFailure a
              ? a.getOriginalMessage()
              : "the run's start could not be checked (is the directory worker polling?): "
                  + e.getCause().getMessage();
      throw ApplicationFailure.newNonRetryableFailure(why, REFUSED);
    }
  }

  private static DecisionCheck stub(Route route, Duration patience) {
    return Workflow.newActivityStub(
        DecisionCheck.class,
        ActivityOptions.newBuilder()
            .setTaskQueue(route.directoryQueue())
            .setContextPropagators(route.propagators())
            // Not waiting long for a directory worker that is down: the person retries.
            .setScheduleToCloseTimeout(patience)
            .setStartToCloseTimeout(Duration.ofSeconds(30))
            .setRetryOptions(
                RetryOptions.newBuilder()
                    .setMaximumAttempts(patience.compareTo(Duration.ofMinutes(2)) > 0 ? 0 : 3)
                    .setDoNotRetry(FailureTypes.APPROVAL_REFUSED)
                    .build())
            .build());
  }

  /**
   * The verifier of a workflow: its own run, checked by its tenant's directory worker.
   *
   * @param route the run's route: the check goes to the tenant's directory queue, with the tenant
   *     in its header like every step
   */
  public static Verifier inWorkflow(Route route) {
    return (proof, requireRole, mismatch) -> {
      if (Workflow.getVersion("verified-decisions", Workflow.DEFAULT_VERSION, 1)
          == Workflow.DEFAULT_VERSION) {
        return null;
      }
      if (proof == null || proof.idToken() == null || proof.idToken().isBlank()) {
        throw ApplicationFailure.newNonRetryableFailure(
            "sign in to decide (abafix approve, reject and confirm sign you in with Entra ID):"
                + " a typed name is not a proof",
            REFUSED);
      }
      var info = Workflow.getInfo();
      // Decisions bind the chain's first run: a reset keeps them.
      String wrong =
          mismatch.apply(proof.bindingFor(info.getNamespace(), info.getWorkflowId(), firstRun()));
      if (wrong != null) throw ApplicationFailure.newNonRetryableFailure(wrong, REFUSED);
      DecisionCheck check = stub(route, Duration.ofMinutes(2));
      try {
        return check.verify(
            proof,
            new RunRef(info.getNamespace(), info.getWorkflowId(), info.getRunId()),
            requireRole);
      } catch (ActivityFailure e) {
        String why =
            e.getCause() instanceof ApplicationFailure a
                ? a.getOriginalMessage()
                : "the sign-in could not be checked now (is the directory worker polling?): "
                    + e.getCause().getMessage();
        throw ApplicationFailure.newNonRetryableFailure(why, REFUSED);
      }
    };
  }
}
