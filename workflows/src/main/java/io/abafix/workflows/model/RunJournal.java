package io.abafix.workflows.model;

import io.abafix.workflows.audit.AuditEntry;
import java.util.List;

/**
 * A run's whole journal as it ended, kept in its history where Temporal has no result to keep it
 * in: the details of the failure a run ends with (it failed or compensated), and, for a cancelled
 * run, a side-effect record just before it ends (Temporal's Java SDK drops a cancellation's
 * details). Encrypted like every payload by the client's and workers' codec.
 *
 * @param kind always {@link #KIND}: tells this record from the run's other recorded values
 * @param outcome how the run ended
 * @param message what the run ended with, as its failure says it
 * @param audit every record, the closing signed digest last
 */
public record RunJournal(String kind, Outcome outcome, String message, List<AuditEntry> audit) {
  public static final String KIND = "abafix-run-journal";

  public RunJournal {
    audit = audit == null ? List.of() : List.copyOf(audit);
  }

  public static RunJournal of(Outcome outcome, String message, List<AuditEntry> audit) {
    return new RunJournal(KIND, outcome, message, audit);
  }
}
