package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.lab.Lab;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two tenants whose servers have the same names (SERVERA, SERVERB), remediated at the same time on
 * one namespace by one orchestrator and one directory deployment ({@link MultiTenantDemo}): each
 * tenant's lab records every call with the tenant of the step it came for.
 */
class MultiTenantIsolationTest {
  static final String CONTOSO = "contoso.onmicrosoft.com";
  static final String FABRIKAM = "fabrikam.onmicrosoft.com";

  @Test
  void two_tenants_with_the_same_server_names_each_see_only_their_own_steps_and_both_succeed()
      throws IOException {
    Lab contoso = lab("seed-pair", null);
    Lab fabrikam = lab("fabrikam-pair", null);
    LabSnapshot contosoBefore = contoso.snapshot();
    LabSnapshot fabrikamBefore = fabrikam.snapshot();

    MultiTenantDemo.Result result =
        MultiTenantDemo.runLabs(List.of(contoso, fabrikam), MultiTenantDemo.Options.quiet());

    MultiTenantDemo.TenantSummary c = result.tenants().get(0);
    MultiTenantDemo.TenantSummary f = result.tenants().get(1);
    assertEquals(CONTOSO, c.tenant());
    assertEquals(FABRIKAM, f.tenant());
    onlyOwnSteps(c);
    onlyOwnSteps(f);
    assertEquals(Outcome.SUCCEEDED, c.outcome(), c.message());
    assertEquals(Outcome.SUCCEEDED, f.outcome(), f.message());
    fixed(contosoBefore, c.end());
    fixed(fabrikamBefore, f.end());
    // Each tenant's servers went through the whole remediation, in its own lab.
    for (MultiTenantDemo.TenantSummary t : List.of(c, f)) {
      Set<String> reverted =
          t.calls().stream()
              .filter(call -> call.operation().equals("revertToServiceAccount"))
              .map(Lab.Call::target)
              .collect(Collectors.toSet());
      assertEquals(Set.of("SERVERA", "SERVERB"), reverted, t.tenant());
    }
  }

  @Test
  void a_permanent_failure_in_one_tenant_leaves_the_other_tenants_run_untouched()
      throws IOException {
    Lab contoso = lab("seed-pair", null);
    Lab fabrikam =
        lab(
            "fabrikam-pair",
            "{ \"step\": \"revertToServiceAccount\", \"server\": \"SERVERB\", \"kind\":"
                + " \"PERMANENT\", \"times\": 1 }");
    LabSnapshot contosoBefore = contoso.snapshot();

    MultiTenantDemo.Result result =
        MultiTenantDemo.runLabs(List.of(contoso, fabrikam), MultiTenantDemo.Options.quiet());

    MultiTenantDemo.TenantSummary c = result.tenants().get(0);
    MultiTenantDemo.TenantSummary f = result.tenants().get(1);
    assertNotEquals(Outcome.SUCCEEDED, f.outcome(), "fabrikam's revert failed for good");
    assertTrue(
        f.audit().stream().anyMatch(e -> "COMPENSATED".equals(e.outcome())),
        "fabrikam compensated: "
            + f.audit().stream().map(e -> e.step() + ":" + e.outcome()).toList());
    assertEquals(Outcome.SUCCEEDED, c.outcome(), c.message());
    assertFalse(
        c.audit().stream()
            .map(AuditEntry::outcome)
            .anyMatch(o -> Set.of("COMPENSATED", "FAILED", "LEFT_PAUSED").contains(o)),
        "contoso's run neither failed nor compensated anything");
    onlyOwnSteps(c);
    onlyOwnSteps(f);
    fixed(contosoBefore, c.end());
  }

  /** Every call the tenant's lab received came for that tenant's steps. */
  private static void onlyOwnSteps(MultiTenantDemo.TenantSummary t) {
    assertFalse(t.calls().isEmpty(), t.tenant() + "'s lab received no call at all");
    List<Lab.Call> foreign =
        t.calls().stream().filter(call -> !t.tenant().equals(call.tenant())).toList();
    assertEquals(List.of(), foreign, t.tenant() + "'s lab received another tenant's steps");
  }

  /** Every server on an app of its own, none of the apps it shared before, scheduler on. */
  private static void fixed(LabSnapshot before, LabSnapshot after) {
    Set<String> sharedBefore =
        before.servers().stream()
            .map(LabSnapshot.Server::applicationId)
            .collect(Collectors.toSet());
    Set<String> apps =
        after.servers().stream().map(LabSnapshot.Server::applicationId).collect(Collectors.toSet());
    assertEquals(after.servers().size(), apps.size(), "app ids distinct: " + after);
    for (LabSnapshot.Server s : after.servers()) {
      assertEquals("Application", String.valueOf(s.identityType()), s.name());
      assertFalse(sharedBefore.contains(s.applicationId()), s.name() + " left the shared app");
      assertTrue(s.syncCycleEnabled(), s.name());
    }
  }

  /** A shipped scenario without step latencies, propagating in a second, with one fault. */
  private static Lab lab(String name, String fault) throws IOException {
    String json;
    try (InputStream in =
        Scenario.class.getClassLoader().getResourceAsStream("scenarios/" + name + ".json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    json = json.replace("\"propagationDelaySeconds\": 3", "\"propagationDelaySeconds\": 1");
    if (fault != null) json = json.replace("\"faults\": []", "\"faults\": [" + fault + "]");
    return Lab.fromScenario(
        Scenario.fromJson(json, name).withoutLatency(), System::currentTimeMillis);
  }
}
