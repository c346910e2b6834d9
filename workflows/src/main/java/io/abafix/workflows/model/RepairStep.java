package io.abafix.workflows.model;

/** The steps of the connector-parameter repair, with the line an operator reads. */
public enum RepairStep {
  PREFLIGHT(
      "read the Connect version, the identity, the ABA parameters and ADSyncTools; change nothing"),
  INSTALL_AD_SYNC_TOOLS("make ADSyncTools 2.3.0 or later available (Gallery or pre-staged folder)"),
  REPAIR_PARAMETERS("Import-Module ADSyncTools; Repair-ADSyncToolsEntraAppParameters"),
  VERIFY_PARAMETERS("ApplicationManagedBy, CertificateManagedBy and CertificateId are present");

  private final String summary;

  RepairStep(String summary) {
    this.summary = summary;
  }

  public String summary() {
    return summary;
  }
}
