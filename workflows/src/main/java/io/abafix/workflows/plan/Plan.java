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
 */
public record Plan(
    String tenant,
    String workingServer,
    List<String> brokenServers,
    List<AppRegistration> applicationsToDelete,
    List<String> regenerateMachineId,
    List<String> findings,
    List<PlannedStep> steps) {

  public Plan {
    brokenServers = List.copyOf(brokenServers);
    applicationsToDelete = List.copyOf(applicationsToDelete);
    regenerateMachineId = List.copyOf(regenerateMachineId);
    findings = List.copyOf(findings);
    steps = List.copyOf(steps);
  }

  public boolean nothingToDo() {
    return workingServer == null;
  }
}
