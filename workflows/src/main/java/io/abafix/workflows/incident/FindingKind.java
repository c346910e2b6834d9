package io.abafix.workflows.incident;

/** What the diagnosis can find in a fleet. */
public enum FindingKind {
  /** Servers with one SyncMachineIdentifier: cloned after Entra Connect was installed. */
  DUPLICATE_MACHINE_ID,
  /** Servers authenticating with one app registration. */
  SHARED_APPLICATION,
  /** Servers installed with one Entra connector account. */
  SHARED_CONNECTOR_ACCOUNT,
  /** A connector that cannot sign in now. */
  SIGN_IN_FAILING,
  /** A connector on Application with blank ABA parameters. */
  BLANK_PARAMETERS,
  /** A connector account that holds the Global Administrator role. */
  GLOBAL_ADMINISTRATOR_CONNECTOR_ACCOUNT,
  /** An ABA certificate that has expired or expires soon. */
  CERTIFICATE_EXPIRY,
  /** A server that could not be read: its worker did not answer. */
  SERVER_UNREACHABLE,
  /** A Connect version below the one required to keep syncing (2.5.79.0 from 30 Sep 2026). */
  VERSION_SYNC_STOPS,
  /** A Connect version past its end of support. */
  VERSION_PAST_END_OF_SUPPORT,
  /** A server on a service account whose version no longer switches itself to ABA. */
  NO_AUTOMATIC_ABA_SWITCH,
  /** Event 1014: the ABA certificate's key is not kept in a TPM. */
  NO_TPM,
  /**
   * The directory worker cannot prove it may do what a remediation needs of it (delete and restore
   * a shared app, read the Global Administrator check): a remediation would end BLOCKED.
   */
  DIRECTORY_PREREQUISITE_MISSING
}
