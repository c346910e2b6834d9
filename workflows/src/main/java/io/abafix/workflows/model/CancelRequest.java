package io.abafix.workflows.model;

/**
 * Why a person cancels a run, recorded in the audit before the cancellation itself.
 *
 * @param reason required; one line
 * @param by who cancels
 */
public record CancelRequest(String reason, String by) {}
