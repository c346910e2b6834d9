package io.abafix.activities.model;

/**
 * Whether a server can open the credential its revert would use, proven before anything changes.
 *
 * @param userName the credential's user name when it opened (never its password), else null
 * @param problem what is wrong with the file, else null
 */
public record CredentialCheck(
    String server, String credentialReference, String userName, String problem) {
  public boolean usable() {
    return problem == null;
  }
}
