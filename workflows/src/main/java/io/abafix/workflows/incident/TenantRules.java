package io.abafix.workflows.incident;

import io.abafix.workflows.model.Sorted;
import java.util.Set;

/**
 * What only the orchestrator's own configuration may say about a tenant's incidents: which remedies
 * may start without a person, and whether the remediations they start follow the two-person rule.
 * No watcher's report or signal carries these; an incident asks its orchestrator ({@link
 * IncidentRules}).
 *
 * @param unattended remedies that may start without a person's approval of the proposal (their
 *     destructive steps still wait for a signed approval)
 */
public record TenantRules(Set<Remedy> unattended, boolean twoPerson) {
  public TenantRules {
    unattended = unattended == null ? Set.of() : Sorted.set(unattended);
  }

  /** Every proposal waits for a person; one approver suffices. */
  public static TenantRules attended() {
    return new TenantRules(Set.of(), false);
  }

  /** {@code policy} with these rules in place of whatever it said about them. */
  public IncidentPolicy over(IncidentPolicy policy) {
    return new IncidentPolicy(
        unattended,
        policy.debounceSeconds(),
        policy.approvalTimeoutSeconds(),
        twoPerson,
        policy.expiryWarningDays(),
        policy.historyLimit());
  }
}
