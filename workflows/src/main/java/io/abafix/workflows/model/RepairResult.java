package io.abafix.workflows.model;

import io.abafix.workflows.audit.AuditEntry;
import java.util.List;

/**
 * What a finished connector-parameter repair returns.
 *
 * @param blankBefore the parameters preflight found blank (empty when there was nothing to do)
 * @param blankAfter the parameters still blank at the end (empty on success)
 */
public record RepairResult(
    Outcome outcome,
    String message,
    String server,
    List<String> blankBefore,
    List<String> blankAfter,
    String adSyncToolsBefore,
    String adSyncToolsAfter,
    List<AuditEntry> audit) {

  public RepairResult {
    blankBefore = List.copyOf(blankBefore);
    blankAfter = List.copyOf(blankAfter);
    audit = List.copyOf(audit);
  }
}
