package io.abafix.workflows.incident;

import java.util.List;

/**
 * One workflow the incident proposes to start.
 *
 * @param workflowId the id it will run under (one remediation per tenant, one repair per server)
 * @param servers the servers it acts on
 * @param plan its steps, one readable line each
 */
public record ProposedRun(
    Remedy remedy, String workflowId, List<String> servers, List<String> plan) {
  public ProposedRun {
    servers = List.copyOf(servers);
    plan = List.copyOf(plan);
  }
}
