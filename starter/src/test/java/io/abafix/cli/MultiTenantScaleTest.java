package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.cli.bench.Fleets;
import io.abafix.lab.Lab;
import io.abafix.workflows.model.Outcome;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * One deployment, many two-server tenants at once: {@code -Dabafix.scale=500} generates tenants
 * tenant-0001 ... from seed-pair (same server names everywhere) and runs them all through {@link
 * MultiTenantDemo}. Not part of the default suite: a one-off check of scale, whose wall time is
 * printed for the benchmark's file.
 */
@Tag("scale")
@EnabledIfSystemProperty(named = "abafix.scale", matches = "[0-9]+")
class MultiTenantScaleTest {

  @Test
  void every_generated_tenant_succeeds_and_its_lab_sees_only_its_own_steps() throws Exception {
    int n = Integer.parseInt(System.getProperty("abafix.scale"));
    List<Lab> labs = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      labs.add(Lab.fromScenario(Fleets.tenantPair(i), System::currentTimeMillis));
    }
    MultiTenantDemo.Result result =
        MultiTenantDemo.runLabs(
            labs,
            MultiTenantDemo.Options.quiet()
                .withApprovalPoll(java.time.Duration.ofMillis(Math.max(200, n * 4L))));
    long succeeded =
        result.tenants().stream().filter(t -> t.outcome() == Outcome.SUCCEEDED).count();
    System.out.println(
        "abafix scale: "
            + n
            + " two-server tenants, "
            + succeeded
            + " SUCCEEDED, wall time "
            + result.wallTime().toMillis()
            + " ms; slowest tenant "
            + result.tenants().stream().mapToLong(t -> t.took().toMillis()).max().orElse(0)
            + " ms");
    result.tenants().stream()
        .filter(t -> t.outcome() != Outcome.SUCCEEDED)
        .forEach(
            t ->
                System.out.println(
                    "abafix scale: " + t.tenant() + " " + t.outcome() + ": " + t.message()));
    assertEquals(n, succeeded, "every tenant succeeded");
    for (MultiTenantDemo.TenantSummary t : result.tenants()) {
      assertTrue(
          t.calls().stream().allMatch(c -> t.tenant().equals(c.tenant())),
          t.tenant() + "'s lab saw another tenant's step");
    }
  }
}
