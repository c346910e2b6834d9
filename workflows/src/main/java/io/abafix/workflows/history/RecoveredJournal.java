package io.abafix.workflows.history;

import io.abafix.workflows.audit.AuditEntry;
import java.util.List;

/**
 * A closed run's journal as its history holds it, read without a worker ({@link JournalHistory}).
 *
 * @param closedAs how Temporal closed the run: {@code COMPLETED}, {@code FAILED}, {@code CANCELED},
 *     {@code TERMINATED}, {@code TIMED_OUT} or {@code CONTINUED_AS_NEW}
 * @param closedAtMillis when, epoch millis
 * @param outcome how the run said it ended ({@link io.abafix.workflows.model.Outcome}'s name), or
 *     null when it never said: terminated, timed out, or a failure without a journal
 * @param message the run's own last words, or the reason it was terminated with
 * @param closedBy who terminated it, as Temporal recorded the caller's identity; null otherwise
 * @param source where the entries come from
 * @param entries the journal, in order
 * @param missing what could not be recovered, each in a sentence; empty when the journal is whole
 * @param unrecorded steps the history shows and the journal does not (in flight, or finished after
 *     the run's last recorded decision)
 */
public record RecoveredJournal(
    String workflowId,
    String runId,
    String closedAs,
    long closedAtMillis,
    String outcome,
    String message,
    String closedBy,
    Source source,
    List<AuditEntry> entries,
    List<String> missing,
    List<UnrecordedStep> unrecorded) {

  /** Where a recovered journal was read. */
  public enum Source {
    /** The result of a run that completed. */
    RESULT("the run's result"),
    /** The details of the failure a run ended with. */
    FAILURE_DETAILS("the details of the failure the run ended with"),
    /** The record a cancelled run keeps right before it ends. */
    CANCELLATION_RECORD("the record the cancelled run kept as it ended"),
    /** Replaying the history in this process with the workflow's code. */
    REPLAY("a replay of the run's history with the workflow's code");

    private final String words;

    Source(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  /**
   * An activity the history shows that the journal does not record.
   *
   * @param type the activity type, e.g. {@code PauseScheduler}
   * @param target the server (upper case) or {@code directory} whose worker it went to, or null
   * @param state {@code IN_FLIGHT} (no result when the run ended), or how it ended after the run's
   *     last recorded decision: {@code COMPLETED}, {@code FAILED}, {@code TIMED_OUT}, {@code
   *     CANCELED}
   * @param scheduledAtMillis when the run asked for it
   * @param endedAtMillis when it ended, or 0 while in flight
   */
  public record UnrecordedStep(
      String type, String target, String state, long scheduledAtMillis, long endedAtMillis) {
    public boolean inFlight() {
      return "IN_FLIGHT".equals(state);
    }

    /** One sentence an operator reads. */
    public String describe() {
      String what = type + (target == null ? "" : " on " + target);
      if (inFlight()) {
        return what
            + ": asked for at "
            + java.time.Instant.ofEpochMilli(scheduledAtMillis)
            + " and had no result when the run ended: whether it changed anything is not recorded";
      }
      return what
          + ": "
          + state.toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
          + " at "
          + java.time.Instant.ofEpochMilli(endedAtMillis)
          + ", after the run's last recorded decision: the journal does not say so";
    }
  }

  public RecoveredJournal {
    entries = List.copyOf(entries);
    missing = List.copyOf(missing);
    unrecorded = List.copyOf(unrecorded);
  }

  /** Whether nothing is missing: the run ended its journal itself and all of it was read. */
  public boolean complete() {
    return missing.isEmpty() && unrecorded.isEmpty();
  }

  /** Whether the run was ended from outside (terminated, timed out) rather than by itself. */
  public boolean endedFromOutside() {
    return "TERMINATED".equals(closedAs) || "TIMED_OUT".equals(closedAs);
  }
}
