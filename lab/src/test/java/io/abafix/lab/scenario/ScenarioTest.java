package io.abafix.lab.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.lab.Lab;
import io.abafix.lab.LabSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ScenarioTest {

  static List<String> shipped() {
    return Scenario.SHIPPED;
  }

  @ParameterizedTest
  @MethodSource("shipped")
  void every_shipped_scenario_loads_and_gives_every_server_a_credential_reference(String name) {
    Lab lab = Lab.loadResource(name, () -> 0L);

    assertEquals(name, lab.scenario().name());
    assertFalse(lab.serverNames().isEmpty());
    for (Scenario.Server s : lab.scenario().servers()) {
      // no-credential-file leaves SERVERA's out on purpose: that is what its preflight proves.
      boolean withoutOnPurpose = name.equals("no-credential-file") && s.name().equals("SERVERA");
      assertEquals(withoutOnPurpose, s.credentialReferences().isEmpty(), s.name());
    }
  }

  @Test
  void the_cloned_pair_shares_one_machine_id_and_one_app_and_only_server_a_works() {
    LabSnapshot snapshot = Lab.loadResource("cloned-pair", () -> 0L).snapshot();

    LabSnapshot.Server a = snapshot.server("SERVERA");
    LabSnapshot.Server b = snapshot.server("SERVERB");
    assertEquals(a.machineId(), b.machineId());
    assertEquals(a.applicationId(), b.applicationId());
    assertTrue(a.authenticates());
    assertFalse(b.authenticates());
  }

  @Test
  void the_three_server_fleet_has_one_working_server_and_a_clone() {
    Lab lab = Lab.loadResource("three-server-fleet", () -> 0L);
    LabSnapshot snapshot = lab.snapshot();

    assertEquals(
        List.of(true, false, false),
        snapshot.servers().stream().map(LabSnapshot.Server::authenticates).toList());
    assertEquals(1, snapshot.applications().size());
    assertEquals(snapshot.server("SERVERA").machineId(), snapshot.server("SERVERC").machineId());
    for (String broken : List.of("SERVERB", "SERVERC")) {
      List<EventLogEntry> events = lab.host(broken).readEvents(0, 10);
      assertEquals(906, events.get(0).eventId());
    }
  }

  @Test
  void the_healthy_fleet_has_distinct_apps_ids_and_accounts_all_working() {
    LabSnapshot snapshot = Lab.loadResource("healthy-fleet", () -> 0L).snapshot();

    assertTrue(snapshot.servers().stream().allMatch(LabSnapshot.Server::authenticates));
    assertTrue(
        snapshot.servers().stream().allMatch(s -> s.identityType() == IdentityType.Application));
    Set<String> appIds =
        snapshot.servers().stream()
            .map(LabSnapshot.Server::applicationId)
            .collect(Collectors.toSet());
    assertEquals(2, appIds.size());
  }

  @Test
  void a_scenario_loads_from_a_file(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mine.json");
    Files.writeString(file, minimal(""));

    Lab lab = Lab.loadFile(file, () -> 0L);

    assertEquals(List.of("SERVERX"), lab.serverNames());
    assertEquals(IdentityType.ServiceAccount, lab.host("SERVERX").inspect().identityType());
    assertTrue(lab.host("SERVERX").testConnectorAuthentication().authenticated());
  }

  @Test
  void the_example_in_scenarios_md_loads() throws Exception {
    String doc = Files.readString(Path.of("SCENARIOS.md"));
    int start = doc.indexOf("```json") + "```json".length();
    String json = doc.substring(start, doc.indexOf("```", start));

    Scenario scenario = Scenario.fromJson(json, "SCENARIOS.md");

    assertEquals("mine", scenario.name());
    assertEquals(2, scenario.faults().size());
  }

  @Test
  void duplicate_server_names_are_refused() {
    String json =
        minimal("")
            .replace(
                "\"servers\": [",
                "\"servers\": [ {\"name\": \"serverx\", \"machineId\":"
                    + " \"00000000000000000000000000000001\", \"identity\": {\"type\":"
                    + " \"ServiceAccount\", \"account\": \"svc\"}},");

    assertRefused(json, "servers[1] (SERVERX): server name is used twice");
  }

  @Test
  void a_machine_id_that_is_not_32_hex_characters_is_refused() {
    assertRefused(
        minimal("").replace("0123456789abcdef0123456789abcdef", "0123456789abcdef"),
        "servers[0] (SERVERX).machineId must be 32 hex characters");
  }

  @Test
  void an_unknown_field_is_refused_naming_it() {
    assertRefused(
        minimal("").replace("\"version\"", "\"verison\""), "servers[0]: unknown field 'verison'");
  }

  @Test
  void a_server_name_that_is_not_a_netbios_name_is_refused() {
    assertRefused(
        minimal("").replace("\"SERVERX\"", "\"SERVER_X.contoso.com\""),
        "servers[0].name 'SERVER_X.contoso.com' is not a NetBIOS computer name");
    assertRefused(
        minimal("").replace("\"SERVERX\"", "\"SIXTEENCHARSLONG\""),
        "is not a NetBIOS computer name");
  }

  @Test
  void an_unknown_identity_type_is_refused() {
    assertRefused(
        minimal("").replace("\"ServiceAccount\"", "\"ManagedIdentity\""),
        "servers[0] (SERVERX).identity.type: unknown identity type 'ManagedIdentity'");
  }

  @Test
  void a_fault_naming_an_unknown_server_is_refused() {
    assertRefused(
        minimal(
            ", \"faults\": [{\"step\": \"revertToServiceAccount\", \"server\": \"SERVERY\","
                + " \"kind\": \"TRANSIENT\", \"times\": 1}]"),
        "faults[0].server 'SERVERY' names no server in this scenario");
  }

  @Test
  void a_fault_on_an_unknown_step_is_refused() {
    assertRefused(
        minimal(
            ", \"faults\": [{\"step\": \"reboot\", \"server\": \"SERVERX\", \"kind\": \"CRASH\"}]"),
        "faults[0].step 'reboot' is not a server step");
  }

  @Test
  void an_http_fault_without_retry_after_is_refused() {
    assertRefused(
        minimal(
            ", \"faults\": [{\"step\": \"listApplications\", \"kind\": \"HTTP\", \"httpStatus\":"
                + " 429}]"),
        "faults[0]: HTTP fault on listApplications needs httpStatus and retryAfterSeconds");
  }

  @Test
  void an_application_identity_naming_an_unknown_app_is_refused() {
    String json =
        minimal("")
            .replace(
                "{\"type\": \"ServiceAccount\", \"account\": \"svc\"}",
                "{\"type\": \"Application\", \"appId\": \"00000000-0000-4000-8000-000000000000\","
                    + " \"certificate\": \"E1475F4D5BCA1E7596CFF6A623347533ADF66165\"}");

    assertRefused(
        json, "identity.appId '00000000-0000-4000-8000-000000000000' names no application");
  }

  @Test
  void malformed_json_is_refused_with_one_line() {
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> Scenario.fromJson("{\"name\": ", "broken"));
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
    assertTrue(e.getMessage().startsWith("scenario broken: "), e.getMessage());
  }

  @Test
  void an_unknown_resource_names_the_shipped_ones() {
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> Scenario.fromResource("nope"));
    assertTrue(e.getMessage().contains("seed-pair"), e.getMessage());
  }

  private static void assertRefused(String json, String expected) {
    ScenarioException e =
        assertThrows(ScenarioException.class, () -> Scenario.fromJson(json, "test"));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
    assertFalse(e.getMessage().contains("\n"), e.getMessage());
  }

  private static String minimal(String extra) {
    return "{\"name\": \"mine\", \"tenant\": {\"domain\": \"contoso.onmicrosoft.com\"},"
        + " \"servers\": [{\"name\": \"SERVERX\", \"machineId\":"
        + " \"0123456789abcdef0123456789abcdef\", \"version\": \"2.5.79.0\","
        + " \"identity\": {\"type\": \"ServiceAccount\", \"account\": \"svc\"}}]"
        + extra
        + "}";
  }
}
