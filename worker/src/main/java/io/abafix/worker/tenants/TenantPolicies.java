package io.abafix.worker.tenants;

import io.abafix.workflows.incident.IncidentPolicy;
import io.abafix.workflows.incident.TenantPolicyActivities;

/**
 * The orchestrator's answer from its tenants file: the listed tenant's policy, else the standard.
 */
public final class TenantPolicies implements TenantPolicyActivities {
  private final TenantsFile tenants;

  public TenantPolicies(TenantsFile tenants) {
    this.tenants = tenants;
  }

  @Override
  public TenantPolicy policyFor(String tenant) {
    return tenants
        .find(tenant)
        .map(t -> new TenantPolicy(true, true, t.policy().incidentPolicy()))
        .orElseGet(() -> new TenantPolicy(true, false, IncidentPolicy.standard()));
  }
}
