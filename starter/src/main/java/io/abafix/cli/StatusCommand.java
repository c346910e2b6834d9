package io.abafix.cli;

import io.abafix.workflows.IncidentWorkflow;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.incident.IncidentStatus;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.Progress;
import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code abafix status RUN}: where a run is, and what it waits for. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show where a run is and what it waits for.")
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id")
  String run;

  @Override
  public Integer call() {
    WorkflowClient client = temporal.connect();
    PrintWriter out = spec.commandLine().getOut();
    if (WorkflowIds.isIncident(run)) {
      printIncident(client.newWorkflowStub(IncidentWorkflow.class, run).status(), out);
      return 0;
    }
    // A remediation and a repair answer the same progress query; only a remediation has a plan.
    SharedAppRemediationWorkflow wf =
        client.newWorkflowStub(SharedAppRemediationWorkflow.class, run);
    Progress p = wf.progress();
    out.println(run + ": " + p.outcome() + ", at " + p.current());
    p.servers().forEach((server, step) -> out.println(String.format("  %-10s %s", server, step)));
    if (p.waitingFor() != null) out.println("  waiting for " + p.waitingFor());
    if (p.outcome() == Outcome.RUNNING) {
      WorkerCheck.missing(client, p.servers().keySet())
          .ifPresent(lines -> lines.forEach(line -> out.println("  " + line)));
    }
    for (var gate : p.pendingApprovals()) {
      out.println("  needs approval: " + gate.gate() + ": " + gate.description());
      gate.parameters().forEach((k, v) -> out.println("      " + k + ": " + v));
      out.println("    " + Render.approveCommand(run, gate));
    }
    if (p.pendingApprovals().size() > 1) {
      out.println("  or approve all of them at once:");
      out.println("    " + Render.approvePlanCommand(run, p.pendingApprovals().get(0)));
    }
    if (p.pendingOperatorStep() != null) {
      out.println("  operator step: " + p.pendingOperatorStep().instructions());
    }
    if (WorkflowIds.isRemediation(run)) Render.plan(wf.plan()).forEach(out::println);
    out.println("  journal entries: " + p.auditEntries() + " (abafix audit " + run + ")");
    return 0;
  }

  private void printIncident(IncidentStatus s, PrintWriter out) {
    out.println(run + ": incident " + s.state() + ", " + s.reports().size() + " reports");
    if (s.diagnosis() != null) {
      s.diagnosis()
          .findings()
          .forEach(f -> out.println("  " + f.severity() + " " + f.kind() + ": " + f.summary()));
    }
    s.proposal().forEach(p -> out.println("  proposed: " + p.remedy() + " as " + p.workflowId()));
    if (s.pendingApproval() != null) {
      out.println("  needs approval: " + s.pendingApproval().description());
      out.println("    " + Render.approveCommand(run, s.pendingApproval()));
    }
    s.children()
        .forEach(
            c ->
                out.println(
                    "  started "
                        + c.workflowId()
                        + ": "
                        + c.outcome()
                        + (c.message() == null ? "" : " (" + c.message() + ")")));
    out.println("  journal entries: " + s.auditEntries() + " (abafix audit " + run + ")");
  }
}
