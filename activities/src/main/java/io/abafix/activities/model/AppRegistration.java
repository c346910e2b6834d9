package io.abafix.activities.model;

import java.util.List;

/**
 * An app registration as Microsoft Graph lists it.
 *
 * @param id the object id (what Graph deletes and restores)
 * @param appId the application (client) id a sync server authenticates with
 */
public record AppRegistration(
    String id, String appId, String displayName, List<KeyCredential> keyCredentials) {

  public AppRegistration {
    keyCredentials = keyCredentials == null ? List.of() : List.copyOf(keyCredentials);
  }

  /** Whether a key of this app is the certificate a connector names (thumbprint or key id). */
  public boolean holdsCertificate(String certificateId) {
    return keyCredentials.stream().anyMatch(k -> k.identifies(certificateId));
  }
}
