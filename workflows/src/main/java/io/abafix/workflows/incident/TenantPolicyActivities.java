package io.abafix.workflows.incident;

import io.temporal.activity.ActivityInterface;

/**
 * The orchestrator's tenants file, as the incident workflow asks it for a tenant's policy (a local
 * activity of the orchestrator, so the answer is recorded in the run's history once).
 */
@ActivityInterface
public interface TenantPolicyActivities {

  /**
   * The policy the orchestrator's configuration gives the tenant.
   *
   * @return {@code configured=false} when the orchestrator has no tenants file (the watchers'
   *     policy stands); otherwise the listed tenant's policy, or, for a tenant the file does not
   *     list, the standard one (nothing unattended)
   */
  TenantPolicy policyFor(String tenant);

  /** The orchestrator's answer when it reads no tenants file. */
  static TenantPolicyActivities unconfigured() {
    return new Unconfigured();
  }

  /** See {@link #unconfigured()}. */
  final class Unconfigured implements TenantPolicyActivities {
    @Override
    public TenantPolicy policyFor(String tenant) {
      return TenantPolicy.unconfigured();
    }
  }

  /**
   * @param configured whether the orchestrator reads a tenants file
   * @param listed whether the file lists the tenant
   * @param policy the policy to use when {@code configured}
   */
  record TenantPolicy(boolean configured, boolean listed, IncidentPolicy policy) {
    /** The orchestrator has no tenants file. */
    public static TenantPolicy unconfigured() {
      return new TenantPolicy(false, false, null);
    }
  }
}
