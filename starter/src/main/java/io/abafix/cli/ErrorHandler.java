package io.abafix.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/**
 * One place that turns failures into one readable line on stderr and an exit code:
 *
 * <ul>
 *   <li>0: done (a run that succeeded, a dry run, a diagnosis whatever it found);
 *   <li>1: the run failed (and compensated);
 *   <li>2: bad input: nothing was started;
 *   <li>3: no such run;
 *   <li>4: Temporal unreachable;
 *   <li>5: {@code diagnose --fail-on-findings} found something ({@link DiagnoseCommand#FINDINGS});
 *   <li>6: nothing to fix: the demo's fleet needs no remediation, so nothing was started. Distinct
 *       from 5, which means the opposite, and from 0, so that a script can tell "fixed" from "there
 *       was nothing to fix".
 * </ul>
 */
final class ErrorHandler implements IExecutionExceptionHandler {
  static final int RUN_FAILED = 1;
  static final int BAD_INPUT = 2;
  static final int NOT_FOUND = 3;
  static final int UNREACHABLE = 4;
  static final int NOTHING_TO_FIX = 6;

  @Override
  public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
    var err = cmd.getErr();
    int code;
    String message;
    if (e instanceof NothingToFix) {
      code = NOTHING_TO_FIX;
      message = e.getMessage();
    } else if (e instanceof UserError || e instanceof IllegalArgumentException) {
      code = BAD_INPUT;
      message = e.getMessage();
    } else if (notFound(e)) {
      code = NOT_FOUND;
      message =
          "no such run: check the id (abafix remediate prints it); a demo's runs end with the"
              + " demo unless it ran against a Temporal of yours (--address)";
    } else if (unreachable(e)) {
      code = UNREACHABLE;
      message =
          "cannot reach Temporal: start it, or set TEMPORAL_ADDRESS / --address (a demo's"
              + " embedded Temporal ends with the demo: run the demo with --address to keep its"
              + " runs)";
    } else if (e instanceof WorkflowUpdateException u) {
      code = BAD_INPUT;
      message = rootMessage(u);
    } else if (e instanceof WorkflowFailedException f) {
      code = RUN_FAILED;
      message = "the run failed: " + rootMessage(f);
    } else {
      code = RUN_FAILED;
      message = e.getClass().getSimpleName() + ": " + e.getMessage();
    }
    err.println("abafix: " + message);
    err.flush();
    return code;
  }

  /**
   * Whether the run named does not exist, anywhere in the cause chain: a query or a describe of a
   * missing run arrives as a WorkflowServiceException around gRPC's NOT_FOUND.
   */
  private static boolean notFound(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof WorkflowNotFoundException) return true;
      if (c instanceof StatusRuntimeException s
          && s.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return true;
      }
    }
    return false;
  }

  /** Whether Temporal could not be reached, anywhere in the cause chain. */
  private static boolean unreachable(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s
          && (s.getStatus().getCode() == Status.Code.UNAVAILABLE
              || s.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED)) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable t) {
    Throwable c = t;
    String last = t.getMessage();
    while (c != null) {
      if (c instanceof ApplicationFailure a) last = a.getOriginalMessage();
      else if (c instanceof TemporalFailure tf) last = tf.getOriginalMessage();
      c = c.getCause();
    }
    return last;
  }
}
