package io.abafix.cli;

import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RemediationResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowQueryException;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Follows a run: prints each journal entry as it appears and, when asked to, answers approvals (the
 * demo does; a real run waits for a person).
 */
final class RunFollower {
  private final WorkflowClient client;
  private final String workflowId;
  private final PrintWriter out;
  private AutoApprover autoApprover;
  private final Duration pollInterval;
  private java.util.function.Consumer<PendingApproval> whenRefused = p -> {};

  /**
   * @param autoApprover who signs in to approve pending steps (the demo), or null to leave them to
   *     a person
   */
  RunFollower(
      WorkflowClient client,
      String workflowId,
      PrintWriter out,
      AutoApprover autoApprover,
      Duration pollInterval) {
    this.client = client;
    this.workflowId = workflowId;
    this.out = out;
    this.autoApprover = autoApprover;
    this.pollInterval = pollInterval;
  }

  /**
   * What to do when the run refuses the auto-approver's decision (it stops approving then): the
   * demo lets the gate's deadline come, since nobody else will approve.
   */
  RunFollower whenRefused(java.util.function.Consumer<PendingApproval> action) {
    this.whenRefused = action;
    return this;
  }

  /** Who does each operator step and confirms it (the demo's person at the consoles). */
  RunFollower operator(java.util.function.Consumer<io.abafix.workflows.model.OperatorTask> action) {
    this.operator = action;
    return this;
  }

  /**
   * Blocks until the run ends.
   *
   * @return the result
   * @throws io.temporal.client.WorkflowFailedException when the run failed (after compensation)
   */
  private java.util.function.Consumer<io.abafix.workflows.model.OperatorTask> operator;

  RemediationResult follow() {
    SharedAppRemediationWorkflow run =
        client.newWorkflowStub(SharedAppRemediationWorkflow.class, workflowId);
    WorkflowStub untyped = client.newUntypedWorkflowStub(workflowId);
    CompletableFuture<RemediationResult> result = untyped.getResultAsync(RemediationResult.class);
    int printed = 0;
    String announced = null;
    while (true) {
      boolean done = result.isDone();
      List<AuditEntry> audit;
      Progress progress;
      try {
        audit = run.audit();
        progress = done ? null : run.progress();
      } catch (WorkflowQueryException e) {
        if (ClosedRun.closed(result)) break;
        throw e;
      }
      for (; printed < audit.size(); printed++)
        Render.followed(audit.get(printed)).forEach(out::println);
      out.flush();
      if (done) break;
      PendingApproval pending = progress.pendingApproval();
      if (pending != null && autoApprover != null) {
        try {
          Decisions.pin(client, workflowId)
              .decide(pending, true, autoApprover.user(), "demo", autoApprover.signer());
        } catch (io.temporal.client.WorkflowUpdateException refused) {
          out.println(
              "  "
                  + autoApprover.user()
                  + "'s approval of "
                  + pending.gate()
                  + " refused: "
                  + ErrorHandler.rootMessage(refused));
          out.flush();
          autoApprover = null;
          whenRefused.accept(pending);
        }
      } else if (progress.pendingOperatorStep() != null
          && !progress.pendingOperatorStep().gate().equals(announced)) {
        announced = progress.pendingOperatorStep().gate();
        if (operator != null) {
          operator.accept(progress.pendingOperatorStep());
        } else {
          out.println(
              "  operator step "
                  + announced
                  + ": "
                  + progress.pendingOperatorStep().instructions());
          out.flush();
        }
      } else if (pending != null && !pending.gate().equals(announced)) {
        announced = pending.gate();
        for (PendingApproval p : progress.pendingApprovals()) {
          out.println("  waiting for approval of " + p.gate() + ": " + p.description());
          out.println("    " + Render.approveCommand(workflowId, p) + "   (or: abafix reject ...)");
        }
        out.flush();
      }
      sleep(pollInterval);
    }
    try {
      return result.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw e;
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while following the run", e);
    }
  }
}
