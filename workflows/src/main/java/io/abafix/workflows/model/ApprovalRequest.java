package io.abafix.workflows.model;

/**
 * A person's decision on the pending destructive step.
 *
 * @param gate the step key it answers; null answers whichever step is pending
 * @param by who decides; recorded in the audit
 * @param approve true to approve, false to reject (which ends the run through compensation)
 */
public record ApprovalRequest(String gate, String by, boolean approve, String comment) {}
