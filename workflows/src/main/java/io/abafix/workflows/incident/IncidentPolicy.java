package io.abafix.workflows.incident;

import io.abafix.workflows.model.Sorted;
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
 * @param historyLimit while it gathers reports, the incident continues as a new run (carrying the
 *     reports) once its history holds this many events, or when Temporal suggests it; {@value
 *     #DEFAULT_HISTORY_LIMIT} when zero or less
 */
public record IncidentPolicy(
    Set<Remedy> unattended,
    long debounceSeconds,
    long approvalTimeoutSeconds,
    boolean twoPerson,
    int expiryWarningDays,
    long historyLimit) {

  /** Far below Temporal's 50,000-event limit, where the server would terminate the run. */
  public static final long DEFAULT_HISTORY_LIMIT = 10_000;

  public IncidentPolicy {
    unattended = unattended == null ? Set.of() : Sorted.set(unattended);
    if (historyLimit <= 0) historyLimit = DEFAULT_HISTORY_LIMIT;
  }

  /** The standard history limit. */
  public IncidentPolicy(
      Set<Remedy> unattended,
      long debounceSeconds,
      long approvalTimeoutSeconds,
      boolean twoPerson,
      int expiryWarningDays) {
    this(unattended, debounceSeconds, approvalTimeoutSeconds, twoPerson, expiryWarningDays, 0);
  }

  /** Every proposal waits for a person; one minute of debounce; a day to decide. */
  public static IncidentPolicy standard() {
    return new IncidentPolicy(Set.of(), 60, 24 * 3600, false, 30);
  }

  public boolean isUnattended(Remedy remedy) {
    return unattended.contains(remedy);
  }
}
