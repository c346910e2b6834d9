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
 * @param reports the last {@value #MAX_REPORTS} reports at most; {@code reportCount} says how many
 *     came in all
 * @param audit the last {@value #MAX_AUDIT} journal entries at most; {@code auditCount} says how
 *     many there are ({@code abafix audit} reads them all)
 */
public record IncidentResult(
    String outcome,
    String message,
    List<IncidentReport> reports,
    Diagnosis diagnosis,
    List<ChildRun> children,
    List<Finding> remaining,
    List<AuditEntry> audit,
    int reportCount,
    int auditCount) {

  /** A result is one payload: capped, so that a flood of reports cannot make it too large. */
  public static final int MAX_REPORTS = 50;

  public static final int MAX_AUDIT = 500;

  public static final String RESOLVED = "RESOLVED";
  public static final String UNRESOLVED = "UNRESOLVED";
  public static final String NOTHING_TO_FIX = "NOTHING_TO_FIX";
  public static final String DECLINED = "DECLINED";

  public IncidentResult {
    reports = List.copyOf(last(reports, MAX_REPORTS));
    children = List.copyOf(children);
    remaining = List.copyOf(remaining);
    audit = List.copyOf(last(audit, MAX_AUDIT));
  }

  private static <T> List<T> last(List<T> all, int max) {
    return all.size() <= max ? all : all.subList(all.size() - max, all.size());
  }
}
