package io.abafix.workflows.model;

/**
 * A person's word that an operator step is done. The workflow checks the effect itself before it
 * believes it.
 *
 * @param step the step name, e.g. {@code CONFIGURE_ABA}
 * @param server the server it was done on
 * @param by who did it, for the audit
 */
public record ConfirmRequest(String step, String server, String by) {}
