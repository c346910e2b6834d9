package io.abafix.workflows.incident;

import java.util.Set;

/**
 * The tenant's rules for incidents.
 *
 * @param unattended remedies that may start without a person's approval; empty means every proposal
 *     waits for {@code abafix approve}. A remedy listed here also runs its own destructive steps
 *     without approval.
 * @param debounceSeconds how long the incident keeps gathering reports after the last one before it
 *     diagnoses (capped at ten times this from the first report)
 * @param approvalTimeoutSeconds how long a proposal waits for a decision; it is dropped afterwards
 * @param twoPerson for remedies that are not unattended: the remediation's own approvals follow the
 *     two-person rule
 * @param expiryWarningDays a certificate that expires within this many days is a finding
 */
public record IncidentPolicy(
    Set<Remedy> unattended,
    long debounceSeconds,
    long approvalTimeoutSeconds,
    boolean twoPerson,
    int expiryWarningDays) {

  public IncidentPolicy {
    unattended = unattended == null ? Set.of() : Set.copyOf(unattended);
  }

  /** Every proposal waits for a person; one minute of debounce; a day to decide. */
  public static IncidentPolicy standard() {
    return new IncidentPolicy(Set.of(), 60, 24 * 3600, false, 30);
  }

  public boolean isUnattended(Remedy remedy) {
    return unattended.contains(remedy);
  }
}
