package io.abafix.cli.bench;

/**
 * One deployment remediating many two-server tenants at once: what the fleet benchmark drives. Each
 * call starts a fresh Temporal server and deployment, starts every remediation at once, and returns
 * when the last has finished.
 */
interface TenantFleet {
  /**
   * What one concurrent run of {@code tenants} remediations measured.
   *
   * @param cpuMillis CPU time this process (server, deployment and lab) spent meanwhile
   * @param labsMillis making the tenants' labs (their keys, mostly), before anything starts
   * @param deploymentMillis the rest outside {@code wallMillis}: starting and closing the server
   *     and the deployment, and reading the runs' histories
   */
  record Run(
      int tenants,
      long wallMillis,
      long cpuMillis,
      int activities,
      Stats eventsPerRun,
      Stats runMillis,
      long labsMillis,
      long deploymentMillis) {}

  /** How the fleet is deployed, for the report. */
  String describe();

  Run run(int tenants);
}
