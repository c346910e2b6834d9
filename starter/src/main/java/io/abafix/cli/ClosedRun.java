package io.abafix.cli;

import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.Outcome;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowQueryException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** How a run that did not complete ended, as a demo reports it. */
final class ClosedRun {
  /** Why a journal is empty: {@link #journal} could not read it. */
  static final String NO_JOURNAL =
      "none: the run was ended while one of its workflow tasks was in flight, and Temporal's SDK"
          + " cannot replay such a run to read it";

  private ClosedRun() {}

  /**
   * What Temporal closed the run as, when someone ended it from outside (terminated, cancelled, or
   * timed out); otherwise the outcome the run recorded itself (e.g. COMPENSATED), or FAILED when it
   * recorded none.
   *
   * @param recorded the run's own outcome (its progress query); asked only for a failed run
   */
  static Outcome outcome(WorkflowFailedException e, Supplier<Outcome> recorded) {
    switch (e.getWorkflowCloseEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
        return Outcome.TERMINATED;
      case EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
        return Outcome.CANCELED;
      case EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
        return Outcome.TIMED_OUT;
      default:
        break;
    }
    Outcome own;
    try {
      own = recorded == null ? null : recorded.get();
    } catch (RuntimeException unanswered) {
      own = null;
    }
    return own == null || own == Outcome.RUNNING ? Outcome.FAILED : own;
  }

  /**
   * The journal of a closed run, or an empty one when the run cannot be replayed for a query: the
   * SDK cannot replay a run that was terminated while one of its workflow tasks was in flight.
   */
  static List<AuditEntry> journal(Supplier<List<AuditEntry>> query) {
    try {
      return query.get();
    } catch (WorkflowQueryException unanswerable) {
      return List.of();
    }
  }

  /**
   * Whether a run whose query failed has closed (its result, or its failure, comes within a few
   * seconds): then its result says how it ended, and following it is over.
   */
  static boolean closed(CompletableFuture<?> result) {
    try {
      result.get(5, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException failed) {
      return true;
    } catch (TimeoutException stillOpen) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
