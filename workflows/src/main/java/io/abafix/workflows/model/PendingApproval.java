package io.abafix.workflows.model;

/**
 * A destructive step waiting for a person.
 *
 * @param gate the step key, e.g. {@code DELETE_APPLICATIONS@directory}
 * @param requestedAt epoch millis
 * @param deadline epoch millis after which the run compensates
 */
public record PendingApproval(String gate, String description, long requestedAt, long deadline) {}
