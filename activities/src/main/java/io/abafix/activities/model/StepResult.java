package io.abafix.activities.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one step did, for the audit.
 *
 * @param changed false when the effect was already in place and nothing was done
 * @param before facts read just before the step
 * @param after facts read just after the step
 * @param detail one line a person can read
 * @param attempt the activity attempt that produced this result (1 = first try)
 */
public record StepResult(
    boolean changed,
    Map<String, String> before,
    Map<String, String> after,
    String detail,
    int attempt) {

  /** The fact naming who approved the step, as its worker verified the proof. */
  public static final String APPROVED_BY = "approvedBy";

  public StepResult {
    before = facts(before);
    after = facts(after);
  }

  /**
   * This result with the verified approver in its facts, for the journal: the UPN with
   * "(verified)", the {@code oid}, the tenant and when Entra ID issued the token.
   */
  public StepResult approvedBy(io.abafix.activities.approval.VerifiedApproval approval) {
    java.util.Map<String, String> facts = new java.util.LinkedHashMap<>(after);
    facts.put(APPROVED_BY, approval.approver().label());
    facts.put("approverObjectId", approval.approver().objectId());
    facts.put("approverTenantId", approval.approver().tenantId());
    facts.put("approvalIssuedAt", approval.approver().issuedAt().toString());
    if (approval.requester() != null) facts.put("requestedBy", approval.requester().label());
    return new StepResult(changed, before, facts, detail, attempt);
  }

  /** A sorted, immutable copy in which a missing value reads "(none)". */
  private static Map<String, String> facts(Map<String, String> in) {
    TreeMap<String, String> out = new TreeMap<>();
    if (in != null) in.forEach((k, v) -> out.put(k, v == null ? "(none)" : v));
    return Collections.unmodifiableSortedMap(out);
  }
}
