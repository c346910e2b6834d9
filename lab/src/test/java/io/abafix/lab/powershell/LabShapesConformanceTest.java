package io.abafix.lab.powershell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.abafix.activities.powershell.PowerShellResult;
import io.abafix.activities.powershell.PowerShellScript;
import io.abafix.activities.powershell.PowerShellSyncServerHost;
import io.abafix.lab.Lab;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The lab answers in the shapes recorded from servers: for each read, the same type name and no
 * property the recorded fixture lacks. So the lab, the fixtures and the interpreters share one
 * model of what a server returns; a lab shape that drifts from the fixtures fails here.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabShapesConformanceTest {
  private static final JsonMapper JSON = new JsonMapper();
  private static final Path FIXTURES =
      Path.of("..", "activities", "src", "test", "resources", "fixtures");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Lab lab = Lab.loadResource("seed-pair", System::currentTimeMillis);
  private final FakePowerShellRunner runner =
      new FakePowerShellRunner(lab.host("SERVERA")).tenantDomain(lab.tenantDomain());

  @Test
  void the_server_state_has_the_recorded_shape() throws IOException {
    conforms(
        answer(PowerShellScript.GET_SERVER_STATE, "{\"server\":\"SERVERA\"}"),
        fixture("server-state/application-identity"));
  }

  @Test
  void each_connect_sync_variant_has_the_shape_of_its_fixture() throws IOException {
    Lab credentialObject = Lab.loadResource("credential-object-shape", System::currentTimeMillis);
    conforms(
        answer(variantRunner(credentialObject), PowerShellScript.GET_SERVER_STATE),
        fixture("server-state/application-id-on-credential-object"));
    Lab keyId = Lab.loadResource("certificate-key-id", System::currentTimeMillis);
    JsonNode answer = answer(variantRunner(keyId), PowerShellScript.GET_SERVER_STATE);
    conforms(answer, fixture("server-state/certificate-id-is-key-id"));
    assertTrue(
        answer.toString().contains(keyId.keyIdOf("E1475F4D5BCA1E7596CFF6A623347533ADF66165")),
        "CertificateId is the key's id: " + answer);
  }

  private static FakePowerShellRunner variantRunner(Lab lab) {
    return new FakePowerShellRunner(lab.host("SERVERA"))
        .tenantDomain(lab.tenantDomain())
        .connectSync(lab.scenario().tenant().connectSyncOrDefault(), lab::keyIdOf);
  }

  @Test
  void an_open_wizard_has_the_recorded_shape() throws IOException {
    lab.setWizardOpen("SERVERA", true);
    JsonNode answer = answer(PowerShellScript.GET_SERVER_STATE, "{\"server\":\"SERVERA\"}");
    conforms(answer, fixture("server-state/scheduler-suspended-wizard-open"));
    assertTrue(answer.toString().contains("AzureADConnect"), answer.toString());
  }

  @Test
  void a_stopped_adsync_fails_the_same_reads_as_recorded() throws IOException {
    lab.setAdSyncRunning("SERVERA", false);
    JsonNode lab = answer(PowerShellScript.GET_SERVER_STATE, "{\"server\":\"SERVERA\"}");
    JsonNode recorded = fixture("server-state/adsync-stopped");
    assertEquals(failedReads(recorded), failedReads(lab));
    conforms(lab, recorded);
  }

  @Test
  void a_service_account_has_the_recorded_shape() throws IOException {
    lab.host("SERVERA")
        .revertToServiceAccount(
            "Sync_SERVERA_3f1c9a2b7d4e",
            "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml");
    conforms(
        answer(PowerShellScript.GET_SERVER_STATE, "{\"server\":\"SERVERA\"}"),
        fixture("server-state/service-account-identity"));
  }

  @Test
  void events_have_the_recorded_shape() throws IOException {
    lab.logEvent("SERVERA", 906, "Error", "AADSTS700027: not registered");
    conforms(
        answer(
            PowerShellScript.GET_EVENTS,
            "{\"server\":\"SERVERA\",\"afterRecordId\":0,\"maxEntries\":10}"),
        fixture("events/newest-window"));
  }

  @Test
  void a_sign_in_has_the_recorded_shape() throws IOException {
    conforms(
        answer(PowerShellScript.TEST_CONNECTOR_AUTHENTICATION, "{\"server\":\"SERVERA\"}"),
        fixture("sign-in/delta-import-succeeds"));
  }

  private static JsonNode answer(FakePowerShellRunner runner, PowerShellScript script)
      throws IOException {
    return answer(runner, script, "{\"server\":\"SERVERA\"}");
  }

  private JsonNode answer(PowerShellScript script, String stdin) throws IOException {
    return answer(runner, script, stdin);
  }

  private static JsonNode answer(FakePowerShellRunner runner, PowerShellScript script, String stdin)
      throws IOException {
    PowerShellResult r = runner.run(script, stdin, TIMEOUT);
    String line = r.stdout().strip();
    line =
        line.substring(
            line.lastIndexOf(PowerShellSyncServerHost.ANSWER_PREFIX)
                + PowerShellSyncServerHost.ANSWER_PREFIX.length());
    return JSON.readTree(line).get("result");
  }

  private static JsonNode fixture(String name) throws IOException {
    return JSON.readTree(FIXTURES.resolve(name + ".json").toFile()).get("answer").get("result");
  }

  private static Set<String> failedReads(JsonNode result) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode r : result.get("reads")) if (r.has("error")) names.add(r.get("name").asText());
    return names;
  }

  /** Same read names; for each read both answered, the same type and no unrecorded property. */
  private static void conforms(JsonNode lab, JsonNode recorded) {
    assertEquals(names(recorded), names(lab));
    for (JsonNode r : recorded.get("reads")) {
      JsonNode l = read(lab, r.get("name").asText());
      JsonNode recordedFirst = r.path("output").path(0);
      JsonNode labFirst = l.path("output").path(0);
      if (recordedFirst.isMissingNode() || labFirst.isMissingNode()) continue;
      String where = r.get("name").asText();
      assertEquals(recordedFirst.get("types").get(0), labFirst.get("types").get(0), where);
      Set<String> allowed = propertyNames(recordedFirst);
      for (String p : propertyNames(labFirst)) {
        assertTrue(
            allowed.contains(p), where + ": the lab reports " + p + ", which no fixture records");
      }
    }
  }

  private static List<String> names(JsonNode result) {
    List<String> names = new ArrayList<>();
    for (JsonNode r : result.get("reads")) names.add(r.get("name").asText());
    return names;
  }

  private static JsonNode read(JsonNode result, String name) {
    for (JsonNode r : result.get("reads")) if (r.get("name").asText().equals(name)) return r;
    throw new AssertionError("the lab makes no read " + name);
  }

  private static Set<String> propertyNames(JsonNode object) {
    Set<String> names = new LinkedHashSet<>();
    for (JsonNode p : object.path("properties")) names.add(p.get("name").asText());
    return names;
  }
}
