package io.abafix.cli;

import io.abafix.lab.Lab;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.Timings;

/** The remediation the end-to-end tests start on a lab: every server, approvals required. */
final class LabRequests {
  static final String CREDENTIAL = "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";

  private LabRequests() {}

  /** Every server of the lab, requested by alice, with short bounds for a lab that answers fast. */
  static RemediationRequest remediation(Lab lab) {
    return new RemediationRequest(
        lab.tenantDomain(),
        lab.serverNames(),
        CREDENTIAL,
        null,
        false,
        new ApprovalPolicy(true, false, 600),
        new Timings(60, 1, 60, 30),
        "alice");
  }
}
