package io.abafix.activities.approval;

import java.util.List;
import java.util.Map;

/**
 * A decision whose proof verified: who decided, who requested (when two-person applies), and the
 * binding they signed, whose parameters say exactly what the step may act on.
 */
public record VerifiedApproval(
    VerifiedIdentity approver, VerifiedIdentity requester, DecisionBinding binding) {

  /** The proven parameters, e.g. {@code parameters().get(ProvenParameters.DELETE_APPLICATION)}. */
  public Map<String, List<String>> parameters() {
    return binding.parameters();
  }
}
