package io.abafix.workflows.internal;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.VerifiedIdentity;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.model.ConfirmRequest;
import io.abafix.workflows.model.OperatorTask;
import io.abafix.workflows.plan.Executor;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Steps a person does (a wizard page, an MFA sign-in) and confirms with {@code abafix confirm}. One
 * task is open at a time; a confirmation is bound to it by step and server.
 *
 * <p>The update handler never checks the effect itself: it hands the confirmation to the run and
 * waits for the verdict. The run checks the effect on the server (activities, on the workflow's own
 * thread) and answers, so the check is not raced by the task's timeout or a cancellation: when
 * either comes first, the task is closed and the confirmation refused with that reason. A second
 * confirmation while one is being checked, or after the task closed, is refused; nothing but an
 * {@link ApplicationFailure} ever leaves the handler.
 */
public final class OperatorTasks {
  /** Failure type of a refused confirmation. */
  public static final String CONFIRMATION_REFUSED = "abafix.ConfirmationRefused";

  private enum State {
    OPEN,
    CHECKING,
    CONFIRMED,
    TIMED_OUT,
    CANCELLED
  }

  private static final class Claim {
    final ConfirmRequest request;
    String refusal;
    boolean accepted;

    Claim(ConfirmRequest request) {
      this.request = request;
    }

    boolean answered() {
      return accepted || refusal != null;
    }
  }

  private final AuditJournal journal;
  private OperatorTask task;
  private State state;
  private String confirmedBy;
  private Claim claim;

  private final SignedDecisions.Verifier verifier;

  /** In a workflow: confirmations are signed, and checked as they arrive (by the tenant's). */
  public OperatorTasks(AuditJournal journal, Route route) {
    this(journal, SignedDecisions.inWorkflow(route));
  }

  public OperatorTasks(AuditJournal journal, SignedDecisions.Verifier verifier) {
    this.journal = journal;
    this.verifier = verifier;
  }

  /** The task waiting for a person, or null. */
  public OperatorTask pending() {
    return state == State.OPEN || state == State.CHECKING ? task : null;
  }

  // ---- the workflow's side ------------------------------------------------------------------

  /**
   * Opens the task and waits until a confirmation is verified by {@code missing} or {@code timeout}
   * passes.
   *
   * @param missing runs on the workflow thread; returns null when the effect is in place, else what
   *     is still missing
   * @return who confirmed
   * @throws ApplicationFailure {@link FailureTypes#PERMANENT} when nobody confirmed in time
   */
  public String await(OperatorTask task, Supplier<String> missing, Duration timeout) {
    this.task = task;
    this.state = State.OPEN;
    this.claim = null;
    long deadline = Workflow.currentTimeMillis() + timeout.toMillis();
    try {
      while (true) {
        Duration left = Duration.ofMillis(Math.max(0, deadline - Workflow.currentTimeMillis()));
        boolean claimed = Workflow.await(left, () -> claim != null && !claim.answered());
        if (!claimed) {
          close(State.TIMED_OUT, "the operator step timed out");
          throw ApplicationFailure.newNonRetryableFailure(
              "nobody confirmed " + task.gate() + " within " + timeout.toMinutes() + " minutes",
              FailureTypes.PERMANENT);
        }
        String notYet = missing.get();
        if (notYet == null) {
          confirmedBy = claim.request.by();
          claim.accepted = true;
          state = State.CONFIRMED;
          return confirmedBy;
        }
        long at = Workflow.currentTimeMillis();
        journal
            .entry(task.step())
            .target(task.server())
            .executor(Executor.OPERATOR.name())
            .actor(claim.request.by())
            .at(at)
            .outcome("NOT_CONFIRMED")
            .detail("confirmation refused: " + notYet)
            .record();
        claim.refusal = "not confirmed: " + notYet;
        state = State.OPEN;
      }
    } catch (CanceledFailure e) {
      close(State.CANCELLED, "the run is being cancelled");
      throw e;
    } catch (RuntimeException e) {
      // The check itself failed (a worker gone, an activity out of retries): say so, then stop.
      close(State.CANCELLED, "the run could not check the effect and stopped");
      throw e;
    }
  }

  private void close(State closed, String why) {
    if (state == State.CONFIRMED) return;
    state = closed;
    if (claim != null && !claim.answered()) claim.refusal = why + ": confirmation not accepted";
  }

  // ---- the person's side --------------------------------------------------------------------

  /** The update validator. */
  public void validate(ConfirmRequest r) {
    String refusal = refusal(r);
    if (refusal != null) throw new IllegalArgumentException(refusal);
  }

  /**
   * The update handler: waits for the run's verdict on the effect.
   *
   * @return what was verified
   * @throws ApplicationFailure {@link #CONFIRMATION_REFUSED} with what is missing, or why the task
   *     no longer takes confirmations
   */
  public String confirm(ConfirmRequest r) {
    String refusal = refusal(r);
    if (refusal != null) {
      throw ApplicationFailure.newNonRetryableFailure(refusal, CONFIRMATION_REFUSED);
    }
    String gate0 = task.gate();
    VerifiedIdentity who =
        verifier.verify(
            r.proof(),
            false,
            signed ->
                signed.equals(
                        DecisionBinding.confirm(
                            signed.namespace(), signed.workflowId(), signed.runId(), gate0))
                    ? null
                    : "the sign-in was made to confirm "
                        + signed.gate()
                        + ", not "
                        + gate0
                        + ": sign in again");
    if (who != null) {
      // The check took time: the task may have closed, or another confirmation come, meanwhile.
      refusal = refusal(r);
      if (refusal == null && !task.gate().equals(gate0)) refusal = gate0 + " is no longer open";
      if (refusal != null) {
        throw ApplicationFailure.newNonRetryableFailure(refusal, CONFIRMATION_REFUSED);
      }
      r = new ConfirmRequest(r.step(), r.server(), who.label(), r.proof());
    }
    Claim mine = new Claim(r);
    claim = mine;
    state = State.CHECKING;
    String gate = task.gate();
    try {
      Workflow.await(mine::answered);
    } catch (CanceledFailure e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the run is being cancelled: confirmation of " + gate + " not accepted",
          CONFIRMATION_REFUSED);
    }
    if (!mine.accepted) {
      throw ApplicationFailure.newNonRetryableFailure(mine.refusal, CONFIRMATION_REFUSED);
    }
    return "verified " + gate;
  }

  private String refusal(ConfirmRequest r) {
    if (r == null || (r.proof() == null && (r.by() == null || r.by().isBlank()))) {
      return "sign in to confirm (abafix confirm signs you in with Entra ID)";
    }
    if (task == null) return "nothing in this run is waiting for an operator step";
    String named = r.step() + " on " + r.server();
    if (!task.step().equalsIgnoreCase(String.valueOf(r.step()))
        || !task.server().equalsIgnoreCase(String.valueOf(r.server()))) {
      return pending() == null
          ? "nothing in this run is waiting for an operator step (not " + named + ")"
          : "the step waiting for an operator is "
              + task.step()
              + " on "
              + task.server()
              + ", not "
              + named;
    }
    return switch (state) {
      case OPEN -> null;
      case CHECKING ->
          task.gate() + " is being checked for " + claim.request.by() + "'s confirmation";
      case CONFIRMED -> task.gate() + " was already confirmed by " + confirmedBy;
      case TIMED_OUT -> task.gate() + " timed out: the run no longer waits for it";
      case CANCELLED -> task.gate() + " was closed: the run was cancelled or stopped";
    };
  }
}
