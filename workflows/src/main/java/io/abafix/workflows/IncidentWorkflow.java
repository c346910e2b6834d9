package io.abafix.workflows;

import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentReport;
import io.abafix.workflows.incident.IncidentResult;
import io.abafix.workflows.incident.IncidentStatus;
import io.abafix.workflows.model.ApprovalRequest;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * One per tenant ({@link WorkflowIds#incident}): gathers what the servers' watchers report, and
 * takes it from there. Every watcher reports by signal-with-start, so the first report starts the
 * run and later ones join it; two servers reporting the same conflict make one incident.
 *
 * <p>The run gathers reports until none has come for the policy's debounce window, diagnoses the
 * whole fleet ({@link io.abafix.workflows.incident.Diagnoser}), and proposes the workflows that fit
 * with their plans. It starts them, as child workflows that outlive it if it is terminated, once a
 * person approves with {@link #decide}, or at once when the tenant's policy lets those workflows
 * run unattended. It waits for them, diagnoses again, and closes. Reports that arrive meanwhile are
 * recorded but start nothing new; one that arrives after it closed starts a new incident.
 */
@WorkflowInterface
public interface IncidentWorkflow {

  @WorkflowMethod
  IncidentResult handle(IncidentConfig config);

  /** A watcher's observation. The same observation twice (same key) is recorded once. */
  @SignalMethod
  void report(IncidentReport report);

  /** Approves or rejects the proposal. */
  @UpdateMethod
  String decide(ApprovalRequest request);

  /** Refuses a decision when no proposal is waiting. */
  @UpdateValidatorMethod(updateName = "decide")
  void validateDecision(ApprovalRequest request);

  @QueryMethod
  IncidentStatus status();

  /** The journal so far: reports, findings, the proposal, decisions and the workflows started. */
  @QueryMethod
  List<AuditEntry> audit();
}
