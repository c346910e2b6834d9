package io.abafix.workflows.internal.incident;

import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.RunStart;
import io.abafix.workflows.ConnectorParameterRepairWorkflow;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.incident.ChildRun;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.ProposedRun;
import io.abafix.workflows.incident.Remedy;
import io.abafix.workflows.internal.Gates;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.RepairRequest;
import io.abafix.workflows.model.RepairResult;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.visibility.RunDescriptions;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The workflows an incident starts, as children that outlive it: neither the incident's end nor its
 * cancellation stops a remediation half way ({@code ABANDON} both ways). A remediation runs with
 * the operator steps a run from the CLI has, and its requester is the person who approved the
 * proposal, so its own two-person rule compares two people.
 */
public final class ChildRuns {
  /** The outcome recorded when a workflow with the child's id was already running. */
  public static final String ALREADY_RUNNING = "ALREADY_RUNNING";

  private final IncidentConfig config;
  private final AuditJournal journal;
  private final List<ChildRun> children = new ArrayList<>();

  public ChildRuns(IncidentConfig config, AuditJournal journal) {
    this.config = config;
    this.journal = journal;
  }

  public List<ChildRun> all() {
    return List.copyOf(children);
  }

  public boolean allSucceeded() {
    return children.stream()
        .allMatch(c -> "SUCCEEDED".equals(c.outcome()) || "NOTHING_TO_DO".equals(c.outcome()));
  }

  /** Starts one proposed workflow and waits for it; records how it ended. */
  public void run(ProposedRun run, Gates.Settled decision, List<String> fleet) {
    String approver = decision.by();
    long started = Workflow.currentTimeMillis();
    // The child's start: an id of its own, and the proposal's signed approval as its requester's
    // proof; the workers check the server's record that this incident is its parent.
    // One start per child per incident run: its id says which, and takes nothing from the
    // workflow's random sequence, which histories recorded before it still follow.
    RunStart start =
        new RunStart(
            Workflow.getInfo().getRunId() + "/" + run.workflowId(),
            config.policy().twoPerson(),
            decision.proof(),
            Workflow.getInfo().getWorkflowId());
    ChildWorkflowOptions options =
        RunDescriptions.forProposal(run, config.tenant())
            .applyTo(ChildWorkflowOptions.newBuilder())
            .setWorkflowId(run.workflowId())
            .setTaskQueue(TaskQueues.ORCHESTRATOR)
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
            .setCancellationType(ChildWorkflowCancellationType.ABANDON)
            .build();
    String origin = "incident " + Workflow.getInfo().getWorkflowId();
    int index = children.size();
    children.add(new ChildRun(run.remedy(), run.workflowId(), "RUNNING", null));
    String outcome;
    String message;
    try {
      if (run.remedy() == Remedy.SHARED_APP_REMEDIATION) {
        SharedAppRemediationWorkflow child =
            Workflow.newChildWorkflowStub(SharedAppRemediationWorkflow.class, options);
        // Unattended lets the remediation start without a person; its destructive steps still
        // wait for a signed approval, which no policy can stand in for.
        RemediationRequest request =
            new RemediationRequest(
                    config.tenant(),
                    fleet,
                    config.credentialReference(),
                    null,
                    false,
                    new ApprovalPolicy(
                        true,
                        config.policy().twoPerson(),
                        config.policy().approvalTimeoutSeconds()),
                    config.timings(),
                    approver,
                    config.operatorSteps(),
                    origin)
                .startedAs(start);
        Promise<RemediationResult> result = Async.function(child::remediate, request);
        Workflow.getWorkflowExecution(child).get();
        started(run, started);
        RemediationResult r = result.get();
        outcome = r.outcome().name();
        message = r.message();
      } else {
        ConnectorParameterRepairWorkflow child =
            Workflow.newChildWorkflowStub(ConnectorParameterRepairWorkflow.class, options);
        String server = run.servers().get(0);
        RepairRequest request =
            new RepairRequest(
                    config.tenant(),
                    server,
                    config.moduleSourceFor(server),
                    config.timings(),
                    approver + " (" + origin + ")")
                .startedAs(start);
        Promise<RepairResult> result = Async.function(child::repair, request);
        Workflow.getWorkflowExecution(child).get();
        started(run, started);
        RepairResult r = result.get();
        outcome = r.outcome().name();
        message = r.message();
      }
    } catch (TemporalFailure e) {
      if (alreadyStarted(e)) {
        outcome = ALREADY_RUNNING;
        message =
            run.workflowId()
                + " was already running, started elsewhere; it was left alone: follow it with"
                + " abafix status "
                + run.workflowId();
      } else {
        outcome = "FAILED";
        message = rootMessage(e);
      }
    }
    children.set(index, new ChildRun(run.remedy(), run.workflowId(), outcome, message));
    journal
        .entry("CHILD_ENDED")
        .target(String.join(",", run.servers()))
        .executor(Executor.WORKFLOW.name())
        .actor(approver)
        .between(started, Workflow.currentTimeMillis())
        .attempts(1)
        .outcome(outcome)
        .after(Map.of("workflowId", run.workflowId()))
        .detail(message)
        .record();
  }

  private void started(ProposedRun run, long started) {
    journal
        .entry("CHILD_STARTED")
        .target(String.join(",", run.servers()))
        .executor(Executor.WORKFLOW.name())
        .between(started, Workflow.currentTimeMillis())
        .attempts(1)
        .outcome("DONE")
        .after(Map.of("workflowId", run.workflowId(), "remedy", run.remedy().name()))
        .detail(
            "started " + run.workflowId() + " (its journal: abafix audit " + run.workflowId() + ")")
        .record();
  }

  private static boolean alreadyStarted(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c.getClass().getSimpleName().contains("AlreadyStarted")) return true;
      if (c.getMessage() != null && c.getMessage().contains("ALREADY_EXISTS")) return true;
    }
    return false;
  }

  private static String rootMessage(Throwable t) {
    String last = t.getMessage();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ApplicationFailure a) last = a.getOriginalMessage();
      else if (c instanceof TemporalFailure tf) last = tf.getOriginalMessage();
    }
    return last;
  }
}
