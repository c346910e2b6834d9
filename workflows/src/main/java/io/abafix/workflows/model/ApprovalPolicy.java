package io.abafix.workflows.model;

/**
 * Who must approve destructive steps, and how long the run waits.
 *
 * @param required when false, destructive steps run without waiting (recorded as approved by
 *     policy); only for the lab and unattended policies a tenant chose
 * @param twoPerson when true, the person who started the run cannot approve it
 * @param timeoutSeconds an approval that does not come within this time ends the run through
 *     compensation
 */
public record ApprovalPolicy(boolean required, boolean twoPerson, long timeoutSeconds) {
  public static ApprovalPolicy standard() {
    return new ApprovalPolicy(true, false, 24 * 3600);
  }
}
