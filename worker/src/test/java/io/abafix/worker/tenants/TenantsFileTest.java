package io.abafix.worker.tenants;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.graph.GraphCloud;
import io.abafix.workflows.incident.IncidentRules;
import io.abafix.workflows.incident.Remedy;
import io.abafix.workflows.incident.TenantRules;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TenantsFileTest {
  static final String TWO_TENANTS =
      """
      {
        "tenants": [
          {
            "id": "contoso.onmicrosoft.com",
            "displayName": "Contoso",
            "graph": { "clientId": "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
                       "certificate": "/etc/abafix/contoso.pfx",
                       "pfxPasswordEnv": "CONTOSO_PFX_PASSWORD" },
            "policy": { "unattended": ["CONNECTOR_PARAMETER_REPAIR"],
                        "approvers": { "appRole": "Abafix.Approver" },
                        "twoPerson": true },
            "limits": { "graphRequestsPerSecond": 2, "maxConcurrentSteps": 2 }
          },
          {
            "id": "72F988BF-86F1-41AF-91AB-2D7CD011DB47",
            "displayName": "Fabrikam (US Government)",
            "cloud": "US_GOV",
            "graph": { "clientId": "0b5c3a1e-2d4f-4a6b-8c9d-0e1f2a3b4c5d",
                       "certificate": "/etc/abafix/fabrikam.pem" }
          }
        ]
      }
      """;

  @Test
  void reads_each_tenant_with_its_defaults() {
    TenantsFile file = TenantsFile.parse(TWO_TENANTS, "tenants.json");

    Tenant contoso = file.find("CONTOSO.onmicrosoft.com").orElseThrow();
    assertEquals(GraphCloud.GLOBAL, contoso.cloud());
    assertEquals(Set.of(Remedy.CONNECTOR_PARAMETER_REPAIR), contoso.policy().unattended());
    assertEquals("Abafix.Approver", contoso.policy().approvers().appRole());
    assertTrue(contoso.policy().incidentRules().twoPerson());
    assertEquals(2, contoso.limits().maxConcurrentSteps());

    Tenant fabrikam = file.find("72f988bf-86f1-41af-91ab-2d7cd011db47").orElseThrow();
    assertEquals("72f988bf-86f1-41af-91ab-2d7cd011db47", fabrikam.key());
    assertEquals(GraphCloud.US_GOV, fabrikam.cloud());
    assertEquals(Set.of(), fabrikam.policy().unattended());
    assertEquals(
        Tenant.Limits.DEFAULT_MAX_CONCURRENT_STEPS, fabrikam.limits().maxConcurrentSteps());
  }

  @Test
  void the_orchestrator_answers_each_tenant_from_the_file_and_attended_for_others() {
    IncidentRules rules = TenantsFile.parse(TWO_TENANTS, "tenants.json").incidentRules();

    TenantRules contoso = rules.rulesFor("Contoso.onmicrosoft.com");
    assertEquals(Set.of(Remedy.CONNECTOR_PARAMETER_REPAIR), contoso.unattended());
    assertTrue(contoso.twoPerson());

    TenantRules other = rules.rulesFor("northwind.onmicrosoft.com");
    assertEquals(TenantRules.attended(), other);
  }

  @Test
  void a_tenant_is_found_and_named_by_its_id_whichever_of_its_names_is_typed() {
    TenantsFile file =
        TenantsFile.parse(
            TWO_TENANTS.replace(
                "\"displayName\": \"Contoso\",",
                "\"displayName\": \"Contoso\", \"aliases\": [\"0C9B8A7D-6E5F-4A3B-9C2D-1E0F9A8B7C6D\"],"),
            "tenants.json");

    assertEquals("contoso.onmicrosoft.com", file.canonical("Contoso.onmicrosoft.com"));
    assertEquals("contoso.onmicrosoft.com", file.canonical("0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"));
    assertEquals(
        "72F988BF-86F1-41AF-91AB-2D7CD011DB47",
        file.canonical("72f988bf-86f1-41af-91ab-2d7cd011db47"));
    // The orchestrator gives the tenant its rules by either name.
    assertTrue(file.incidentRules().rulesFor("0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d").twoPerson());

    var e = assertThrows(IllegalArgumentException.class, () -> file.canonical("northwind.com"));
    assertEquals(
        "tenant northwind.com is not in the tenants file, which lists contoso.onmicrosoft.com"
            + " (also 0C9B8A7D-6E5F-4A3B-9C2D-1E0F9A8B7C6D), 72F988BF-86F1-41AF-91AB-2D7CD011DB47",
        e.getMessage());
  }

  @Test
  void an_alias_that_names_another_tenant_is_refused() {
    String json =
        TWO_TENANTS.replace(
            "\"displayName\": \"Contoso\",",
            "\"displayName\": \"Contoso\", \"aliases\": [\"72f988bf-86f1-41af-91ab-2d7cd011db47\"],");
    var e = refused(json);
    assertTrue(
        e.getMessage()
            .contains(
                "tenants[0].aliases[0]: 72f988bf-86f1-41af-91ab-2d7cd011db47 already names tenant"
                    + " 72F988BF-86F1-41AF-91AB-2D7CD011DB47"),
        e.getMessage());
  }

  @Test
  void an_unknown_field_is_refused_with_its_place_and_line() {
    String json = TWO_TENANTS.replace("\"twoPerson\": true", "\"twoPersons\": true");
    var e = refused(json);
    assertEquals(
        "tenants file tenants.json: tenants[0].policy: unknown field 'twoPersons' (line 11)",
        e.getMessage());
  }

  @Test
  void a_bad_value_names_its_field_and_line() {
    var e = refused(TWO_TENANTS.replace("6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b", "contoso-app"));
    assertTrue(
        e.getMessage().startsWith("tenants file tenants.json: tenants[0].graph: "), e.getMessage());
    assertTrue(e.getMessage().contains("clientId contoso-app is not a GUID"), e.getMessage());
    assertTrue(e.getMessage().contains("(line 8)"), e.getMessage());

    var cloud = refused(TWO_TENANTS.replace("US_GOV", "MARS"));
    assertTrue(cloud.getMessage().contains("tenants[1].cloud"), cloud.getMessage());
    assertTrue(cloud.getMessage().contains("MARS"), cloud.getMessage());
    assertTrue(cloud.getMessage().contains("(line "), cloud.getMessage());

    var limit =
        refused(TWO_TENANTS.replace("\"maxConcurrentSteps\": 2", "\"maxConcurrentSteps\": 0"));
    assertTrue(
        limit.getMessage().contains("tenants[0].limits: maxConcurrentSteps must be 1 to 200"),
        limit.getMessage());
  }

  @Test
  void a_tenant_twice_a_duplicate_key_and_no_tenant_are_refused() {
    String twice =
        TWO_TENANTS.replace("72F988BF-86F1-41AF-91AB-2D7CD011DB47", "Contoso.onmicrosoft.com");
    assertTrue(
        refused(twice)
            .getMessage()
            .contains("tenants[1].id: tenant Contoso.onmicrosoft.com is listed twice"),
        refused(twice).getMessage());
    String duplicate =
        TWO_TENANTS.replace(
            "\"cloud\": \"US_GOV\",", "\"cloud\": \"US_GOV\", \"cloud\": \"CHINA\",");
    assertTrue(
        refused(duplicate).getMessage().contains("Duplicate field 'cloud'"),
        refused(duplicate).getMessage());
    assertTrue(refused("{\"tenants\": []}").getMessage().contains("the file lists no tenant"));
    assertTrue(
        refused(TWO_TENANTS.replace("contoso.onmicrosoft.com", "contoso tenant"))
            .getMessage()
            .contains("tenants[0]"));
  }

  private static TenantsFile.TenantsFileException refused(String json) {
    return assertThrows(
        TenantsFile.TenantsFileException.class, () -> TenantsFile.parse(json, "tenants.json"));
  }

  @Test
  void a_tenants_approvers_fill_in_from_the_workers_own_trust_where_the_file_is_silent() {
    ApprovalTrust worker =
        new ApprovalTrust(
            "8d2e1c4a-5b6f-4a70-9c8d-1e2f3a4b5c6d",
            "3b7f0c1e-9d2a-4c5b-8e6f-a1b2c3d4e5f6",
            null,
            false);
    Tenant contoso = TenantsFile.parse(TWO_TENANTS, "tenants.json").tenants().get(0);
    ApprovalTrust trust = contoso.policy().approvers().over(worker, contoso.policy().twoPerson());
    assertEquals(worker.tenantId(), trust.tenantId());
    assertEquals("Abafix.Approver", trust.approverRole());
    assertTrue(trust.twoPerson(), "the tenant's two-person rule");

    Tenant.Approvers own =
        new Tenant.Approvers(
            "0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d",
            null,
            "Contoso.Tier0",
            "5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c");
    ApprovalTrust mine = own.over(worker, false);
    assertEquals("0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d", mine.tenantId());
    assertEquals(worker.clientId(), mine.clientId());
    assertEquals("Contoso.Tier0", mine.approverRole());
    assertEquals("5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c", mine.approverGroup());
    assertThrows(IllegalArgumentException.class, () -> own.over(null, false), "no app to trust");
  }

  @Test
  void an_approvers_group_by_display_name_is_refused() {
    var e =
        refused(
            TWO_TENANTS.replace(
                "\"appRole\": \"Abafix.Approver\"",
                "\"appRole\": \"Abafix.Approver\", \"group\": \"Tier 0 admins\""));
    assertTrue(e.getMessage().contains("group takes the group's object id"), e.getMessage());
  }
}
