package io.abafix.activities.model;

/**
 * What the Entra connector authenticates with, as {@code Get-ADSyncEntraConnectorCredential} says.
 */
public enum IdentityType {
  /** A legacy {@code Sync_<server>_<id>} (or custom) account with a password. */
  ServiceAccount,
  /** An app registration with a certificate (application-based authentication). */
  Application,
  /** The cmdlet returned something this version of abafix does not recognise. */
  Unknown
}
