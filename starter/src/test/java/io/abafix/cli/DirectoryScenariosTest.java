package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped scenarios where Microsoft Graph behaves as documented rather than as abafix would
 * like, each through {@code abafix demo --scenario NAME --json} as a user runs it.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DirectoryScenariosTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @Timeout(120)
  void not_owner_is_blocked_with_every_scheduler_enabled_and_names_the_app_and_the_fix(
      @TempDir Path dir) throws Exception {
    JsonNode summary = demo("not-owner", dir, ErrorHandler.RUN_FAILED);

    assertEquals("BLOCKED", summary.path("outcome").asText(), summary.toString());
    for (JsonNode s : summary.path("servers")) {
      assertTrue(s.path("syncCycleEnabled").asBoolean(), "not paused: " + s);
      assertEquals("Application", s.path("identityType").asText(), "identity unchanged: " + s);
    }
    String reason = summary.path("reason").asText();
    assertTrue(reason.contains("ConnectSyncProvisioning_SERVERA_3f1c9a2b7d4e"), reason);
    assertTrue(reason.contains("Fix: add the directory worker's service principal"), reason);
    assertEquals(1, summary.path("applications").size(), "nothing deleted: " + summary);
  }

  @Test
  @Timeout(120)
  void restore_service_principal_compensates_with_the_original_service_principal(@TempDir Path dir)
      throws Exception {
    JsonNode summary = demo("restore-service-principal", dir, ErrorHandler.RUN_FAILED);

    assertEquals("COMPENSATED", summary.path("outcome").asText(), summary.toString());
    JsonNode app = summary.path("applications").get(0);
    assertEquals("ConnectSyncProvisioning_SERVERA_3f1c9a2b7d4e", app.path("displayName").asText());
    assertEquals(
        "5d2f8a61-0c4e-4b7a-9e3d-2a6b1c8f7e40",
        app.path("servicePrincipalId").asText(),
        "the same service principal, restored: " + app);
    assertEquals(
        "ADSynchronization.ReadWrite.All",
        app.path("servicePrincipalRoles").get(0).asText(),
        "with its role: " + app);
    assertTrue(summary.path("reason").asText().contains("CONFIGURE_ABA@SERVERB"), summary + "");
  }

  @Test
  @Timeout(120)
  void replication_lag_succeeds(@TempDir Path dir) throws Exception {
    JsonNode summary = demo("replication-lag", dir, 0);
    assertEquals("SUCCEEDED", summary.path("outcome").asText(), summary.toString());
    assertEquals(2, summary.path("applications").size(), summary.toString());
  }

  @Test
  @Timeout(120)
  void pim_eligible_ga_names_the_eligible_connector_account(@TempDir Path dir) throws Exception {
    JsonNode summary = demo("pim-eligible-ga", dir, 0);
    assertEquals("SUCCEEDED", summary.path("outcome").asText(), summary.toString());
    boolean named = false;
    for (JsonNode f : summary.path("findings")) {
      named |=
          f.asText().contains("svc-legacy@contoso.onmicrosoft.com")
              && f.asText().contains("eligible assignment (Privileged Identity Management)");
    }
    assertTrue(named, "the finding names the account and how: " + summary.path("findings"));
  }

  private static JsonNode demo(String scenario, Path dir, int exitCode) throws Exception {
    CommandLineRun run =
        CommandLineRun.of(
            "demo",
            "--scenario",
            scenario,
            "--json",
            "--audit-out",
            dir.resolve("audit.jsonl").toString());
    assertEquals(exitCode, run.exitCode(), run.err());
    return JSON.readTree(run.out());
  }
}
