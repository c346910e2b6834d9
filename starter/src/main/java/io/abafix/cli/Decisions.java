package io.abafix.cli;

import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.DecisionScope;
import io.abafix.workflows.model.PendingApproval;
import io.temporal.client.WorkflowClient;
import java.util.List;
import java.util.Optional;

/** Signs a decision on a run's pending gate and sends it, bound to that very run. */
final class Decisions {
  private Decisions() {}

  /**
   * The remediation workflow of the run now open under {@code workflowId}, pinned to its run id.
   */
  static Pinned pin(WorkflowClient client, String workflowId) {
    String runId = client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
    return new Pinned(
        client,
        workflowId,
        runId,
        chainOf(client, workflowId, runId),
        client.newWorkflowStub(SharedAppRemediationWorkflow.class, workflowId, Optional.of(runId)));
  }

  /**
   * The first run of the chain a run belongs to, as the server recorded it: what decisions bind (a
   * reset keeps it), computed as the workflow and the workers compute it.
   */
  static String chainOf(WorkflowClient client, String workflowId, String runId) {
    try {
      return io.abafix.activities.approval.TemporalStartedRuns.firstRunId(
          client, client.getOptions().getNamespace(), workflowId, runId);
    } catch (io.abafix.activities.approval.ProofRefusedException e) {
      throw new UserError(e.getMessage());
    }
  }

  /**
   * @param chainRunId the first run of the run's chain: what decisions bind
   */
  record Pinned(
      WorkflowClient client,
      String workflowId,
      String runId,
      String chainRunId,
      SharedAppRemediationWorkflow stub) {

    /** What a decision on {@code pending} in this run binds (as every signer computes it). */
    DecisionBinding binding(PendingApproval pending, boolean approve) {
      return DecisionScope.binding(
          client.getOptions().getNamespace(),
          workflowId,
          chainRunId,
          pending.gate(),
          List.of(pending),
          approve);
    }

    /**
     * Signs the person in for the decision and sends it.
     *
     * @param label a display label for the audit; the proof says who signed in
     * @return the gate decided
     */
    String decide(
        PendingApproval pending,
        boolean approve,
        String label,
        String comment,
        DecisionSigner signer) {
      DecisionBinding binding = binding(pending, approve);
      String token = signer.sign(binding, label);
      return stub.decide(
          new ApprovalRequest(
              pending.gate(),
              label,
              approve,
              comment,
              pending.digest(),
              ApprovalProof.of(token, binding)));
    }

    /**
     * Signs the person in for one decision on every gate open now ({@code --gate PLAN}) and sends
     * it.
     *
     * @return the gates decided
     */
    String decidePlan(
        List<PendingApproval> open,
        boolean approve,
        String label,
        String comment,
        DecisionSigner signer) {
      DecisionBinding binding =
          DecisionScope.binding(
              client.getOptions().getNamespace(),
              workflowId,
              chainRunId,
              DecisionScope.PLAN,
              open,
              approve);
      String token = signer.sign(binding, label);
      return stub.decide(
          new ApprovalRequest(
              DecisionScope.PLAN,
              label,
              approve,
              comment,
              binding.planDigest(),
              ApprovalProof.of(token, binding)));
    }
  }
}
