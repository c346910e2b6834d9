package io.abafix.cli;

import io.abafix.cli.status.ClosedRun;
import io.abafix.cli.status.RunStatus;
import io.abafix.cli.status.StatusRender;
import io.abafix.workflows.IncidentWorkflow;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.history.JournalHistory;
import io.abafix.workflows.history.RecoveredJournal;
import io.abafix.workflows.incident.IncidentStatus;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.plan.Plan;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code abafix status RUN}: where a run is, and what it waits for. */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix status abafix-remediation-contoso.onmicrosoft.com --follow",
      "  abafix status abafix-remediation-contoso.onmicrosoft.com --follow --json"
    },
    description = {
      "Show where a run is and what it waits for.",
      "A closed run is read from Temporal's history, with no worker up: how it ended, each"
          + " server's last step, and every server whose scheduler it paused and never resumed"
          + " (a terminated run's too, with what was under way), with the cmdlet that finishes by"
          + " hand."
    })
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;
  @Mixin RunIdOption runId;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id")
  String run;

  @Option(
      names = "--follow",
      description =
          "Keep watching until the run ends: on a terminal the status redraws in place; piped, one"
              + " line per change")
  boolean follow;

  @Option(names = "--json", description = "Print JSON Lines: one object per change")
  boolean json;

  @Option(
      names = "--interval-millis",
      defaultValue = "1000",
      paramLabel = "MS",
      description = "How often --follow looks (default ${DEFAULT-VALUE})")
  long intervalMillis;

  /** Whether output goes to a terminal that understands cursor movement; tests say no. */
  private final boolean terminal;

  StatusCommand() {
    this(System.console() != null && !"dumb".equals(System.getenv("TERM")));
  }

  StatusCommand(boolean terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    WorkflowClient client = temporal.connect();
    PrintWriter out = spec.commandLine().getOut();
    if (intervalMillis < 50) throw new UserError("--interval-millis must be at least 50");
    if (!WorkflowIds.isIncident(run)) {
      // A closed run is read from its history: no worker needs to answer, and a terminated run,
      // which no query can replay, still says what it left behind.
      WorkflowExecutionDescription d = runId.untyped(client, run).describe();
      if (d.getStatus() != WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
        return closed(client, d.getExecution().getRunId(), out);
      }
    }
    if ((follow || json) && !WorkflowIds.isIncident(run)) return follow(client, out);
    if (WorkflowIds.isIncident(run)) {
      printIncident(runId.stub(client, IncidentWorkflow.class, run).status(), out);
      return 0;
    }
    // A remediation and a repair answer the same progress query; only a remediation has a plan.
    SharedAppRemediationWorkflow wf = runId.stub(client, SharedAppRemediationWorkflow.class, run);
    Progress p = wf.progress();
    out.println(run + ": " + p.outcome() + ", at " + p.current());
    p.servers().forEach((server, step) -> out.println(String.format("  %-10s %s", server, step)));
    if (p.waitingFor() != null) out.println("  waiting for " + p.waitingFor());
    if (p.outcome() == Outcome.RUNNING) {
      WorkerCheck.missing(client, WorkflowIds.tenantOf(run), p.servers().keySet())
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
    out.println(
        "  journal entries: " + p.auditEntries() + " (abafix audit " + run + runId.suffix() + ")");
    return 0;
  }

  /** Looks at the run until it ends (or once, without --follow), drawing what changed. */
  private int follow(WorkflowClient client, PrintWriter out) {
    SharedAppRemediationWorkflow wf = runId.stub(client, SharedAppRemediationWorkflow.class, run);
    CompletableFuture<Object> result = runId.untyped(client, run).getResultAsync(Object.class);
    boolean ansi = terminal && !json && follow;
    RunStatus before = null;
    int drawn = 0;
    Plan plan = null;
    while (true) {
      boolean done = result.isDone();
      if (done) {
        WorkflowExecutionDescription d = runId.untyped(client, run).describe();
        if (d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED
            || d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TIMED_OUT) {
          // Ended from outside: no query answers any more; its history says what it left.
          return closed(client, d.getExecution().getRunId(), out);
        }
      }
      Progress p = wf.progress();
      if (plan == null && WorkflowIds.isRemediation(run)) plan = wf.plan();
      List<AuditEntry> journal = wf.audit();
      Set<String> missing =
          p.outcome() == Outcome.RUNNING
              ? WorkerCheck.missingServers(client, WorkflowIds.tenantOf(run), p.servers().keySet())
              : Set.of();
      long now = System.currentTimeMillis();
      RunStatus status = RunStatus.of(run, plan, journal, p, missing, now);
      if (ansi) {
        // Back to the first line of the last drawing, clear to the end, draw again.
        if (drawn > 0) out.print("\u001b[" + drawn + "F\u001b[J");
        List<String> lines = StatusRender.screen(status);
        lines.forEach(out::println);
        drawn = lines.size();
      } else if (json) {
        StatusRender.jsonChanges(before, status, now).forEach(out::println);
      } else {
        StatusRender.changes(before, status, now).forEach(out::println);
      }
      out.flush();
      before = status;
      if (!follow || done || status.ended()) break;
      try {
        Thread.sleep(intervalMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!follow) return 0;
    String outcome = before.outcome();
    return outcome.equals("SUCCEEDED")
            || outcome.equals("DRY_RUN")
            || outcome.equals("NOTHING_TO_DO")
        ? 0
        : ErrorHandler.RUN_FAILED;
  }

  /**
   * A closed run, from its journal as its history holds it: the lines of {@link ClosedRun}, or with
   * {@code --json} the steps as JSON Lines and one {@code "closed"} object.
   *
   * @return with {@code --follow}, 0 when the run succeeded, {@link ErrorHandler#RUN_FAILED}
   *     otherwise; 0 without
   */
  private int closed(WorkflowClient client, String closedRun, PrintWriter out) {
    RecoveredJournal journal = JournalHistory.read(client, run, closedRun);
    ClosedRun closed = ClosedRun.of(journal);
    if (json) {
      long now = System.currentTimeMillis();
      StatusRender.jsonChanges(null, RunStatus.closed(run, journal), now).forEach(out::println);
      out.println(StatusRender.json(closed, now));
    } else {
      closed.lines(run, "abafix audit " + run + runId.suffix()).forEach(out::println);
    }
    out.flush();
    if (!follow) return 0;
    return closed.succeeded() ? 0 : ErrorHandler.RUN_FAILED;
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
    out.println(
        "  journal entries: " + s.auditEntries() + " (abafix audit " + run + runId.suffix() + ")");
  }
}
