package io.abafix.workflows.incident;

import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.Sorted;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.plan.StepName;
import java.util.List;
import java.util.Map;

/**
 * How the tenant's incident workflow runs: passed by every watcher's signal-with-start, used by the
 * run that the first report starts (later reports only signal).
 *
 * @param servers the tenant's Entra Connect servers; a reporting server not listed is added
 * @param credentialReference where each server finds the Hybrid Identity Administrator credential
 *     for a remediation's revert (a reference, never the secret)
 * @param moduleSources per server: where a repair takes ADSyncTools from, {@code gallery} (the
 *     default) or a pre-staged folder on that server
 * @param timings bounds for the workflows the incident starts
 * @param operatorSteps the steps a person does in a remediation the incident starts; null means the
 *     same default as {@code abafix remediate} ({@link
 *     RemediationRequest#DOCUMENTED_OPERATOR_STEPS}), empty means none
 * @param carried reports a previous run of this incident received but did not act on, handed over
 *     when it continued as new; empty for the first run
 */
public record IncidentConfig(
    String tenant,
    List<String> servers,
    String credentialReference,
    Map<String, String> moduleSources,
    IncidentPolicy policy,
    Timings timings,
    List<StepName> operatorSteps,
    List<IncidentReport> carried) {

  public IncidentConfig {
    servers = servers == null ? List.of() : List.copyOf(servers);
    moduleSources = moduleSources == null ? Map.of() : Sorted.map(moduleSources);
    policy = policy == null ? IncidentPolicy.standard() : policy;
    timings = timings == null ? Timings.standard() : timings;
    operatorSteps =
        operatorSteps == null
            ? RemediationRequest.DOCUMENTED_OPERATOR_STEPS
            : List.copyOf(operatorSteps);
    carried = carried == null ? List.of() : List.copyOf(carried);
  }

  /** The documented operator steps; nothing carried. */
  public IncidentConfig(
      String tenant,
      List<String> servers,
      String credentialReference,
      Map<String, String> moduleSources,
      IncidentPolicy policy,
      Timings timings) {
    this(tenant, servers, credentialReference, moduleSources, policy, timings, null, null);
  }

  /** The same configuration under another policy. */
  public IncidentConfig withPolicy(IncidentPolicy policy) {
    return new IncidentConfig(
        tenant,
        servers,
        credentialReference,
        moduleSources,
        policy,
        timings,
        operatorSteps,
        carried);
  }

  /** The same configuration, for the next run of the incident, carrying these reports. */
  public IncidentConfig carrying(List<IncidentReport> reports) {
    return new IncidentConfig(
        tenant,
        servers,
        credentialReference,
        moduleSources,
        policy,
        timings,
        operatorSteps,
        reports);
  }

  public String moduleSourceFor(String server) {
    for (Map.Entry<String, String> e : moduleSources.entrySet()) {
      if (e.getKey().equalsIgnoreCase(server)) return e.getValue();
    }
    return "gallery";
  }
}
