package io.abafix.workflows.audit;

/**
 * What the orchestrator signs: which run, which records, and the chain's head. Digests chain too
 * ({@code previousDigest}), so none can be dropped from the middle without notice.
 *
 * @param firstSeq the first record since the previous digest
 * @param lastSeq the record whose hash is {@code headHash}
 * @param count records covered, {@code lastSeq - firstSeq + 1}
 * @param previousDigest {@link #id()} of the previous digest, {@link AuditChain#GENESIS} for the
 *     first
 * @param reason the step it follows, or {@code END}
 * @param closing whether this is the run's last digest: nothing may follow it
 */
public record AuditDigest(
    String namespace,
    String workflowId,
    String runId,
    int firstSeq,
    int lastSeq,
    int count,
    String headHash,
    String previousDigest,
    String reason,
    boolean closing) {

  /** The bytes the signature covers. */
  public String canonical() {
    return AuditChain.canonical(this);
  }

  /** How the next digest names this one. */
  public String id() {
    return AuditChain.sha256(canonical());
  }
}
