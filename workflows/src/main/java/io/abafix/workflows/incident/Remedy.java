package io.abafix.workflows.incident;

/** The workflow that fixes a finding, if abafix has one. */
public enum Remedy {
  /** {@code SharedAppRemediationWorkflow}: each server gets its own app registration. */
  SHARED_APP_REMEDIATION,
  /** {@code ConnectorParameterRepairWorkflow}: restores blank ABA parameters on one server. */
  CONNECTOR_PARAMETER_REPAIR,
  /** No workflow: the finding says what a person should do. */
  NONE
}
