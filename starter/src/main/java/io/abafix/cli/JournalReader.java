package io.abafix.cli;

import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.history.JournalHistory;
import io.abafix.workflows.history.RecoveredJournal;
import io.abafix.workflows.history.RecoveredJournal.UnrecordedStep;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionDescription;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's journal for the read commands ({@code audit}, {@code report}, {@code status}): a closed
 * run's from Temporal's history, which needs no worker ({@link JournalHistory}); an open run's by
 * query, which its orchestrator answers.
 */
final class JournalReader {
  private JournalReader() {}

  /**
   * @param runId the run read
   * @param entries its journal
   * @param closed how a closed run's journal was read, or null for a run still open
   */
  record Journal(String runId, List<AuditEntry> entries, RecoveredJournal closed) {
    boolean open() {
      return closed == null;
    }

    /** Whether the journal is the run's whole one: an open run's so far, or a closed run's all. */
    boolean complete() {
      return closed == null || closed.complete();
    }
  }

  /** The journal of the run of {@code workflowId} that {@code runId} picks. */
  static Journal read(WorkflowClient client, RunIdOption runId, String workflowId) {
    WorkflowExecutionDescription d = runId.untyped(client, workflowId).describe();
    String run = d.getExecution().getRunId();
    if (d.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return new Journal(
          run, runId.stub(client, SharedAppRemediationWorkflow.class, workflowId).audit(), null);
    }
    RecoveredJournal closed = JournalHistory.read(client, workflowId, run);
    return new Journal(run, closed.entries(), closed);
  }

  /**
   * What a recovered journal lacks, as lines an operator reads: empty when it is whole. The first
   * says that it is incomplete and why; each after it names one thing that could not be recovered.
   */
  static List<String> incompleteness(RecoveredJournal r) {
    if (r == null || r.complete()) return List.of();
    List<String> lines = new ArrayList<>();
    lines.add(
        "INCOMPLETE: "
            + r.entries().size()
            + " records, read from "
            + r.source().words()
            + "; missing:");
    r.missing().forEach(m -> lines.add("  - " + m));
    for (UnrecordedStep s : r.unrecorded()) lines.add("  - " + s.describe());
    return lines;
  }
}
