package io.abafix.cli;

import io.abafix.activities.approval.RunStart;
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
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix repair --tenant contoso.onmicrosoft.com --server SERVERA \\",
      "      --module-source D:\\staged\\ADSyncTools"
    },
    description =
        "Restore a server's blank ABA connector parameters (ADSyncTools 2.3.0+, Repair-ADSyncToolsEntraAppParameters).")
final class RepairCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;
  @Mixin TenantsOption tenants;

  @Option(
      names = "--tenant",
      required = true,
      description =
          "Tenant domain or tenant id; with --tenants, any name the file gives the tenant")
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

  /**
   * With these, the requester signs the run's start in (workers on the two-person rule need it).
   */
  @picocli.CommandLine.Mixin SignInOptions signIn;

  @Override
  public Integer call() throws Exception {
    try {
      ServerNames.check(server);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    RepairRequest request =
        new RepairRequest(
            tenants.canonical(tenant),
            server,
            moduleSource,
            Timings.standard(),
            requestedBy != null ? requestedBy : System.getProperty("user.name"));
    WorkflowClient client = temporal.connect();
    DecisionSigner signer = signIn.configured() ? signIn.signer(spec.commandLine().getErr()) : null;
    String id = start(client, request, signer);
    PrintWriter out = spec.commandLine().getOut();
    out.println("started " + id + (signer == null ? "" : ", its start signed in"));
    out.println(
        "  it asks for approval of the install and the repair: abafix status "
            + id
            + " shows the command (abafix approve "
            + id
            + " --gate PLAN --digest ...)");
    out.println("  journal: abafix audit " + id);
    if (!follow) return 0;
    RepairResult result = follow(client, id, out);
    out.println("outcome: " + result.outcome() + ": " + result.message());
    return 0;
  }

  /** Starts the repair; a second one for the same server is refused with the running one's id. */
  static String start(WorkflowClient client, RepairRequest request, DecisionSigner signer) {
    String id = WorkflowIds.repair(request.tenant(), request.server());
    RunStart start = RunStart.unsigned(RunStart.newStartId(), false);
    if (signer != null) {
      String ns = client.getOptions().getNamespace();
      start =
          start.signedWith(
              signer.sign(RunStart.binding(ns, id, start.startId(), false), request.requestedBy()),
              ns,
              id);
    }
    request = request.startedAs(start);
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
    return follow(client, id, out, null);
  }

  /**
   * As {@link #follow(WorkflowClient, String, PrintWriter)}, approving the repair's plan as {@code
   * approver} when it asks (the demo), or printing the command a person runs (null).
   */
  static RepairResult follow(
      WorkflowClient client, String id, PrintWriter out, AutoApprover approver)
      throws InterruptedException {
    ConnectorParameterRepairWorkflow run =
        client.newWorkflowStub(ConnectorParameterRepairWorkflow.class, id);
    WorkflowStub untyped = client.newUntypedWorkflowStub(id);
    CompletableFuture<RepairResult> result = untyped.getResultAsync(RepairResult.class);
    int printed = 0;
    boolean asked = false;
    while (true) {
      boolean done = result.isDone();
      List<AuditEntry> audit = run.audit();
      for (; printed < audit.size(); printed++)
        Render.followed(audit.get(printed)).forEach(out::println);
      out.flush();
      if (done) break;
      List<io.abafix.workflows.model.PendingApproval> open = run.progress().pendingApprovals();
      if (!open.isEmpty() && !asked) {
        asked = true;
        if (approver != null) {
          // The update and query names are the remediation's: one way to decide any run.
          Decisions.pin(client, id)
              .decidePlan(open, true, approver.user(), "demo", approver.signer());
        } else {
          out.println(
              "  waiting for approval: abafix approve "
                  + id
                  + " --gate PLAN --digest "
                  + open.get(0).planDigest().substring(0, 12));
          out.flush();
        }
      }
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
