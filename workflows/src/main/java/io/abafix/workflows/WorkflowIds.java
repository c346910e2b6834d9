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

  private static final String[] PREFIXES = {
    "abafix-remediation-", "abafix-incident-", "abafix-repair-", "abafix-diagnose-"
  };

  private static final java.util.regex.Pattern GUID_PREFIX =
      java.util.regex.Pattern.compile(
          "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(-.*)?");

  /**
   * The tenant a run id names (lower case), or null. A repair's and a diagnosis's id put a suffix
   * after the tenant (a server name, a unique id): a tenant id is a GUID, and a domain's last label
   * has no hyphen, so the suffix starts after the GUID or at the first hyphen after the last dot.
   */
  public static String tenantOf(String id) {
    if (id == null) return null;
    for (String prefix : PREFIXES) {
      if (!id.startsWith(prefix)) continue;
      String rest = id.substring(prefix.length());
      if (prefix.equals(PREFIXES[0]) || prefix.equals(PREFIXES[1])) return rest;
      if (GUID_PREFIX.matcher(rest).matches()) return rest.substring(0, 36);
      int dot = rest.lastIndexOf('.');
      int dash = rest.indexOf('-', Math.max(dot, 0));
      return dash < 0 ? rest : rest.substring(0, dash);
    }
    return null;
  }
}
