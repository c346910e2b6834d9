package io.abafix.workflows.incident;

import io.abafix.workflows.audit.AuditEntry;
import java.util.List;

/**
 * How an incident closed.
 *
 * @param outcome RESOLVED (the workflows ran and the fleet diagnoses clean of what they fix),
 *     UNRESOLVED (they ran but findings remain), NOTHING_TO_FIX (no workflow fits the findings),
 *     DECLINED (rejected, or no decision in time)
 * @param diagnosis the diagnosis the proposal rests on
 * @param remaining findings of the diagnosis after the workflows ran (empty if none ran)
 */
public record IncidentResult(
    String outcome,
    String message,
    List<IncidentReport> reports,
    Diagnosis diagnosis,
    List<ChildRun> children,
    List<Finding> remaining,
    List<AuditEntry> audit) {

  public static final String RESOLVED = "RESOLVED";
  public static final String UNRESOLVED = "UNRESOLVED";
  public static final String NOTHING_TO_FIX = "NOTHING_TO_FIX";
  public static final String DECLINED = "DECLINED";

  public IncidentResult {
    reports = List.copyOf(reports);
    children = List.copyOf(children);
    remaining = List.copyOf(remaining);
    audit = List.copyOf(audit);
  }
}
