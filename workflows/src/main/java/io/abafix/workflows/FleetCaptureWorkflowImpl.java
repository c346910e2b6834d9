package io.abafix.workflows;

import io.abafix.activities.DirectoryActivities;
import io.abafix.activities.model.DirectoryCapture;
import io.abafix.activities.model.ServerCaptureResult;
import io.abafix.workflows.capture.CaptureRequest;
import io.abafix.workflows.capture.FleetCapture;
import io.abafix.workflows.internal.Route;
import io.abafix.workflows.internal.StepOptions;
import io.abafix.workflows.model.Timings;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/** See {@link FleetCaptureWorkflow}. The servers are read in parallel, then the directory. */
public class FleetCaptureWorkflowImpl implements FleetCaptureWorkflow {
  @Override
  public FleetCapture capture(CaptureRequest request) {
    Timings standard = Timings.standard();
    Timings timings =
        new Timings(
            standard.propagationWaitSeconds(),
            standard.pollSeconds(),
            standard.syncCycleWaitSeconds(),
            Math.max(1, request.workerWaitSeconds()));
    Route route = Route.of(request.tenant());
    List<Promise<ServerCaptureResult>> reads = new ArrayList<>();
    for (String s : request.servers()) {
      reads.add(Async.function(StepOptions.serverStub(route, s, timings)::captureServer, s));
    }
    List<ServerCaptureResult> servers = new ArrayList<>();
    for (Promise<ServerCaptureResult> r : reads) servers.add(r.get());
    List<String> accounts =
        servers.stream()
            .map(ServerCaptureResult::connectorAccount)
            .filter(a -> a != null && !a.isBlank())
            .distinct()
            .toList();
    DirectoryActivities directory =
        Workflow.newActivityStub(DirectoryActivities.class, StepOptions.directory(route, timings));
    DirectoryCapture tenant = directory.captureDirectory(accounts);
    return new FleetCapture(request.tenant(), Workflow.currentTimeMillis(), servers, tenant);
  }
}
