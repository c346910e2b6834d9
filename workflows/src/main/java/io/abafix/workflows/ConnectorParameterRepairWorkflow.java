package io.abafix.workflows;

import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.Progress;
import io.abafix.workflows.model.RepairRequest;
import io.abafix.workflows.model.RepairResult;
import io.temporal.workflow.QueryMethod;
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
 * application-based authentication, ends as {@code NOTHING_TO_DO} and no step runs. No step needs
 * approval: the repair writes back the values the connector's own application identity already
 * implies, and starting the run is the operator's decision (recorded in the audit). A failed step
 * ends the run with a message that says where and why; there is nothing to compensate, since
 * neither a newer module nor restored parameters leave the server worse off.
 */
@WorkflowInterface
public interface ConnectorParameterRepairWorkflow {

  @WorkflowMethod
  RepairResult repair(RepairRequest request);

  @QueryMethod
  Progress progress();

  /** The journal so far. */
  @QueryMethod
  List<AuditEntry> audit();
}
