package io.abafix.activities.model;

/**
 * One certificate registered on an app registration.
 *
 * @param keyId the Graph key id (the portal's "Certificate ID")
 * @param thumbprint the certificate thumbprint ({@code customKeyIdentifier})
 * @param endDateTime ISO-8601 expiry, or null
 */
public record KeyCredential(String keyId, String thumbprint, String endDateTime) {

  /**
   * Whether {@code certificateId}, as a connector names its certificate, is this key: its
   * thumbprint or its key id. Which of the two the connector's CertificateId holds is not
   * documented, so both are accepted; they cannot be confused (40 hex digits against a GUID).
   */
  public boolean identifies(String certificateId) {
    return certificateId != null
        && (certificateId.equalsIgnoreCase(thumbprint) || certificateId.equalsIgnoreCase(keyId));
  }
}
