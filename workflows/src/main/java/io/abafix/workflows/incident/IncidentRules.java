package io.abafix.workflows.incident;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import java.util.Map;
import java.util.function.Function;

/**
 * The orchestrator's configuration of each tenant's incident rules, asked by the incident workflow
 * as a local activity when a run begins: whatever the signal that started it carried is not trusted
 * for them.
 */
@ActivityInterface
public interface IncidentRules {
  @ActivityMethod(name = "TenantIncidentRules")
  TenantRules rulesFor(String tenant);

  /** Every tenant's proposals wait for a person: the default of an orchestrator. */
  static IncidentRules attended() {
    return of(tenant -> TenantRules.attended());
  }

  /** Per tenant (by domain, case-insensitive); a tenant not listed is attended. */
  static IncidentRules of(Map<String, TenantRules> byTenant) {
    Map<String, TenantRules> copy = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    copy.putAll(byTenant);
    return of(tenant -> copy.getOrDefault(tenant, TenantRules.attended()));
  }

  static IncidentRules of(Function<String, TenantRules> rules) {
    return new Configured(rules);
  }

  /** The rules a function gives. */
  final class Configured implements IncidentRules {
    private final Function<String, TenantRules> rules;

    private Configured(Function<String, TenantRules> rules) {
      this.rules = rules;
    }

    @Override
    public TenantRules rulesFor(String tenant) {
      TenantRules r = rules.apply(tenant);
      return r == null ? TenantRules.attended() : r;
    }
  }
}
