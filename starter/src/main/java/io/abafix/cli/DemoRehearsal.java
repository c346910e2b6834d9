package io.abafix.cli;

import io.abafix.cli.rehearsal.FleetCaptureFile;
import io.abafix.cli.rehearsal.RehearsalFile;
import io.abafix.cli.rehearsal.RehearsalTiming;
import io.abafix.workflows.capture.FleetCapture;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.RemediationRequest;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The loop of {@code demo --rehearse}: capture the lab's fleet through the workers, rehearse the
 * remediation on a copy of it, and hand back the request bound to the rehearsal, as {@code abafix
 * remediate --rehearsed} makes it.
 */
final class DemoRehearsal {
  private DemoRehearsal() {}

  static RemediationRequest rehearse(
      WorkflowClient client, RemediationRequest request, Path auditOut, PrintWriter out) {
    Path captureFile = sibling(auditOut, "-capture.json");
    Path rehearsalFile = sibling(auditOut, "-rehearsal.json");
    out.println("  1. abafix capture: each server's worker and the directory worker answer, raw");
    FleetCapture capture = CaptureCommand.capture(client, request.tenant(), request.servers(), 30);
    FleetCaptureFile.write(capture, captureFile);
    CaptureCommand.report(capture, captureFile).forEach(l -> out.println("     " + l.strip()));
    out.println("  2. abafix rehearse: the same remediation on a lab copy of the capture");
    FleetCaptureFile.CapturedFleet fleet = FleetCaptureFile.read(captureFile);
    Rehearsal.Result r =
        Rehearsal.run(
            fleet,
            new Rehearsal.Options(
                request.credentialReference(),
                request.operatorSteps(),
                Duration.ofMinutes(5),
                Duration.ofMinutes(10),
                RehearsalTiming.DEFAULT_SCALE));
    out.println(
        "     "
            + r.approvals().size()
            + " approvals asked first, "
            + r.audit().size()
            + " journal entries, outcome "
            + r.outcome());
    for (PendingApproval a : r.approvals()) out.println("       approval " + a.gate());
    r.predictedPausedMillis()
        .forEach(
            (s, ms) ->
                out.println(
                    "       "
                        + s
                        + " sync paused for about "
                        + Duration.ofMillis(ms).toMinutes()
                        + " min (15 min propagation, typical step lengths)"));
    r.finalState().forEach(l -> out.println("       " + l));
    out.println("     plan digest " + r.planDigest());
    if (!r.succeeded()) {
      throw new UserError("the rehearsal did not succeed: " + r.message() + "; nothing real ran");
    }
    RehearsalFile file = RehearseCommand.toFile(r, fleet);
    file.write(rehearsalFile);
    out.println("     written to " + rehearsalFile);
    out.println("  3. abafix remediate --rehearsed " + rehearsalFile + ": the run itself");
    out.flush();
    return request.rehearsedAs(file.fleet());
  }

  private static Path sibling(Path audit, String suffix) {
    String name = audit.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return audit.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + suffix);
  }
}
