package io.abafix.activities.approval;

/** Reads how a run was started from the Temporal server's own record of it. */
@FunctionalInterface
public interface StartedRuns {
  /**
   * @throws ProofRefusedException when the server has no such run, or its start cannot be read
   */
  StartedRun of(String namespace, String workflowId, String runId) throws ProofRefusedException;
}
