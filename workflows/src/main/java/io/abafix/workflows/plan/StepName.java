package io.abafix.workflows.plan;

/** Every step the shared-app remediation knows, with the line an operator reads. */
public enum StepName {
  PREFLIGHT("inspect servers and app registrations; change nothing"),
  PAUSE_SCHEDULER("Set-ADSyncScheduler -SyncCycleEnabled $false"),
  WAIT_FOR_SYNC_CYCLE("wait until no sync cycle is running"),
  REVERT_TO_SERVICE_ACCOUNT("Add-ADSyncAADServiceAccount -Name Sync_<server>_<id12>"),
  VERIFY_SERVICE_ACCOUNT("ConnectorIdentityType is ServiceAccount and the account signs in"),
  RECORD_MACHINE_ID("note SyncMachineIdentifier"),
  ROTATE_CERTIFICATE("rotate the application certificate so this server signs in again"),
  COMPARE_MACHINE_IDS("compare SyncMachineIdentifier with every other server"),
  REGENERATE_MACHINE_ID("stop ADSync, set a new SyncMachineIdentifier, start ADSync"),
  DELETE_APPLICATIONS("soft-delete the shared ConnectSyncProvisioning_* app registrations"),
  CONFIGURE_ABA("configure application-based authentication with a new app of this server's own"),
  VERIFY_APPLICATION("ConnectorIdentityType is Application with a new app, and it signs in"),
  RESUME_SCHEDULER("Set-ADSyncScheduler -SyncCycleEnabled $true"),
  FINAL_VERIFICATION("every server on its own app, distinct machine ids, no new AADSTS700027");

  private final String summary;

  StepName(String summary) {
    this.summary = summary;
  }

  public String summary() {
    return summary;
  }
}
