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
  SERVER_UNREACHABLE
}
