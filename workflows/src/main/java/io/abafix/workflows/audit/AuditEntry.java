package io.abafix.workflows.audit;

import java.util.Map;

/**
 * One step's record. Holds facts, never secrets.
 *
 * @param seq position in the journal, from 1
 * @param step the step name, a decision such as {@code APPROVAL}, or {@link AuditJournal#DIGEST}
 * @param target a server name, or {@code directory}
 * @param executor AUTOMATED, OPERATOR or WORKFLOW
 * @param actor who approved, confirmed or started it; null for the workflow itself
 * @param startedAt epoch millis (workflow time)
 * @param endedAt epoch millis (workflow time)
 * @param attempts activity attempts it took (1 when it succeeded first time)
 * @param outcome DONE, NO_CHANGE, SKIPPED, FAILED, APPROVED, REJECTED, COMPENSATED, INFO, SIGNED
 * @param prev the previous record's {@code hash} ({@link AuditChain#GENESIS} for the first)
 * @param hash SHA-256 of this record's other fields, {@code prev} included ({@link AuditChain})
 */
public record AuditEntry(
    String runId,
    int seq,
    String step,
    String target,
    String executor,
    String actor,
    long startedAt,
    long endedAt,
    int attempts,
    String outcome,
    Map<String, String> before,
    Map<String, String> after,
    String detail,
    String prev,
    String hash) {}
