package io.abafix.workflows;

import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RepairRequest;
import io.abafix.workflows.model.RepairResult;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * Restores the Entra connector's blank ABA parameters on one server, following Microsoft's
 * "Connectivity Parameters missing after upgrade": make ADSyncTools 2.3.0 or later available (from
 * the PowerShell Gallery, or from a pre-staged folder on servers without internet access), import
 * it, run {@code Repair-ADSyncToolsEntraAppParameters}, and verify that ApplicationManagedBy,
 * CertificateManagedBy and CertificateId are present again.
 *
 * <p>Preflight changes nothing. A server whose parameters are present, or that does not use
 * application-based authentication, ends as {@code NOTHING_TO_DO} and no step runs. Otherwise the
 * run asks for the approval of its two changing steps (the module's install and the repair), each
 * bound to its exact parameters, which the server's worker verifies before it acts; one decision on
 * {@code PLAN} settles both. A run whose approval is rejected or does not come ends {@code
 * BLOCKED}, nothing changed. A failed step ends the run with a message that says where and why;
 * there is nothing to compensate, since neither a newer module nor restored parameters leave the
 * server worse off.
 */
@WorkflowInterface
public interface ConnectorParameterRepairWorkflow {

  @WorkflowMethod
  RepairResult repair(RepairRequest request);

  /**
   * A person's decision on the repair's gates, as for {@link SharedAppRemediationWorkflow#decide}.
   *
   * @return the gates decided
   */
  @UpdateMethod
  String decide(io.abafix.workflows.model.ApprovalRequest request);

  /** Refuses a decision that cannot settle anything, before it reaches the history. */
  @UpdateValidatorMethod(updateName = "decide")
  void validateDecision(io.abafix.workflows.model.ApprovalRequest request);

  @QueryMethod
  Progress progress();

  /** The journal so far. */
  @QueryMethod
  List<AuditEntry> audit();
}
