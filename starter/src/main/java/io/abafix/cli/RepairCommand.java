package io.abafix.cli;

import io.abafix.activities.model.ServerNames;
import io.abafix.workflows.ConnectorParameterRepairWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.RepairRequest;
import io.abafix.workflows.model.RepairResult;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.visibility.RunDescriptions;
import io.abafix.workflows.visibility.SearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix repair}: starts the connector-parameter repair of one server against a running
 * Temporal cluster.
 */
@Command(
    name = "repair",
    mixinStandardHelpOptions = true,
    description =
        "Restore a server's blank ABA connector parameters (ADSyncTools 2.3.0+, Repair-ADSyncToolsEntraAppParameters).")
final class RepairCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Option(names = "--tenant", required = true, description = "Tenant domain")
  String tenant;

  @Option(names = "--server", required = true, description = "The Entra Connect server")
  String server;

  @Option(
      names = "--module-source",
      defaultValue = "gallery",
      description =
          "Where ADSyncTools comes from if it is missing or older than 2.3.0: gallery, or the folder"
              + " of a pre-staged module on the server (servers without internet), e.g."
              + " D:\\abafix\\modules\\ADSyncTools (default ${DEFAULT-VALUE})")
  String moduleSource;

  @Option(names = "--requested-by", description = "Who starts the run (default: the OS user)")
  String requestedBy;

  @Option(names = "--follow", description = "Print each step until the run ends")
  boolean follow;

  @Override
  public Integer call() throws Exception {
    try {
      ServerNames.check(server);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    RepairRequest request =
        new RepairRequest(
            tenant,
            server,
            moduleSource,
            Timings.standard(),
            requestedBy != null ? requestedBy : System.getProperty("user.name"));
    WorkflowClient client = temporal.connect();
    String id = start(client, request);
    PrintWriter out = spec.commandLine().getOut();
    out.println("started " + id);
    out.println("  journal: abafix audit " + id);
    if (!follow) return 0;
    RepairResult result = follow(client, id, out);
    out.println("outcome: " + result.outcome() + ": " + result.message());
    return 0;
  }

  /** Starts the repair; a second one for the same server is refused with the running one's id. */
  static String start(WorkflowClient client, RepairRequest request) {
    String id = WorkflowIds.repair(request.tenant(), request.server());
    ConnectorParameterRepairWorkflow run =
        client.newWorkflowStub(
            ConnectorParameterRepairWorkflow.class,
            RunOptions.oneAtATime(
                id,
                RunDescriptions.repair(
                    id,
                    request.tenant(),
                    request.server(),
                    SearchAttributes.registeredOn(client))));
    try {
      WorkflowClient.start(run::repair, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new UserError("a repair of " + request.server() + " is already running: " + id);
    }
    return id;
  }

  /** Prints the run's journal as it grows; returns its result. */
  static RepairResult follow(WorkflowClient client, String id, PrintWriter out)
      throws InterruptedException {
    ConnectorParameterRepairWorkflow run =
        client.newWorkflowStub(ConnectorParameterRepairWorkflow.class, id);
    WorkflowStub untyped = client.newUntypedWorkflowStub(id);
    CompletableFuture<RepairResult> result = untyped.getResultAsync(RepairResult.class);
    int printed = 0;
    while (true) {
      boolean done = result.isDone();
      List<AuditEntry> audit = run.audit();
      for (; printed < audit.size(); printed++) out.println(Render.entry(audit.get(printed)));
      out.flush();
      if (done) break;
      Thread.sleep(200);
    }
    try {
      return result.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw e;
    }
  }
}
