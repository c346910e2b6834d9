package io.abafix.workflows.internal.remediation;

import static io.abafix.workflows.internal.remediation.RemediationRun.key;

import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.StepResult;
import io.abafix.workflows.plan.PlannedStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Noting, comparing and regenerating {@code SyncMachineIdentifier}. */
public final class MachineIdSteps {
  private final RemediationRun run;
  private final PlanApprovals approvals;

  public MachineIdSteps(RemediationRun run, PlanApprovals approvals) {
    this.run = run;
    this.approvals = approvals;
  }

  public StepRecord record(String server) {
    ServerState st = run.server(server).inspectServer(server);
    return StepRecord.done(1, Map.of(), Map.of("machineId", st.machineId()), "machine id noted");
  }

  public StepRecord compare(String server) {
    ServerState mine = run.server(server).inspectServer(server);
    Map<String, String> ids = new TreeMap<>();
    List<String> same = new ArrayList<>();
    for (String other : run.request.servers()) {
      String id =
          other.equals(server)
              ? mine.machineId()
              : run.server(other).inspectServer(other).machineId();
      ids.put(other, id);
      if (!other.equals(server) && key(id).equals(key(mine.machineId()))) same.add(other);
    }
    run.machineIdDuplicated.put(server, !same.isEmpty());
    return StepRecord.done(
        1,
        Map.of(),
        ids,
        same.isEmpty()
            ? "machine id is unique"
            : "machine id is also used by " + String.join(", ", same));
  }

  public StepRecord regenerate(PlannedStep s) {
    String server = s.target();
    if (!run.machineIdDuplicated.getOrDefault(server, false)) {
      return StepRecord.skipped(Map.of(), "machine id is no longer duplicated: not regenerated");
    }
    // Chosen once, before the approvals, so that every retry asks for the same value.
    String newId = run.newMachineIds.get(server);
    while (true) {
      ServerState st = run.server(server).inspectServer(server);
      String approver = approvals.confirm(s, PlanApprovals.regenerate(st.machineId(), newId));
      if (!st.equals(run.server(server).inspectServer(server))) continue;
      StepResult r =
          run.server(server).regenerateMachineId(server, newId, approvals.authorization(s.key()));
      return StepRecord.of(r).by(StepRecord.approvedBy(r, approver));
    }
  }
}
