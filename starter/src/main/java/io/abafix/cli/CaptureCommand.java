package io.abafix.cli;

import io.abafix.activities.TaskQueues;
import io.abafix.activities.model.ServerCaptureResult;
import io.abafix.activities.model.ServerNames;
import io.abafix.cli.rehearsal.FleetCaptureFile;
import io.abafix.workflows.FleetCaptureWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.capture.CaptureRequest;
import io.abafix.workflows.capture.FleetCapture;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix capture}: a read-only workflow asks each server's worker for the raw answers of its
 * read-only scripts and the directory worker for the provisioning apps and the connector accounts'
 * roles, and writes them to one file for {@code abafix rehearse}.
 */
@Command(
    name = "capture",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix capture --tenant contoso.onmicrosoft.com \\",
      "      --server SERVERA --server SERVERB --out fleet.json"
    },
    description =
        "Capture the fleet as it is now, changing nothing, for a rehearsal (abafix rehearse).")
final class CaptureCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Option(names = "--tenant", required = true, description = "Tenant domain")
  String tenant;

  @Option(
      names = "--server",
      required = true,
      description = "An Entra Connect server (repeat for each)")
  List<String> servers;

  @Option(names = "--out", required = true, description = "The capture file to write")
  Path out;

  @Option(
      names = "--worker-wait-seconds",
      defaultValue = "60",
      description = "How long to wait for each worker to answer (default ${DEFAULT-VALUE})")
  long workerWaitSeconds;

  @Override
  public Integer call() {
    if (!tenant.matches("[A-Za-z0-9.-]+")) {
      throw new UserError("tenant '" + tenant + "' is not a domain name");
    }
    List<String> fleet = servers.stream().map(s -> s.toUpperCase(Locale.ROOT)).toList();
    try {
      ServerNames.checkFleet(fleet);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    FleetCapture capture = capture(temporal.connect(), tenant, fleet, workerWaitSeconds);
    FleetCaptureFile.write(capture, out);
    PrintWriter o = spec.commandLine().getOut();
    report(capture, out).forEach(o::println);
    o.flush();
    return 0;
  }

  /** Runs the capture workflow and waits for it. */
  static FleetCapture capture(
      WorkflowClient client, String tenant, List<String> servers, long workerWaitSeconds) {
    String id = WorkflowIds.capture(tenant, UUID.randomUUID().toString().substring(0, 8));
    FleetCaptureWorkflow wf =
        client.newWorkflowStub(
            FleetCaptureWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .build());
    return wf.capture(new CaptureRequest(tenant, servers, workerWaitSeconds));
  }

  static List<String> report(FleetCapture capture, Path file) {
    List<String> lines = new java.util.ArrayList<>();
    lines.add(
        "captured "
            + capture.tenant()
            + ": "
            + String.join(
                ", ", capture.servers().stream().map(ServerCaptureResult::server).toList())
            + ", "
            + capture.directory().applications().size()
            + " ConnectSyncProvisioning_* apps; nothing was changed");
    lines.add(
        "  written to "
            + file
            + " ("
            + FleetCaptureFile.FORMAT
            + "); next: abafix rehearse --capture "
            + file);
    return lines;
  }
}
