package io.abafix.workflows.incident;

import io.abafix.workflows.model.Timings;
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
 */
public record IncidentConfig(
    String tenant,
    List<String> servers,
    String credentialReference,
    Map<String, String> moduleSources,
    IncidentPolicy policy,
    Timings timings) {

  public IncidentConfig {
    servers = servers == null ? List.of() : List.copyOf(servers);
    moduleSources = moduleSources == null ? Map.of() : Map.copyOf(moduleSources);
    policy = policy == null ? IncidentPolicy.standard() : policy;
    timings = timings == null ? Timings.standard() : timings;
  }

  public String moduleSourceFor(String server) {
    for (Map.Entry<String, String> e : moduleSources.entrySet()) {
      if (e.getKey().equalsIgnoreCase(server)) return e.getValue();
    }
    return "gallery";
  }
}
