package io.abafix.activities.model;

/**
 * One server's raw answers, for a capture of the fleet.
 *
 * @param capture the capture's JSON text, format {@code abafix-capture/1}
 * @param connectorAccount the Entra connector account the state names, or null when the state could
 *     not be read (the capture is kept all the same)
 */
public record ServerCaptureResult(String server, String capture, String connectorAccount) {}
