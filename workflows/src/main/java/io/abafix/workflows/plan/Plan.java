package io.abafix.workflows.plan;

import io.abafix.activities.model.AppRegistration;
import java.util.List;

/**
 * What a remediation will do, computed by preflight from the fleet's state before anything changes.
 *
 * @param workingServer server A of the procedure: the one that still signs in (reconfigured last)
 * @param brokenServers servers B: the others sharing its app or its machine id, in order
 * @param applicationsToDelete the shared app registrations, deleted once no server uses them
 * @param regenerateMachineId servers whose machine id duplicates another's and will be regenerated
 * @param findings what preflight noticed, one line each
 * @param blockers why the plan must not run, one line each (empty when it may)
 */
public record Plan(
    String tenant,
    String workingServer,
    List<String> brokenServers,
    List<AppRegistration> applicationsToDelete,
    List<String> regenerateMachineId,
    List<String> findings,
    List<PlannedStep> steps,
    List<String> blockers) {

  public Plan {
    brokenServers = List.copyOf(brokenServers);
    applicationsToDelete = List.copyOf(applicationsToDelete);
    regenerateMachineId = List.copyOf(regenerateMachineId);
    findings = List.copyOf(findings);
    steps = List.copyOf(steps);
    blockers = blockers == null ? List.of() : List.copyOf(blockers);
  }

  /** Whether preflight found a reason not to run at all (see {@link #blockers()}). */
  public boolean blocked() {
    return !blockers.isEmpty();
  }

  public boolean nothingToDo() {
    return workingServer == null;
  }
}
