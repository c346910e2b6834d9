package io.abafix.activities.powershell;

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
import io.abafix.activities.model.ServerState;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The adapter's side of the contract, against scripted answers. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PowerShellSyncServerHostTest {
  private final ObjectMapper json = new ObjectMapper();

  /** Answers every run with one fixed result and remembers what it was given. */
  private static final class ScriptedRunner implements PowerShellRunner {
    final List<String> inputs = new ArrayList<>();
    final List<PowerShellScript> scripts = new ArrayList<>();
    private final PowerShellResult answer;

    ScriptedRunner(int exitCode, String stdout, String stderr) {
      this.answer = new PowerShellResult(exitCode, stdout, stderr);
    }

    @Override
    public PowerShellResult run(PowerShellScript script, String stdinJson, Duration timeout) {
      scripts.add(script);
      inputs.add(stdinJson);
      return answer;
    }
  }

  private static final String P = PowerShellSyncServerHost.ANSWER_PREFIX;
  private static final String HASH = "0123456789ABCDEF".repeat(4);

  private static ScriptedRunner ok(String resultJson) {
    return new ScriptedRunner(0, P + "{\"ok\":true,\"result\":" + resultJson + "}\r\n", "");
  }

  /** A result of raw reads: {@code reads("name","command","[outputs]", ...)}. */
  private static String reads(String... triples) {
    StringBuilder b = new StringBuilder("{\"reads\":[");
    for (int i = 0; i < triples.length; i += 3) {
      if (i > 0) b.append(',');
      b.append("{\"name\":\"")
          .append(triples[i])
          .append("\",\"command\":\"")
          .append(triples[i + 1])
          .append("\",\"output\":")
          .append(triples[i + 2])
          .append('}');
    }
    return b.append("]}").toString();
  }

  private static String object(String type, String properties) {
    return "{\"types\":[\"" + type + "\"],\"properties\":[" + properties + "]}";
  }

  private static String prop(String name, String jsonValue) {
    return "{\"name\":\"" + name + "\",\"type\":\"System.Object\",\"value\":" + jsonValue + "}";
  }

  @Test
  void should_read_the_full_server_state_in_one_script_run() throws Exception {
    JsonNode fixture =
        json.readTree(
            getClass().getResourceAsStream("/fixtures/server-state/application-identity.json"));
    ScriptedRunner runner = ok(fixture.get("answer").get("result").toString());

    ServerState state = new PowerShellSyncServerHost("SERVERA", runner).inspect();

    assertEquals("SERVERA", state.server());
    assertEquals("3f1c9a2b7d4e", state.machineIdPrefix());
    assertEquals(IdentityType.Application, state.identityType());
    assertEquals(List.of(PowerShellScript.GET_SERVER_STATE), runner.scripts);
  }

  @Test
  void should_send_each_operation_its_documented_input() throws Exception {
    ScriptedRunner events =
        ok(
            reads(
                "events",
                "Get-WinEvent",
                "["
                    + object(
                        "EventLogRecord",
                        prop("RecordId", "42")
                            + ","
                            + prop("Id", "906")
                            + ","
                            + prop("ProviderName", "\"Directory Synchronization\"")
                            + ","
                            + prop("LevelDisplayName", "\"Error\"")
                            + ","
                            + prop("TimeCreated", "\"2025-01-12T10:00:00.0000000Z\"")
                            + ","
                            + prop("Message", "\"AADSTS700027: \\u00e9\""))
                    + "]",
                "newestRecord",
                "Get-WinEvent",
                "[" + object("EventLogRecord", prop("RecordId", "42")) + "]"));
    List<EventLogEntry> read = new PowerShellSyncServerHost("SERVERA", events).readEvents(41, 10);
    assertEquals(42, read.get(0).recordId());
    assertEquals(906, read.get(0).eventId());
    assertEquals("AADSTS700027: \u00e9", read.get(0).message());
    assertEquals(
        json.readTree("{\"server\":\"SERVERA\",\"afterRecordId\":41,\"maxEntries\":10}"),
        json.readTree(events.inputs.get(0)));

    ScriptedRunner machineId =
        ok(
            reads(
                "machineIdentifier",
                "Get-ItemProperty",
                "["
                    + object(
                        "PSCustomObject",
                        prop("SyncMachineIdentifier", "\"0123456789ABCDEF0123456789ABCDEF\""))
                    + "]",
                "service",
                "Get-Service",
                "[" + object("ServiceController", prop("Status", "\"Running\"")) + "]"));
    new PowerShellSyncServerHost("SERVERA", machineId)
        .setMachineIdentifier("0123456789abcdef0123456789abcdef");
    assertEquals(
        json.readTree(
            "{\"server\":\"SERVERA\",\"machineId\":\"0123456789abcdef0123456789abcdef\"}"),
        json.readTree(machineId.inputs.get(0)));

    ScriptedRunner scheduler =
        ok(
            reads(
                "call",
                "Set-ADSyncScheduler",
                "[]",
                "scheduler",
                "Get-ADSyncScheduler",
                "[" + object("SchedulerSettings", prop("SyncCycleEnabled", "false")) + "]"));
    new PowerShellSyncServerHost("SERVERA", scheduler).setSyncCycleEnabled(false);
    assertEquals(
        json.readTree("{\"server\":\"SERVERA\",\"enabled\":false}"),
        json.readTree(scheduler.inputs.get(0)));
  }

  @Test
  void should_report_a_failed_sign_in_as_a_result() {
    ScriptedRunner runner =
        ok(
            reads(
                "connector",
                "Get-ADSyncConnector",
                "[]",
                "run",
                "Invoke-ADSyncRunProfile",
                "["
                    + object(
                        "RunHistory",
                        prop("Result", "\"stopped-extension-dll-exception\"")
                            + ","
                            + prop("Detail", "\"AADSTS700027: not registered\""))
                    + "]",
                "runResult",
                "Get-ADSyncRunProfileResult",
                "[]"));

    AuthenticationCheck check =
        new PowerShellSyncServerHost("SERVERA", runner).testConnectorAuthentication();

    assertEquals("AADSTS700027", check.errorCode());
    assertTrue(check.message().contains("not registered"), check.message());
  }

  @ParameterizedTest
  @CsvSource({
    "Transient, SyncCycleInProgress, TRANSIENT",
    "Permanent, WrongServer, PERMANENT",
    "CertificateNotRegistered, AADSTS700027, CERTIFICATE_NOT_REGISTERED",
    "CredentialUnavailable, CredentialFileMissing, CREDENTIAL_UNAVAILABLE"
  })
  void should_map_each_error_category_of_the_script(
      String category, String code, Category expected) {
    ScriptedRunner runner =
        new ScriptedRunner(
            1,
            P
                + "{\"ok\":false,\"error\":{\"category\":\""
                + category
                + "\",\"code\":\""
                + code
                + "\",\"message\":\"it went wrong\"}}",
            "trace");
    PowerShellSyncServerHost host = new PowerShellSyncServerHost("SERVERA", runner, null, HASH);

    HostException e = assertThrows(HostException.class, host::rotateApplicationCertificate);

    assertEquals(expected, e.category());
    PowerShellScriptException scripted = assertInstanceOf(PowerShellScriptException.class, e);
    assertEquals(code, scripted.code());
    assertEquals("trace", scripted.stderr());
    assertTrue(e.getMessage().contains("it went wrong"), e.getMessage());
  }

  @Test
  void should_treat_output_that_is_not_json_as_transient_and_show_stderr() {
    HostException garbage =
        assertThrows(
            HostException.class,
            () ->
                new PowerShellSyncServerHost(
                        "SERVERA", new ScriptedRunner(0, "Hello <html>", "a module warning"))
                    .inspect());
    assertEquals(Category.TRANSIENT, garbage.category());
    assertTrue(garbage.getMessage().contains("a module warning"), garbage.getMessage());

    HostException silent =
        assertThrows(
            HostException.class,
            () ->
                new PowerShellSyncServerHost(
                        "SERVERA", new ScriptedRunner(-196608, "", "The argument does not exist"))
                    .inspect());
    assertEquals(Category.TRANSIENT, silent.category());
    assertTrue(silent.getMessage().contains("-196608"), silent.getMessage());
  }

  @Test
  void should_ignore_host_output_before_the_answer() {
    ScriptedRunner runner =
        new ScriptedRunner(
            0,
            "\uFEFFWARNING: banner\n\n"
                + P
                + "{\"ok\":true,\"result\":"
                + reads(
                    "call",
                    "Set-ADSyncScheduler",
                    "[]",
                    "scheduler",
                    "Get-ADSyncScheduler",
                    "[" + object("SchedulerSettings", prop("SyncCycleEnabled", "true")) + "]")
                + "}\n"
                // A module that prints JSON of its own after the answer is still noise.
                + "{\"ok\":true,\"result\":{}}\n\n",
            "");

    new PowerShellSyncServerHost("SERVERA", runner).setSyncCycleEnabled(true);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"ok\":true,\"result\":{\"reads\":[]},\"extra\":1}",
        "{\"ok\":\"yes\",\"result\":{\"reads\":[]}}",
        "{\"ok\":false,\"error\":{\"category\":\"Fatal\",\"code\":\"X\",\"message\":\"m\"}}",
        "{\"ok\":false}"
      })
  void should_treat_json_that_breaks_the_contract_as_permanent(String answer) {
    PowerShellSyncServerHost host =
        new PowerShellSyncServerHost("SERVERA", new ScriptedRunner(0, P + answer, ""));

    HostException e = assertThrows(HostException.class, () -> host.setSyncCycleEnabled(true));

    assertEquals(Category.PERMANENT, e.category());
    assertTrue(e.getMessage().contains("against the contract"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"ok\":true,\"result\":{}}",
        "{\"ok\":true,\"result\":{\"reads\":[]}}",
        "{\"ok\":true,\"result\":{\"reads\":[{\"name\":\"scheduler\",\"command\":\"Get-ADSyncScheduler\",\"output\":[{\"types\":[\"S\"],\"properties\":[{\"name\":\"SyncCycleEnabled\",\"type\":\"System.String\",\"value\":\"true\"}]}]}]}}"
      })
  void should_fail_permanently_on_a_shape_it_does_not_recognise(String answer) {
    PowerShellSyncServerHost host =
        new PowerShellSyncServerHost("SERVERA", new ScriptedRunner(0, P + answer, ""));

    HostException e = assertThrows(HostException.class, () -> host.setSyncCycleEnabled(true));

    assertEquals(Category.PERMANENT, e.category());
    assertTrue(e.getMessage().contains("does not recognise"), e.getMessage());
  }

  @Test
  void should_never_take_an_answer_without_the_sentinel() {
    // A module that prints a JSON line of its own cannot answer for the script.
    PowerShellSyncServerHost host =
        new PowerShellSyncServerHost(
            "SERVERA", new ScriptedRunner(0, "{\"ok\":true,\"result\":{\"reads\":[]}}\r\n", ""));

    HostException e = assertThrows(HostException.class, () -> host.setSyncCycleEnabled(true));

    assertEquals(Category.TRANSIENT, e.category());
    assertTrue(e.getMessage().contains("without an answer"), e.getMessage());
  }

  @Test
  void should_fail_permanently_when_an_execution_policy_refuses_the_scripts() {
    String stderr =
        "File C:\\abafix\\scripts\\Get-AbafixServerState.ps1 cannot be loaded. The file"
            + " C:\\abafix\\scripts\\Get-AbafixServerState.ps1 is not digitally signed. You cannot"
            + " run this script on the current system.\r\n"
            + "    + FullyQualifiedErrorId : UnauthorizedAccess";
    PowerShellSyncServerHost host =
        new PowerShellSyncServerHost("SERVERA", new ScriptedRunner(1, "", stderr));

    HostException e = assertThrows(HostException.class, host::inspect);

    assertEquals(Category.PERMANENT, e.category());
    assertTrue(e.getMessage().contains("Sign the abafix scripts"), e.getMessage());
  }

  @Test
  void should_refuse_unattended_rotation_and_configuration_without_a_byoc_certificate() {
    PowerShellSyncServerHost host = new PowerShellSyncServerHost("SERVERA", refusingRunner());

    HostException rotate = assertThrows(HostException.class, host::rotateApplicationCertificate);
    HostException configure =
        assertThrows(HostException.class, host::configureApplicationAuthentication);

    assertEquals(Category.PERMANENT, rotate.category());
    assertTrue(
        rotate.getMessage().contains("--operator-step ROTATE_CERTIFICATE"), rotate.getMessage());
    assertEquals(Category.PERMANENT, configure.category());
    assertTrue(
        configure.getMessage().contains("--operator-step CONFIGURE_ABA"), configure.getMessage());
  }

  @Test
  void should_pass_a_sha256_certificate_hash_and_refuse_a_sha1_thumbprint() throws Exception {
    ScriptedRunner runner = ok(reads("call", "Invoke-ADSyncApplicationCredentialRotation", "[]"));
    new PowerShellSyncServerHost("SERVERA", runner, null, HASH.toLowerCase())
        .rotateApplicationCertificate();
    assertEquals(HASH, json.readTree(runner.inputs.get(0)).get("certificateSha256").textValue());

    HostException sha1 =
        assertThrows(
            HostException.class,
            () ->
                new PowerShellSyncServerHost(
                    "SERVERA", refusingRunner(), null, "E1475F4D5BCA1E7596CFF6A623347533ADF66165"));
    assertEquals(Category.PERMANENT, sha1.category());
    assertTrue(sha1.getMessage().contains("SHA-1 thumbprint"), sha1.getMessage());
  }

  @Test
  void should_read_a_cleared_log_from_its_start() {
    // Preflight saw record 900; the log was cleared since, and holds records 1 to 3.
    List<String> inputs = new ArrayList<>();
    PowerShellRunner runner =
        (script, stdin, timeout) -> {
          inputs.add(stdin);
          String events =
              stdin.contains("\"afterRecordId\":0")
                  ? "["
                      + object(
                          "EventLogRecord",
                          prop("RecordId", "2")
                              + ","
                              + prop("Id", "906")
                              + ","
                              + prop("ProviderName", "\"Directory Synchronization\"")
                              + ","
                              + prop("LevelDisplayName", "\"Error\"")
                              + ","
                              + prop("TimeCreated", "\"2026-12-01T10:00:00Z\"")
                              + ","
                              + prop("Message", "\"AADSTS700027\""))
                      + "]"
                  : "[]";
          return new PowerShellResult(
              0,
              P
                  + "{\"ok\":true,\"result\":"
                  + reads(
                      "events",
                      "Get-WinEvent",
                      events,
                      "newestRecord",
                      "Get-WinEvent",
                      "[" + object("EventLogRecord", prop("RecordId", "3")) + "]")
                  + "}",
              "");
        };

    List<EventLogEntry> read = new PowerShellSyncServerHost("SERVERA", runner).readEvents(900, 50);

    assertEquals(2, inputs.size());
    assertEquals(List.of(2L), read.stream().map(EventLogEntry::recordId).toList());
  }

  @Test
  void should_treat_success_with_a_failing_exit_code_as_a_contract_breach() {
    PowerShellSyncServerHost host =
        new PowerShellSyncServerHost(
            "SERVERA", new ScriptedRunner(1, P + "{\"ok\":true,\"result\":{\"reads\":[]}}", ""));

    HostException e = assertThrows(HostException.class, () -> host.setSyncCycleEnabled(true));

    assertEquals(Category.PERMANENT, e.category());
  }

  @Test
  void should_report_a_timeout_and_an_interruption_as_transient() {
    for (PowerShellRunException.Reason reason :
        List.of(
            PowerShellRunException.Reason.TIMED_OUT, PowerShellRunException.Reason.INTERRUPTED)) {
      PowerShellRunner runner =
          (script, stdin, timeout) -> {
            throw new PowerShellRunException(reason, "stopped", "", "last words", null);
          };
      HostException e =
          assertThrows(
              HostException.class,
              () -> new PowerShellSyncServerHost("SERVERA", runner).testConnectorAuthentication());
      assertEquals(Category.TRANSIENT, e.category());
      assertTrue(e.getMessage().contains("last words"), e.getMessage());
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "SERVER-NAME-TOO-LONG",
        "SERVERA\"; Remove-Item C:\\",
        "SERVER$(whoami)",
        "SERVER`A",
        "SERVERA\nSERVERB",
        "SERVER'A",
        "-SERVERA",
        "SERVER_A"
      })
  void should_refuse_an_invalid_server_name_before_any_process_starts(String name) {
    HostException e =
        assertThrows(
            HostException.class, () -> new PowerShellSyncServerHost(name, refusingRunner()));
    assertEquals(Category.PERMANENT, e.category());
    assertTrue(!e.getMessage().contains("\n"), "the refusal message stays on one line");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Sync_SERVERA_0123456789ab\"; Remove-Item C:\\",
        "Sync_SERVERA_$(whoami)ab",
        "Sync_SERVERA_`0123456789a",
        "Sync_SERVERA_0123456789ab\nSync_SERVERB_0123456789ab",
        "Sync_SERVERA_0123456789a'",
        "Sync_SERVERA_0123456789abc",
        "Sync_SERVERA_0123456789ag",
        "Sync_SERVERB_0123456789ab",
        "admin@contoso.onmicrosoft.com",
        ""
      })
  void should_refuse_an_invalid_account_name_before_any_process_starts(String accountName) {
    PowerShellSyncServerHost host = new PowerShellSyncServerHost("SERVERA", refusingRunner());

    assertPermanent(() -> host.revertToServiceAccount(accountName, "clixml:C:\\hia.xml"));
  }

  @Test
  void should_refuse_invalid_ids_references_and_ranges_before_any_process_starts() {
    PowerShellSyncServerHost host = new PowerShellSyncServerHost("SERVERA", refusingRunner());

    assertPermanent(() -> host.setMachineIdentifier("0123456789abcdef0123456789abcde"));
    assertPermanent(() -> host.setMachineIdentifier("0123456789abcdef0123456789abcdeg"));
    assertPermanent(() -> host.setMachineIdentifier("01234567-89ab-cdef-0123-456789abcdef"));
    assertPermanent(() -> host.setMachineIdentifier("$(Stop-Computer)0123456789abcdef012"));
    assertPermanent(() -> host.setMachineIdentifier(null));
    assertPermanent(() -> host.revertToServiceAccount("Sync_SERVERA_0123456789ab", " "));
    assertPermanent(() -> host.revertToServiceAccount("Sync_SERVERA_0123456789ab", null));
    assertPermanent(
        () -> host.revertToServiceAccount("Sync_SERVERA_0123456789ab", "c".repeat(1025)));
    assertPermanent(() -> host.readEvents(-1, 10));
    assertPermanent(() -> host.readEvents(0, 0));
    assertPermanent(() -> host.readEvents(0, 1001));
  }

  @Test
  void should_escape_non_ascii_input_so_the_console_code_page_cannot_mangle_it() throws Exception {
    ScriptedRunner runner = ok(reads("call", "Add-ADSyncAADServiceAccount", "[]"));
    String reference = "clixml:C:\\Users\\J\u00f6rg\\hia.xml";

    new PowerShellSyncServerHost("SERVERA", runner)
        .revertToServiceAccount("Sync_SERVERA_0123456789ab", reference);

    String stdin = runner.inputs.get(0);
    assertTrue(stdin.chars().allMatch(c -> c < 0x80), stdin);
    JsonNode parsed = json.readTree(stdin);
    assertEquals(reference, parsed.get("credentialReference").textValue());
    assertNull(parsed.get("password"));
  }

  private static PowerShellRunner refusingRunner() {
    return (script, stdin, timeout) -> {
      throw new AssertionError("no process may start, but " + script.fileName() + " was run");
    };
  }

  private static void assertPermanent(Executable call) {
    HostException e = assertThrows(HostException.class, call);
    assertEquals(Category.PERMANENT, e.category(), e.getMessage());
  }
}
