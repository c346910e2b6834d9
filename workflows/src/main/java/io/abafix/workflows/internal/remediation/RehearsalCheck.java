package io.abafix.workflows.internal.remediation;

import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.FleetObservation;
import io.abafix.workflows.plan.PlannedStep;
import io.abafix.workflows.plan.RehearsedFleet;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Map;

/**
 * What runs is what was rehearsed: a run started from a rehearsal compares the fleet its preflight
 * read, and the plan's digest, with what the rehearsal met, and stops before any change on a
 * difference, naming each one.
 */
public final class RehearsalCheck {
  private RehearsalCheck() {}

  /**
   * Journals the comparison.
   *
   * @return true when the run was not rehearsed, or meets the fleet and plan it was rehearsed on
   */
  public static boolean passes(RemediationRun run, FleetObservation fleet) {
    RehearsedFleet rehearsed = run.request.rehearsed();
    if (rehearsed == null) return true;
    List<String> differences = differences(run, fleet);
    run.rehearsalDifferences = differences;
    run.journal
        .entry("REHEARSAL")
        .target(PlannedStep.DIRECTORY)
        .executor(Executor.WORKFLOW.name())
        .at(Workflow.currentTimeMillis())
        .attempts(1)
        .outcome(differences.isEmpty() ? "DONE" : "REFUSED")
        .after(Map.of("rehearsedDigest", String.valueOf(rehearsed.planDigest())))
        .detail(
            differences.isEmpty()
                ? "the fleet and the plan are those rehearsed"
                : "the fleet changed since the rehearsal: " + String.join("; ", differences))
        .record();
    return differences.isEmpty();
  }

  /** Why a run whose fleet changed since its rehearsal ends (after {@link #passes} said no). */
  public static String refusal(RemediationRun run) {
    return "refused, nothing was changed: the fleet changed since the rehearsal: "
        + String.join("; ", run.rehearsalDifferences)
        + "; capture and rehearse again";
  }

  private static List<String> differences(RemediationRun run, FleetObservation fleet) {
    RehearsedFleet now = RehearsedFleet.of(run.planDigest, fleet.servers(), fleet.applications());
    return run.request.rehearsed().differences(now);
  }
}
