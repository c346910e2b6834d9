package io.abafix.workflows.incident;

/**
 * A workflow the incident started, and how it ended.
 *
 * @param outcome RUNNING until it ends, then its outcome (SUCCEEDED, NOTHING_TO_DO, FAILED, ...)
 */
public record ChildRun(Remedy remedy, String workflowId, String outcome, String message) {}
