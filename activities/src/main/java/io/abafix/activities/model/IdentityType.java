package io.abafix.activities.model;

/**
 * What the Entra connector authenticates with, as {@code Get-ADSyncEntraConnectorCredential} says.
 */
public enum IdentityType {
  /** A legacy {@code Sync_<server>_<id>} (or custom) account with a password. */
  ServiceAccount,
  /** An app registration with a certificate (application-based authentication). */
  Application,
  /**
   * Not read: ADSync is stopped, so the connector cannot be asked ({@link
   * ServerState#adSyncRunning()} is false). An answer abafix does not recognise is never reported
   * as Unknown: it fails the inspection, naming what it saw.
   */
  Unknown
}
