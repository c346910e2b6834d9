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

  public boolean holdsCertificate(String thumbprint) {
    return thumbprint != null
        && keyCredentials.stream().anyMatch(k -> thumbprint.equalsIgnoreCase(k.thumbprint()));
  }
}
