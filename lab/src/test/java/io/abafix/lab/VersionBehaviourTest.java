package io.abafix.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.lab.scenario.Scenario;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The simulated servers behave as their Entra Connect version says (see ConnectVersions). */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class VersionBehaviourTest {
  private static final String CREDENTIAL =
      "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";

  private static Lab at(String scenario, String version) throws IOException {
    String json;
    try (InputStream in =
        VersionBehaviourTest.class
            .getClassLoader()
            .getResourceAsStream("scenarios/" + scenario + ".json")) {
      json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String changed =
        json.replaceAll("\"version\": \"[0-9.]+\"", "\"version\": \"" + version + "\"");
    return Lab.fromScenario(
        Scenario.fromJson(changed, scenario + "@" + version).withoutLatency(), () -> 0L);
  }

  @Test
  void saving_the_connector_clears_the_aba_parameters_before_2_6_1_0_only() throws IOException {
    Lab old = at("blank-parameters", "2.6.0.0");
    assertTrue(old.saveConnectorInSyncServiceManager("SERVERB"));
    assertFalse(old.host("SERVERB").inspect().abaParameters().complete());

    Lab fixed = at("blank-parameters", "2.6.1.0");
    assertFalse(fixed.saveConnectorInSyncServiceManager("SERVERB"));
    assertTrue(fixed.host("SERVERB").inspect().abaParameters().complete());
  }

  @Test
  void from_2_6_84_0_a_server_on_a_service_account_is_not_switched_by_itself() throws IOException {
    for (String version : List.of("2.6.83.0", "2.6.84.0")) {
      Lab lab = at("seed-pair", version);
      lab.host("SERVERA").revertToServiceAccount("svc-aadsync@contoso.onmicrosoft.com", CREDENTIAL);
      if (version.equals("2.6.83.0")) {
        lab.autoOnboard("SERVERA");
        assertEquals(
            io.abafix.activities.model.IdentityType.Application,
            lab.host("SERVERA").inspect().identityType());
      } else {
        IllegalStateException e =
            assertThrows(IllegalStateException.class, () -> lab.autoOnboard("SERVERA"));
        assertTrue(e.getMessage().contains("2.6.84.0"), e.getMessage());
      }
    }
  }
}
