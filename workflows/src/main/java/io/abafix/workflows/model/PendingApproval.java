package io.abafix.workflows.model;

import java.util.List;
import java.util.Map;

/**
 * A destructive step waiting for a person.
 *
 * @param gate the step key, e.g. {@code DELETE_APPLICATIONS@directory}
 * @param requestedAt epoch millis
 * @param deadline epoch millis after which the run compensates
 * @param planDigest the digest of the plan the decision is about
 * @param parameters exactly what the step will act on, as the approver's sign-in binds it (see
 *     {@link io.abafix.activities.approval.ProvenParameters})
 */
public record PendingApproval(
    String gate,
    String description,
    long requestedAt,
    long deadline,
    String planDigest,
    Map<String, List<String>> parameters) {

  public PendingApproval {
    parameters = parameters == null ? Map.of() : parameters;
    planDigest = planDigest == null ? "" : planDigest;
  }

  public PendingApproval(String gate, String description, long requestedAt, long deadline) {
    this(gate, description, requestedAt, deadline, "", Map.of());
  }
}
