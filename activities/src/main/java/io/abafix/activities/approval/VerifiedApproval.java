package io.abafix.activities.approval;

import java.util.List;
import java.util.Map;

/**
 * A decision whose proof verified: who decided, who requested (when two-person applies), and the
 * binding they signed, whose parameters say exactly what the step may act on.
 */
public record VerifiedApproval(
    VerifiedIdentity approver,
    VerifiedIdentity requester,
    DecisionBinding binding,
    String step,
    Map<String, String> bound,
    java.util.function.Supplier<String> use) {

  public VerifiedApproval(
      VerifiedIdentity approver, VerifiedIdentity requester, DecisionBinding binding) {
    this(approver, requester, binding, binding.gate(), binding.parameters(), () -> null);
  }

  /** A bound parameter of this step, or null. */
  public String bound(String name) {
    return bound == null ? null : bound.get(name);
  }

  /**
   * Right before the step acts, and only then: records this use of the approval ({@link
   * ApprovalLedger}), or refuses, with zero effects, when another scheduling already acted on it (a
   * copy of the step, or a run reset past it). A step that finds its effect already in place, or
   * fails before it acts, uses nothing.
   *
   * @throws io.temporal.failure.ApplicationFailure non-retryable APPROVAL_REFUSED
   */
  public void requireUnspent() {
    String spentBy = use.get();
    if (spentBy == null) return;
    throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
        step
            + " refused, nothing changed: its approval was already used by another scheduling of"
            + " this step ("
            + spentBy
            + "); an approval acts once",
        io.abafix.activities.FailureTypes.APPROVAL_REFUSED);
  }

  /**
   * Refuses, with zero effects, when what the server or directory reports now is not the state the
   * approver approved the step from.
   *
   * @param name the bound parameter, e.g. {@code identityBefore}
   * @param live what the live state gives for it now
   */
  public void requireState(String name, String live) {
    String approved = bound(name);
    if (approved != null && approved.equalsIgnoreCase(live == null ? "" : live)) return;
    throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
        step
            + " refused, nothing changed: it was approved for "
            + name
            + " "
            + (approved == null ? "(not bound)" : approved)
            + ", and the live state is "
            + live,
        io.abafix.activities.FailureTypes.APPROVAL_REFUSED);
  }

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
