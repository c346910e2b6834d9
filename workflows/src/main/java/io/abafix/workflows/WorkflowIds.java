package io.abafix.workflows;

import java.util.Locale;

/** Workflow ids: one remediation per tenant at a time, so the id is derived from the tenant. */
public final class WorkflowIds {
  private WorkflowIds() {}

  public static String remediation(String tenant) {
    return "abafix-remediation-" + tenant.toLowerCase(Locale.ROOT);
  }
}
