package io.abafix.workflows.internal;

import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;

/** Turns a Temporal failure into the one line an operator reads. */
public final class FailureText {
  private FailureText() {}

  /**
   * @param taskQueue the queue the failed step was sent to, named when no worker picked it up
   * @param where the machine that runs that queue's worker, e.g. {@code SERVERB}
   */
  public static String of(Throwable failure, String taskQueue, String where) {
    if (failure instanceof ActivityFailure af) {
      Throwable cause = af.getCause();
      if (cause instanceof TimeoutFailure tf
          && tf.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START) {
        return "no worker is polling " + taskQueue + ": start the abafix worker on " + where;
      }
      if (cause instanceof TimeoutFailure tf) {
        return af.getActivityType() + " on " + where + " timed out (" + tf.getTimeoutType() + ")";
      }
      if (cause != null) return of(cause, taskQueue, where);
    }
    if (failure instanceof ApplicationFailure app) return app.getOriginalMessage();
    if (failure instanceof CanceledFailure) return "the run was cancelled";
    if (failure instanceof TemporalFailure tf) return tf.getOriginalMessage();
    return String.valueOf(failure.getMessage());
  }
}
