package io.abafix.lab.powershell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import io.abafix.activities.powershell.PowerShellResult;
import io.abafix.activities.powershell.PowerShellScript;
import io.abafix.activities.powershell.PowerShellScriptException;
import io.abafix.activities.powershell.PowerShellSyncServerHost;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The production adapter against the fake runner: the script contract, end to end. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FakePowerShellRunnerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final ObjectMapper json = new ObjectMapper();
  private final RecordingSyncServerHost server = new RecordingSyncServerHost("SERVERA");
  private final FakePowerShellRunner runner = new FakePowerShellRunner(server);
  private final PowerShellSyncServerHost host =
      new PowerShellSyncServerHost("SERVERA", runner, null, "AB".repeat(32));

  @Test
  void should_report_the_server_state_unchanged_through_the_scripts() {
    assertEquals(server.inspect(), host.inspect());
  }

  @Test
  void should_pause_and_resume_the_scheduler() {
    host.setSyncCycleEnabled(false);
    assertEquals(false, host.inspect().syncCycleEnabled());

    host.setSyncCycleEnabled(true);
    assertEquals(true, host.inspect().syncCycleEnabled());
  }

  @Test
  void should_revert_to_the_service_account_with_the_reference_passed_through_verbatim() {
    String reference = "clixml:C:\\x';$(Remove-Item C:\\ -Recurse)`whoami`&calc.exe;exit 0 #.xml";

    host.revertToServiceAccount("Sync_SERVERA_0123456789ab", reference);

    assertEquals(reference, server.lastCredentialReference);
    assertEquals(IdentityType.ServiceAccount, host.inspect().identityType());
    assertEquals("Sync_SERVERA_0123456789ab", host.inspect().serviceAccountName());
  }

  @Test
  void should_refuse_an_unusable_credential_reference_as_credential_unavailable() throws Exception {
    String reference = "clixml:C:\\x\";\r\nRemove-Item C:\\ #";

    HostException e =
        assertThrows(
            HostException.class,
            () -> host.revertToServiceAccount("Sync_SERVERA_0123456789ab", reference));

    assertEquals(Category.CREDENTIAL_UNAVAILABLE, e.category());
    assertEquals(
        "UnsupportedReference", assertInstanceOf(PowerShellScriptException.class, e).code());
    assertNull(server.lastCredentialReference, "the server was not touched");
    JsonNode sent = json.readTree(runner.invocations().get(0).stdinJson());
    assertEquals(reference, sent.get("credentialReference").textValue());
  }

  @Test
  void should_report_a_reference_the_server_cannot_resolve_as_credential_unavailable() {
    server.failNext(
        new HostException(Category.CREDENTIAL_UNAVAILABLE, "no credential file at C:\\hia.xml"));

    HostException e =
        assertThrows(
            HostException.class,
            () -> host.revertToServiceAccount("Sync_SERVERA_0123456789ab", "clixml:C:\\hia.xml"));

    assertEquals(Category.CREDENTIAL_UNAVAILABLE, e.category());
    assertTrue(e.getMessage().contains("no credential file"), e.getMessage());
  }

  @Test
  void should_report_a_certificate_that_is_not_registered_as_a_failed_sign_in() {
    server.failNext(
        new HostException(
            Category.CERTIFICATE_NOT_REGISTERED,
            "AADSTS700027: The certificate with identifier used to sign the client assertion is"
                + " not registered on application."));

    AuthenticationCheck check = host.testConnectorAuthentication();

    assertEquals(false, check.authenticated());
    assertEquals("AADSTS700027", check.errorCode());
  }

  @Test
  void should_report_access_denied_after_a_revert_as_a_failed_sign_in() {
    server.authentication =
        AuthenticationCheck.failed("AccessDenied", "Access denied: the account cannot sign in yet");

    assertEquals("AccessDenied", host.testConnectorAuthentication().errorCode());

    server.authentication = AuthenticationCheck.failed("AADSTS53003", "blocked by policy");
    AuthenticationCheck blocked = host.testConnectorAuthentication();
    assertEquals("AADSTS53003", blocked.errorCode());
    assertTrue(blocked.message().contains("blocked by policy"), blocked.message());
  }

  @Test
  void should_set_a_new_machine_identifier_and_read_it_back() {
    host.setMachineIdentifier("fedcba9876543210fedcba9876543210");

    assertEquals("fedcba9876543210fedcba9876543210", host.inspect().machineId());
  }

  @Test
  void should_refuse_a_new_machine_identifier_while_a_sync_cycle_runs() {
    server.syncCycleInProgress = true;

    HostException e =
        assertThrows(
            HostException.class,
            () -> host.setMachineIdentifier("fedcba9876543210fedcba9876543210"));

    assertEquals(Category.TRANSIENT, e.category());
    assertEquals("0123456789abcdef0123456789abcdef", server.machineId);
  }

  @Test
  void should_refuse_a_revert_to_an_account_name_the_server_does_not_compute() {
    // The name a workflow computed before this server's machine id changed.
    HostException e =
        assertThrows(
            HostException.class,
            () -> host.revertToServiceAccount("Sync_SERVERA_ffffffffffff", "clixml:C:\\hia.xml"));

    assertEquals(Category.PERMANENT, e.category());
    assertEquals(
        "AccountNameMismatch", assertInstanceOf(PowerShellScriptException.class, e).code());
    assertTrue(e.getMessage().contains("Sync_SERVERA_0123456789ab"), e.getMessage());
    assertNull(server.lastCredentialReference, "the server was not touched");
  }

  @Test
  void should_answer_inspections_without_the_step_lock() throws Exception {
    // A long changing step holds the lock; an inspection still answers meanwhile.
    var entered = new java.util.concurrent.CountDownLatch(1);
    var release = new java.util.concurrent.CountDownLatch(1);
    RecordingSyncServerHost slow =
        new RecordingSyncServerHost("SERVERA") {
          @Override
          public void setSyncCycleEnabled(boolean enabled) {
            entered.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            super.setSyncCycleEnabled(enabled);
          }
        };
    FakePowerShellRunner shared = new FakePowerShellRunner(slow);
    PowerShellSyncServerHost a = new PowerShellSyncServerHost("SERVERA", shared);
    Thread step = new Thread(() -> a.setSyncCycleEnabled(false));
    step.start();
    entered.await();
    try {
      assertEquals("SERVERA", a.inspect().server());
      assertEquals(List.of(), a.readEvents(0, 10));
    } finally {
      release.countDown();
      step.join();
    }
  }

  @Test
  void should_rotate_the_certificate_and_configure_a_new_application() {
    host.rotateApplicationCertificate();
    assertEquals("D4E5F60718293A4B5C6D7E8F9011223344556677", host.inspect().certificateId());

    host.revertToServiceAccount("Sync_SERVERA_0123456789ab", "clixml:C:\\hia.xml");
    host.configureApplicationAuthentication();
    assertEquals(IdentityType.Application, host.inspect().identityType());
    assertEquals("99999999-8888-7777-6666-555555555555", host.inspect().applicationId());
  }

  @Test
  void should_read_events_after_a_record_id() {
    EventLogEntry first =
        new EventLogEntry(
            7,
            906,
            "Directory Synchronization",
            "Error",
            "2025-01-12T10:00:00Z",
            "AADSTS700027 \u00e9");
    EventLogEntry second =
        new EventLogEntry(
            8, 1011, "Directory Synchronization", "Warning", "2025-01-12T11:00:00Z", "expiring");
    server.events.addAll(List.of(first, second));

    assertEquals(List.of(first, second), host.readEvents(0, 10));
    assertEquals(List.of(second), host.readEvents(7, 10));
    assertEquals(List.of(), host.readEvents(8, 10));
    // The newest window: with room for one entry, the newest one.
    assertEquals(List.of(second), host.readEvents(0, 1));
  }

  @ParameterizedTest
  @EnumSource(Category.class)
  void should_carry_each_failure_category_of_the_server_to_the_adapter(Category category) {
    server.failNext(new HostException(category, "simulated " + category));

    HostException e = assertThrows(HostException.class, host::rotateApplicationCertificate);

    assertEquals(category, e.category());
    assertTrue(e.getMessage().contains("simulated " + category), e.getMessage());
  }

  @Test
  void should_refuse_to_act_on_another_server() {
    PowerShellSyncServerHost misrouted = new PowerShellSyncServerHost("SERVERB", runner);

    HostException e = assertThrows(HostException.class, () -> misrouted.setSyncCycleEnabled(false));

    assertEquals(Category.PERMANENT, e.category());
    assertEquals("WrongServer", ((PowerShellScriptException) e).code());
    assertEquals(List.of(), server.calls);
  }

  @Test
  void should_report_a_hanging_script_as_transient_after_the_timeout() {
    runner.behave(FakePowerShellRunner.Behaviour.HANG);
    PowerShellSyncServerHost impatient =
        new PowerShellSyncServerHost(
            "SERVERA", runner, Map.of(PowerShellScript.GET_SERVER_STATE, Duration.ofMillis(100)));

    HostException e = assertThrows(HostException.class, impatient::inspect);

    assertEquals(Category.TRANSIENT, e.category());
    assertTrue(e.getMessage().contains("did not finish"), e.getMessage());
  }

  @Test
  void should_report_garbage_as_transient_and_ignore_host_output_before_an_answer() {
    runner.behave(FakePowerShellRunner.Behaviour.GARBAGE);
    assertEquals(Category.TRANSIENT, assertThrows(HostException.class, host::inspect).category());

    runner.behave(FakePowerShellRunner.Behaviour.HOST_OUTPUT_BEFORE_ANSWER);
    assertEquals(server.inspect(), host.inspect());
  }

  @Test
  void should_refuse_a_hostile_account_name_before_any_script_runs() {
    assertThrows(
        HostException.class,
        () -> host.revertToServiceAccount("Sync_SERVERA_0123456789ab\"; $(Stop-Computer)", "x"));

    assertEquals(List.of(), runner.invocations());
  }

  @Test
  void should_repair_the_connector_parameters_through_the_script() {
    host.repairConnectorParameters();

    assertTrue(host.inspect().abaParameters().complete());
    assertEquals(
        PowerShellScript.REPAIR_CONNECTOR_PARAMETERS, runner.invocations().get(0).script());
  }

  @Test
  void should_refuse_the_repair_without_ad_sync_tools_2_3_0() {
    server.adSyncToolsVersion = "2.2.0";

    HostException e = assertThrows(HostException.class, host::repairConnectorParameters);

    assertEquals(Category.PERMANENT, e.category());
    assertEquals("AdSyncToolsMissing", assertInstanceOf(PowerShellScriptException.class, e).code());
    assertEquals(List.of("inspect"), server.calls, "the repair itself never ran");
  }

  @Test
  void should_install_ad_sync_tools_from_a_staged_folder_passed_through_verbatim()
      throws Exception {
    server.adSyncToolsVersion = null;

    host.installAdSyncTools("D:\\abafix\\modules\\ADSyncTools");

    assertEquals("2.3.0", host.inspect().adSyncToolsVersion());
    JsonNode sent = json.readTree(runner.invocations().get(0).stdinJson());
    assertEquals("D:\\abafix\\modules\\ADSyncTools", sent.get("source").textValue());
  }

  @ParameterizedTest
  @ValueSource(strings = {"relative\\ADSyncTools", "C:/x", "D:\\a\"; Stop-Computer #", "https://x"})
  void should_refuse_a_module_source_that_is_not_gallery_or_a_folder_before_any_script_runs(
      String source) {
    assertThrows(HostException.class, () -> host.installAdSyncTools(source));

    assertEquals(List.of(), runner.invocations());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "not json",
        "[\"server\",\"SERVERA\"]",
        "{\"server\":\"SERVERA\",\"enabled\":true}{}",
        "{\"server\":\"SERVERA\",\"enabled\":true,\"enabled\":false}",
        "{\"server\":\"SERVERA\"}",
        "{\"server\":\"SERVERA\",\"enabled\":true,\"force\":true}",
        "{\"server\":\"SERVERA\",\"enabled\":\"false\"}",
        "{\"server\":\"SERVERA\",\"enabled\":0}",
        "{\"enabled\":true}"
      })
  void should_answer_input_that_breaks_the_contract_with_a_permanent_error(String stdin) {
    PowerShellResult result = runner.run(PowerShellScript.SET_SYNC_CYCLE, stdin, TIMEOUT);

    assertError(result, "Permanent", "InvalidInput");
    assertEquals(List.of(), server.calls, "the server was not touched");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"server\":\"SERVERA\",\"machineId\":\"0123456789abcdef0123456789abcdef\\n\"}",
        "{\"server\":\"SERVERA\",\"machineId\":\"0123456789abcdef\"}",
        "{\"server\":\"SERVERA\",\"machineId\":12345678901234567890123456789012}",
        "{\"server\":\"SERVERA\",\"machineId\":\"\"}"
      })
  void should_answer_a_malformed_machine_identifier_with_a_permanent_error(String stdin) {
    PowerShellResult result = runner.run(PowerShellScript.SET_MACHINE_IDENTIFIER, stdin, TIMEOUT);

    assertError(result, "Permanent", "InvalidInput");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"server\":\"SERVERA\",\"afterRecordId\":-1,\"maxEntries\":10}",
        "{\"server\":\"SERVERA\",\"afterRecordId\":0,\"maxEntries\":1001}",
        "{\"server\":\"SERVERA\",\"afterRecordId\":1.5,\"maxEntries\":10}",
        "{\"server\":\"SERVERA\",\"afterRecordId\":\"0\",\"maxEntries\":10}"
      })
  void should_answer_an_out_of_range_event_read_with_a_permanent_error(String stdin) {
    assertError(
        runner.run(PowerShellScript.GET_EVENTS, stdin, TIMEOUT), "Permanent", "InvalidInput");
  }

  @Test
  void should_accept_the_server_name_in_any_case_as_powershell_compares_it() {
    PowerShellResult result =
        runner.run(
            PowerShellScript.SET_SYNC_CYCLE, "{\"server\":\"servera\",\"enabled\":false}", TIMEOUT);

    assertEquals(0, result.exitCode());
    assertEquals(false, server.syncCycleEnabled);
  }

  private void assertError(PowerShellResult result, String category, String code) {
    assertEquals(1, result.exitCode());
    try {
      String line = result.stdout().strip();
      assertTrue(line.startsWith(PowerShellSyncServerHost.ANSWER_PREFIX), line);
      JsonNode answer =
          json.readTree(line.substring(PowerShellSyncServerHost.ANSWER_PREFIX.length()));
      assertEquals(false, answer.get("ok").booleanValue(), result.stdout());
      assertEquals(category, answer.get("error").get("category").textValue(), result.stdout());
      assertEquals(code, answer.get("error").get("code").textValue(), result.stdout());
    } catch (java.io.IOException e) {
      throw new AssertionError("not JSON: " + result.stdout(), e);
    }
  }
}
