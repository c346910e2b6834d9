package io.abafix.activities.approval;

import java.util.Map;

/**
 * How a run was started, inside its start input (the request's {@value #INPUT_FIELD} field): an id
 * the starter chose for this start alone, whether the two-person rule applies, and the requester's
 * signed start. The payload codec keeps the input unreadable and unforgeable without the key; the
 * start id makes a replayed input visible (a second run presenting an id already claimed is
 * refused, see {@link StartCheck}); the signature says who started it, and that they asked for two
 * people.
 *
 * @param startId a fresh random id per start
 * @param twoPerson whether the requester asked that someone else approve
 * @param signed the requester's {@link DecisionBinding#START} sign-in over {@link #binding}; null
 *     for a run started without sign-in (then the two-person rule cannot hold, and such a run is
 *     refused wherever the rule applies)
 * @param startedBy for a run an incident started: the incident run whose approved proposal this is
 *     (workflow id), so {@code signed} is the proposal's approval, not a sign-in of its own; null
 *     otherwise
 */
public record RunStart(String startId, boolean twoPerson, ApprovalProof signed, String startedBy) {
  /** The start input's field that holds this record. */
  public static final String INPUT_FIELD = "start";

  public RunStart {
    if (startId == null || startId.isBlank()) {
      throw new IllegalArgumentException("a run's start needs a start id");
    }
    startId = startId.trim();
  }

  /** A start without sign-in. */
  public static RunStart unsigned(String startId, boolean twoPerson) {
    return new RunStart(startId, twoPerson, null, null);
  }

  /** A fresh start id. */
  public static String newStartId() {
    return java.util.UUID.randomUUID().toString();
  }

  /** What the requester signs: this start of this workflow id, and the rule they asked for. */
  public static DecisionBinding binding(
      String namespace, String workflowId, String startId, boolean twoPerson) {
    return new DecisionBinding(
        namespace,
        workflowId,
        "",
        DecisionBinding.START,
        "",
        Map.of("startId", startId, "twoPerson", String.valueOf(twoPerson)),
        DecisionBinding.START);
  }

  /** This start, signed with {@code idToken} over {@link #binding}. */
  public RunStart signedWith(String idToken, String namespace, String workflowId) {
    return new RunStart(
        startId,
        twoPerson,
        ApprovalProof.of(idToken, binding(namespace, workflowId, startId, twoPerson)),
        startedBy);
  }
}
