package io.abafix.workflows;

import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.CancelRequest;
import io.abafix.workflows.model.ConfirmRequest;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.plan.Plan;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * Gives every Entra Connect server that shares an app registration (or a machine id) with another
 * its own application identity, following Microsoft's documented procedure "Multiple servers
 * sharing the same custom Microsoft Entra Connector account", generalised to N servers.
 *
 * <p>Preflight changes nothing and produces the {@link Plan}; a dry run stops there. Then the run
 * asks for every approval the plan needs at once ({@link #decide}), before it pauses any scheduler;
 * a destructive step whose parameters changed since its approval asks again. When a step fails, a
 * gate is rejected or times out, or the run is cancelled, the run compensates: every scheduler it
 * paused is resumed once its server has a working identity, and a deleted app is restored only if a
 * server still authenticates with it. The workflow then fails (or, cancelled, ends CANCELED) with a
 * message that says where and why, and its whole journal in the failure's details (cancelled, in a
 * record of its own right before the end: see {@link io.abafix.workflows.model.RunJournal}), so
 * that a closed run's journal is read from its history without a worker.
 */
@WorkflowInterface
public interface SharedAppRemediationWorkflow {

  @WorkflowMethod
  RemediationResult remediate(RemediationRequest request);

  /**
   * Approves or rejects one gate the run waits on, or every one of them ({@code PLAN}).
   *
   * @return the gates that were settled
   * @throws io.temporal.client.WorkflowUpdateException when the decision is refused: no such gate,
   *     already settled (by a decision or its timeout), the digest is not the gate's, or the
   *     two-person rule forbids it
   */
  @UpdateMethod
  String decide(ApprovalRequest request);

  /**
   * Refuses a decision when nothing is pending, the gate differs, or the two-person rule forbids
   * it.
   */
  @UpdateValidatorMethod(updateName = "decide")
  void validateDecision(ApprovalRequest request);

  /**
   * Confirms that a person did the pending operator step. The workflow checks the effect on the
   * server before it accepts the confirmation; when the effect is not there the update fails with
   * what is missing, and the run keeps waiting.
   *
   * @return what was verified
   */
  @UpdateMethod
  String confirm(ConfirmRequest request);

  /** Refuses a confirmation when no operator step is pending or it names another step or server. */
  @UpdateValidatorMethod(updateName = "confirm")
  void validateConfirmation(ConfirmRequest request);

  /**
   * Says why the run is being cancelled, for the audit; {@code abafix cancel} sends it right before
   * the cancellation itself.
   */
  @SignalMethod
  void explainCancellation(CancelRequest request);

  /** The plan, once preflight has produced it (null before). */
  @QueryMethod
  Plan plan();

  @QueryMethod
  Progress progress();

  /** The journal so far. */
  @QueryMethod
  List<AuditEntry> audit();
}
