package io.abafix.workflows.model;

import io.abafix.activities.approval.RunStart;

/**
 * What the connector-parameter repair of one server is asked to do.
 *
 * @param tenant the tenant's domain, for the workflow id and the audit
 * @param server the Entra Connect server whose ABA parameters are blank
 * @param moduleSource where ADSyncTools 2.3.0+ comes from when it is missing or too old: {@code
 *     gallery} (the PowerShell Gallery) or the absolute path of a pre-staged module folder on the
 *     server, for servers without internet access
 * @param requestedBy who started the repair, for the audit
 */
public record RepairRequest(
    String tenant,
    String server,
    String moduleSource,
    Timings timings,
    String requestedBy,
    RunStart start) {

  /** The PowerShell Gallery as the module source. */
  public static final String GALLERY = "gallery";

  /** A request not yet given its start record. */
  public RepairRequest(
      String tenant, String server, String moduleSource, Timings timings, String requestedBy) {
    this(tenant, server, moduleSource, timings, requestedBy, null);
  }

  /** This request with its start record (see {@link RemediationRequest#startedAs}). */
  public RepairRequest startedAs(RunStart start) {
    return new RepairRequest(tenant, server, moduleSource, timings, requestedBy, start);
  }

  public RepairRequest {
    moduleSource = moduleSource == null || moduleSource.isBlank() ? GALLERY : moduleSource;
    timings = timings == null ? Timings.standard() : timings;
  }
}
