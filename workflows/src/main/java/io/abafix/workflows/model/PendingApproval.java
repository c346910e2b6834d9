package io.abafix.workflows.model;

import java.util.Map;

/**
 * An approval gate a run waits on.
 *
 * @param gate the gate's name, e.g. {@code DELETE_APPLICATIONS@directory}
 * @param requestedAt epoch millis
 * @param deadline epoch millis after which the gate times out and the run compensates
 * @param planDigest the digest of the plan the gate belongs to ({@code PlanDigest})
 * @param parameters exactly what the step will act on (account names, machine ids, app ids)
 * @param digest the gate's own digest, over the plan's digest, the gate and its parameters: what a
 *     decision names
 */
public record PendingApproval(
    String gate,
    String description,
    long requestedAt,
    long deadline,
    String planDigest,
    Map<String, String> parameters,
    String digest) {

  public PendingApproval {
    parameters = parameters == null ? Map.of() : Sorted.map(parameters);
  }
}
