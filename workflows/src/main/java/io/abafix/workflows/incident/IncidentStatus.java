package io.abafix.workflows.incident;

import io.abafix.workflows.model.PendingApproval;
import java.util.List;

/**
 * Where an incident is, for {@code abafix status} and the demo.
 *
 * @param diagnosis null until the fleet was diagnosed
 * @param proposal the workflows proposed, empty until diagnosed (or when nothing needs a workflow)
 * @param pendingApproval the proposal waiting for a decision, or null
 */
public record IncidentStatus(
    IncidentState state,
    List<IncidentReport> reports,
    Diagnosis diagnosis,
    List<ProposedRun> proposal,
    PendingApproval pendingApproval,
    List<ChildRun> children,
    int auditEntries) {

  public IncidentStatus {
    reports = List.copyOf(reports);
    proposal = List.copyOf(proposal);
    children = List.copyOf(children);
  }
}
