package io.abafix.workflows.model;

/**
 * A step a person performs (a wizard page, an MFA sign-in), waiting for {@code abafix confirm}.
 *
 * @param gate the step key, e.g. {@code CONFIGURE_ABA@SERVERB}
 * @param step the step name to pass to {@code abafix confirm --step}
 * @param server the server to pass to {@code abafix confirm --server}
 * @param instructions exactly what to do, then how to confirm
 * @param requestedAt epoch millis
 */
public record OperatorTask(
    String gate, String step, String server, String instructions, long requestedAt) {}
