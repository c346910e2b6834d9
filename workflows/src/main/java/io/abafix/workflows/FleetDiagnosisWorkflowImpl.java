package io.abafix.workflows;

import io.abafix.activities.DirectoryActivities;
import io.abafix.workflows.incident.Diagnoser;
import io.abafix.workflows.incident.Diagnosis;
import io.abafix.workflows.incident.DiagnosisRequest;
import io.abafix.workflows.incident.FleetFacts;
import io.abafix.workflows.internal.FleetSurvey;
import io.abafix.workflows.internal.Route;
import io.abafix.workflows.internal.StepOptions;
import io.abafix.workflows.model.Timings;
import io.temporal.workflow.Workflow;

/** See {@link FleetDiagnosisWorkflow}. */
public class FleetDiagnosisWorkflowImpl implements FleetDiagnosisWorkflow {
  @Override
  public Diagnosis diagnose(DiagnosisRequest request) {
    Timings standard = Timings.standard();
    Timings timings =
        new Timings(
            standard.propagationWaitSeconds(),
            standard.pollSeconds(),
            standard.syncCycleWaitSeconds(),
            Math.max(1, request.workerWaitSeconds()));
    Route route = Route.of(request.tenant());
    DirectoryActivities directory =
        Workflow.newActivityStub(DirectoryActivities.class, StepOptions.directory(route, timings));
    FleetFacts facts =
        FleetSurvey.observe(
            route,
            request.tenant(),
            request.servers(),
            s -> StepOptions.serverStub(route, s, timings),
            directory);
    long now = Workflow.currentTimeMillis();
    // Runs from before the diagnosis was recorded replay as they ran; newer ones record it, so a
    // later Diagnoser cannot change what a replayed run concluded.
    if (Workflow.getVersion("diagnosis-recorded", Workflow.DEFAULT_VERSION, 1) == 1) {
      return Workflow.sideEffect(
          Diagnosis.class, () -> Diagnoser.diagnose(facts, now, request.expiryWarningDays()));
    }
    return Diagnoser.diagnose(facts, now, request.expiryWarningDays());
  }
}
