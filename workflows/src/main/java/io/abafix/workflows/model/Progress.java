package io.abafix.workflows.model;

import java.util.List;
import java.util.Map;

/**
 * Where a run is now.
 *
 * @param current the step running now, e.g. {@code REVERT_TO_SERVICE_ACCOUNT@SERVERB}
 * @param servers each server's current (or last) step
 * @param waitingFor what the run waits on, in words (a worker, an approval, a timer), or null
 * @param pendingApproval the first gate waiting for a decision, or null
 * @param pendingApprovals every gate waiting for a decision (the plan's gates are asked at once)
 * @param pendingOperatorStep the step waiting for a person to do it and confirm, or null
 */
public record Progress(
    Outcome outcome,
    String current,
    Map<String, String> servers,
    String waitingFor,
    PendingApproval pendingApproval,
    OperatorTask pendingOperatorStep,
    int auditEntries,
    List<PendingApproval> pendingApprovals) {

  public Progress {
    pendingApprovals = pendingApprovals == null ? List.of() : List.copyOf(pendingApprovals);
  }
}
