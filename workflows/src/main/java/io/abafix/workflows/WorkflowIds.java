package io.abafix.workflows;

import java.util.Locale;

/** Workflow ids: one remediation per tenant at a time, so the id is derived from the tenant. */
public final class WorkflowIds {
  private WorkflowIds() {}

  public static String remediation(String tenant) {
    return "abafix-remediation-" + tenant.toLowerCase(Locale.ROOT);
  }

  /** The connector-parameter repair of one server: one at a time per server. */
  public static String repair(String tenant, String server) {
    return "abafix-repair-"
        + tenant.toLowerCase(Locale.ROOT)
        + "-"
        + server.toLowerCase(Locale.ROOT);
  }

  /** The tenant's incident: every watcher signals this one id, so reports gather in one run. */
  public static String incident(String tenant) {
    return "abafix-incident-" + tenant.toLowerCase(Locale.ROOT);
  }

  /** Whether a run id names a tenant's incident rather than a remediation or repair. */
  public static boolean isIncident(String id) {
    return id.startsWith("abafix-incident-");
  }

  /** Whether a run id names a shared-app remediation (the only workflow with a plan query). */
  public static boolean isRemediation(String id) {
    return id.startsWith("abafix-remediation-");
  }

  /** A capture of the fleet for a rehearsal; several may run at once, as diagnoses do. */
  public static String capture(String tenant, String suffix) {
    return "abafix-capture-" + tenant.toLowerCase(Locale.ROOT) + "-" + suffix;
  }

  /** An on-demand diagnosis; several may run at once, so the id ends in a unique suffix. */
  public static String diagnosis(String tenant, String suffix) {
    return "abafix-diagnose-" + tenant.toLowerCase(Locale.ROOT) + "-" + suffix;
  }
}
