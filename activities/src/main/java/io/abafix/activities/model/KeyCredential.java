package io.abafix.activities.model;

/**
 * One certificate registered on an app registration.
 *
 * @param keyId the Graph key id
 * @param thumbprint the certificate thumbprint ({@code customKeyIdentifier})
 * @param endDateTime ISO-8601 expiry, or null
 */
public record KeyCredential(String keyId, String thumbprint, String endDateTime) {}
