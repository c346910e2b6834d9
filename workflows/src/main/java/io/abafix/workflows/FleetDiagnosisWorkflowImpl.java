package io.abafix.workflows;

import io.abafix.activities.DirectoryActivities;
import io.abafix.activities.SyncServerActivities;
import io.abafix.workflows.incident.Diagnoser;
import io.abafix.workflows.incident.Diagnosis;
import io.abafix.workflows.incident.DiagnosisRequest;
import io.abafix.workflows.incident.FleetFacts;
import io.abafix.workflows.internal.FleetSurvey;
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
    DirectoryActivities directory =
        Workflow.newActivityStub(DirectoryActivities.class, StepOptions.directory(timings));
    FleetFacts facts =
        FleetSurvey.observe(
            request.tenant(),
            request.servers(),
            s ->
                Workflow.newActivityStub(
                    SyncServerActivities.class, StepOptions.server(s, timings)),
            directory);
    return Diagnoser.diagnose(facts, Workflow.currentTimeMillis(), request.expiryWarningDays());
  }
}
