package io.abafix.activities.approval;

import java.util.Map;

/**
 * A decision as a step carries it: the decider's Entra ID token and the parts of the binding a
 * worker cannot derive itself (gate, plan digest, parameters, decision). The worker fills in the
 * namespace, workflow id and run id from its own activity info and recomputes the nonce, so a proof
 * made for another run, gate, plan or parameters does not verify.
 *
 * <p>The token is short-lived and bound to this decision, but it is still kept out of logs: {@link
 * #toString()} leaves it out.
 */
public record ApprovalProof(
    String idToken,
    String gate,
    String planDigest,
    Map<String, String> parameters,
    String decision) {

  public ApprovalProof {
    parameters = parameters == null ? Map.of() : parameters;
  }

  /** The proof of a decision signed for {@code binding}. */
  public static ApprovalProof of(String idToken, DecisionBinding binding) {
    return new ApprovalProof(
        idToken, binding.gate(), binding.planDigest(), binding.parameters(), binding.decision());
  }

  /** The binding this proof claims, placed in the given run. */
  public DecisionBinding bindingFor(String namespace, String workflowId, String runId) {
    return new DecisionBinding(
        namespace, workflowId, runId, gate, planDigest, parameters, decision);
  }

  @Override
  public String toString() {
    return "ApprovalProof[gate="
        + gate
        + ", planDigest="
        + planDigest
        + ", parameters="
        + parameters
        + ", decision="
        + decision
        + ", idToken="
        + (idToken == null ? "none" : "(" + idToken.length() + " chars)")
        + "]";
  }
}
