package io.abafix.activities.approval;

import java.util.List;
import java.util.Map;

/**
 * A decision whose proof verified: who decided, who requested (when two-person applies), and the
 * binding they signed, whose parameters say exactly what the step may act on.
 */
public record VerifiedApproval(
    VerifiedIdentity approver, VerifiedIdentity requester, DecisionBinding binding) {

  /** The proven parameters, as signed. */
  public Map<String, String> parameters() {
    return binding.parameters();
  }

  /**
   * The values a proven list holds, e.g. {@code values(ProvenParameters.DELETE_APPLICATION)}: the
   * object ids of the apps the approver let this run delete.
   */
  public List<String> values(String name) {
    return ProvenParameters.values(binding.parameters(), name);
  }
}
