package io.abafix.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

@DisplayNameGeneration(ReplaceUnderscores.class)
class WorkerMainTest {
  private static final String APP_ID = "11111111-2222-3333-4444-555555555555";
  private static final LocalMachine LINUX = new LocalMachine("Linux", name -> null);

  @TempDir Path dir;

  /** Records whether a role got as far as starting, and which task queue it would poll. */
  private static final class RecordingLauncher implements Launcher {
    String taskQueue;

    @Override
    public int run(String address, Function<WorkerFactory, Worker> role, PrintWriter out) {
      // Registration needs no connection: the client is lazy and is never used to poll here.
      WorkflowClient client = TemporalConnection.at("127.0.0.1:1", TestKeys.CODEC);
      try {
        taskQueue = role.apply(WorkerFactory.newInstance(client)).getTaskQueue();
      } finally {
        client.getWorkflowServiceStubs().shutdownNow();
      }
      return 0;
    }

    boolean started() {
      return taskQueue != null;
    }
  }

  private record Outcome(int exitCode, String out, String err) {
    void isBadInput() {
      assertEquals(ErrorHandler.BAD_INPUT, exitCode, err);
      assertTrue(err.startsWith("abafix-worker: "), err);
      assertEquals(1, err.lines().count(), "one line: " + err);
    }
  }

  /** Whose approvals the server and directory roles trust, as every deployment must say. */
  static final List<String> APPROVERS =
      List.of(
          "--approver-tenant-id",
          "8d2e1c4a-5b6f-4a70-9c8d-1e2f3a4b5c6d",
          "--approver-client-id",
          "3b7f0c1e-9d2a-4c5b-8e6f-a1b2c3d4e5f6");

  private Outcome run(RecordingLauncher launcher, LocalMachine machine, String... args) {
    if (args.length > 0 && (args[0].equals("server") || args[0].equals("directory"))) {
      List<String> all = new ArrayList<>(List.of(args[0]));
      all.addAll(APPROVERS);
      all.addAll(List.of(args).subList(1, args.length));
      args = all.toArray(String[]::new);
    }
    return runAsGiven(launcher, machine, args);
  }

  private Outcome runAsGiven(RecordingLauncher launcher, LocalMachine machine, String... args) {
    // Production wiring but for the approvers' keys, which it would fetch from Entra ID at start.
    CommandLine cmd =
        WorkerMain.commandLine(
            launcher,
            machine,
            WorkerMainTest::offlineKeys,
            java.util.function.UnaryOperator.identity());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Outcome(code, out.toString(), err.toString());
  }

  private Outcome badInput(LocalMachine machine, String... args) {
    RecordingLauncher launcher = new RecordingLauncher();
    Outcome outcome = run(launcher, machine, args);
    outcome.isBadInput();
    assertFalse(launcher.started(), "nothing may start on bad input");
    return outcome;
  }

  private Path certificateFile(String name) throws IOException {
    return Files.writeString(dir.resolve(name), "not a certificate\n");
  }

  @Test
  void server_and_directory_refuse_to_start_without_whose_approvals_to_trust() throws IOException {
    RecordingLauncher launcher = new RecordingLauncher();
    Outcome server =
        runAsGiven(
            launcher, LINUX, "server", "--name", "SERVERA", "--tenant", "contoso.onmicrosoft.com");
    assertEquals(2, server.exitCode(), server.err());
    assertTrue(server.err().contains("--approver-tenant-id"), server.err());
    Outcome badTenant =
        runAsGiven(
            launcher,
            LINUX,
            "server",
            "--name",
            "SERVERA",
            "--tenant",
            "contoso.onmicrosoft.com",
            "--approver-tenant-id",
            "contoso",
            "--approver-client-id",
            "3b7f0c1e-9d2a-4c5b-8e6f-a1b2c3d4e5f6");
    assertTrue(badTenant.err().contains("GUID"), badTenant.err());
    assertFalse(launcher.started(), "nothing may start without an approval trust");
  }

  @Test
  void no_role_is_bad_input() {
    assertTrue(badInput(LINUX).err().contains("name a role"));
  }

  @Test
  void an_unknown_option_is_bad_input_on_one_line() {
    badInput(LINUX, "orchestrator", "--no-such-option");
  }

  @Test
  void server_without_a_name_is_bad_input() {
    assertTrue(badInput(LINUX, "server").err().contains("--name"));
  }

  @Test
  void server_with_a_name_windows_cannot_have_is_bad_input() {
    assertTrue(badInput(LINUX, "server", "--name", "SERVER_A").err().contains("SERVER_A"));
    badInput(LINUX, "server", "--name", "A-NAME-LONGER-THAN-15");
  }

  @Test
  void server_refuses_to_run_under_another_computers_name() {
    LocalMachine serverB =
        new LocalMachine("Windows Server 2022", Map.of("COMPUTERNAME", "SERVERB")::get);
    Outcome outcome = badInput(serverB, "server", "--name", "SERVERA");
    assertTrue(outcome.err().contains("this computer is SERVERB, not SERVERA"), outcome.err());
  }

  @Test
  void server_refuses_on_windows_when_the_computer_name_is_unknown() {
    badInput(new LocalMachine("Windows 11", name -> null), "server", "--name", "SERVERA");
  }

  @Test
  void server_watching_a_tenant_needs_the_fleet() {
    Outcome outcome =
        badInput(LINUX, "server", "--name", "SERVERA", "--watch-tenant", "contoso.onmicrosoft.com");
    assertTrue(outcome.err().contains("--fleet"), outcome.err());
  }

  @Test
  void server_watching_a_tenant_must_be_in_its_fleet() {
    Outcome outcome =
        badInput(
            LINUX,
            "server",
            "--name",
            "SERVERA",
            "--watch-tenant",
            "contoso.onmicrosoft.com",
            "--fleet",
            "SERVERB,SERVERC");
    assertTrue(outcome.err().contains("must include this server"), outcome.err());
  }

  @Test
  void watch_options_without_a_tenant_are_bad_input() {
    Outcome outcome = badInput(LINUX, "server", "--name", "SERVERA", "--fleet", "SERVERA,SERVERB");
    assertTrue(outcome.err().contains("--watch-tenant"), outcome.err());
  }

  @Test
  void server_refuses_a_script_timeout_longer_than_a_step_may_take() {
    badInput(LINUX, "server", "--name", "SERVERA", "--script-timeout-minutes", "11");
    badInput(LINUX, "server", "--name", "SERVERA", "--script-timeout-minutes", "0");
    badInput(LINUX, "server", "--name", "SERVERA", "--script-timeout-minutes", "ten");
  }

  @Test
  void server_refuses_an_executable_that_is_not_powershell() throws IOException {
    badInput(LINUX, "server", "--name", "SERVERA", "--powershell", "cmd.exe");
    // A name looked up on PATH is refused: only an absolute path.
    badInput(LINUX, "server", "--name", "SERVERA", "--powershell", "powershell.exe");
    badInput(
        LINUX, "server", "--name", "SERVERA", "--powershell", dir.resolve("nothing").toString());
    Path pwsh = executable("pwsh", "exit 0\n");
    Outcome seven = badInput(LINUX, "server", "--name", "SERVERA", "--powershell", pwsh.toString());
    assertTrue(seven.err().contains("Windows PowerShell 5.1"), seven.err());
  }

  @Test
  void server_on_windows_refuses_a_32_bit_java() {
    LocalMachine wow64 =
        new LocalMachine(
            "Windows Server 2019",
            Map.of(
                    "COMPUTERNAME", "SERVERA",
                    "SystemRoot", "C:\\Windows",
                    "PROCESSOR_ARCHITEW6432", "AMD64")
                ::get);
    Outcome outcome = badInput(wow64, "server", "--name", "SERVERA");
    assertTrue(outcome.err().contains("64-bit Java"), outcome.err());
  }

  @Test
  void server_refuses_a_sha1_thumbprint_as_certificate_hash() {
    Outcome outcome =
        badInput(
            LINUX,
            "server",
            "--name",
            "SERVERA",
            "--certificate-sha256",
            "E1475F4D5BCA1E7596CFF6A623347533ADF66165");
    assertTrue(outcome.err().contains("SHA-1 thumbprint"), outcome.err());
  }

  @Test
  void server_capture_runs_only_the_read_only_scripts_and_writes_their_raw_answers()
      throws IOException {
    Path calls = dir.resolve("calls.txt");
    Path fake =
        executable(
            "fake-powershell",
            "printf '%s\\n' \"$6\" >> '"
                + calls
                + "'\ncat > /dev/null\nprintf '%s\\n' 'WARNING: noise'"
                + " 'ABAFIX-ANSWER/1 {\"ok\":true,\"result\":{\"reads\":[]}}'\n");
    Path file = dir.resolve("capture.json");
    RecordingLauncher launcher = new RecordingLauncher();

    Outcome outcome =
        run(
            launcher,
            LINUX,
            "server",
            "--name",
            "SERVERA",
            "--powershell",
            fake.toString(),
            "--script-folder",
            dir.resolve("scripts").toString(),
            "--capture",
            file.toString());

    assertEquals(0, outcome.exitCode(), outcome.err());
    assertFalse(launcher.started(), "a capture never polls Temporal");
    com.fasterxml.jackson.databind.JsonNode captured =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(file.toFile());
    assertEquals("abafix-capture/1", captured.get("format").asText());
    assertEquals("SERVERA", captured.get("server").asText());
    List<String> scripts = new java.util.ArrayList<>();
    captured.get("runs").forEach(r -> scripts.add(r.get("script").asText()));
    assertEquals(List.of("Get-AbafixServerState.ps1", "Get-AbafixEvents.ps1"), scripts);
    assertTrue(captured.get("runs").get(0).get("stdout").asText().contains("ABAFIX-ANSWER/1 "));
    List<String> ran =
        Files.readAllLines(calls).stream().map(l -> Path.of(l).getFileName().toString()).toList();
    assertEquals(scripts, ran, "nothing but the read-only scripts ran");
  }

  @Test
  void server_capture_help_documents_the_capture() {
    Outcome outcome =
        run(new RecordingLauncher(), LINUX, "server", "--capture", "x.json", "--help");

    assertEquals(0, outcome.exitCode(), outcome.err());
    assertTrue(outcome.out().contains("--capture=FILE"), outcome.out());
    assertTrue(outcome.out().contains("read-only scripts"), outcome.out());
    assertTrue(outcome.out().contains("abafix-capture/1"), outcome.out());
    assertTrue(outcome.out().contains("no password or key"), outcome.out());
  }

  private Path executable(String name, String body) throws IOException {
    Path file = Files.writeString(dir.resolve(name), "#!/bin/sh\n" + body);
    file.toFile().setExecutable(true);
    return file;
  }

  @Test
  void server_on_its_own_windows_computer_polls_its_own_queue() {
    LocalMachine serverA =
        new LocalMachine(
            "Windows Server 2019",
            Map.of("COMPUTERNAME", "ServerA", "SystemRoot", "C:\\Windows")::get);
    RecordingLauncher launcher = new RecordingLauncher();
    Outcome outcome =
        run(
            launcher,
            serverA,
            "server",
            "--name",
            "SERVERA",
            "--tenant",
            "Contoso.onmicrosoft.com");
    assertEquals(0, outcome.exitCode(), outcome.err());
    assertEquals("abafix-server-servera@contoso.onmicrosoft.com", launcher.taskQueue);
    assertEquals("", outcome.err());
  }

  @Test
  void server_elsewhere_than_windows_warns_that_powershell_is_needed_and_still_starts() {
    RecordingLauncher launcher = new RecordingLauncher();
    Outcome outcome =
        run(launcher, LINUX, "server", "--name", "SERVERA", "--tenant", "contoso.onmicrosoft.com");
    assertEquals(0, outcome.exitCode(), outcome.err());
    assertEquals("abafix-server-servera@contoso.onmicrosoft.com", launcher.taskQueue);
    assertTrue(outcome.err().contains("warning: this is not Windows"), outcome.err());
  }

  @Test
  void directory_without_its_app_identity_is_bad_input() {
    badInput(LINUX, "directory", "--tenant-id", "contoso.onmicrosoft.com", "--client-id", APP_ID);
  }

  @Test
  void directory_refuses_a_tenant_or_client_id_of_the_wrong_shape() throws IOException {
    String cert = certificateFile("worker.pem").toString();
    badInput(
        LINUX,
        "directory",
        "--tenant-id",
        "not a tenant",
        "--client-id",
        APP_ID,
        "--certificate",
        cert);
    Outcome outcome =
        badInput(
            LINUX,
            "directory",
            "--tenant-id",
            "contoso.com",
            "--client-id",
            "abafix",
            "--certificate",
            cert);
    assertTrue(outcome.err().contains("--client-id abafix is not a GUID"), outcome.err());
  }

  @Test
  void directory_refuses_a_certificate_file_that_does_not_exist() {
    Outcome outcome =
        badInput(
            LINUX,
            "directory",
            "--tenant-id",
            APP_ID,
            "--client-id",
            APP_ID,
            "--certificate",
            dir.resolve("missing.pem").toString());
    assertTrue(outcome.err().contains("missing.pem does not exist"), outcome.err());
    badInput(
        LINUX,
        "directory",
        "--tenant-id",
        APP_ID,
        "--client-id",
        APP_ID,
        "--certificate",
        dir.toString());
  }

  @Test
  void directory_refuses_a_certificate_file_it_cannot_read() throws IOException {
    Path cert = certificateFile("worker.pem");
    assumeFalse(
        !Files.getFileStore(cert).supportsFileAttributeView("posix"), "needs POSIX permissions");
    Files.setPosixFilePermissions(cert, PosixFilePermissions.fromString("---------"));
    assumeFalse(Files.isReadable(cert), "this user (root?) reads any file");
    Outcome outcome =
        badInput(
            LINUX,
            "directory",
            "--tenant-id",
            APP_ID,
            "--client-id",
            APP_ID,
            "--certificate",
            cert.toString());
    assertTrue(outcome.err().contains("cannot read certificate file"), outcome.err());
  }

  @Test
  void directory_refuses_a_pfx_password_variable_that_is_not_set() throws IOException {
    String pfx = certificateFile("worker.pfx").toString();
    Outcome outcome =
        badInput(
            LINUX,
            "directory",
            "--tenant-id",
            APP_ID,
            "--client-id",
            APP_ID,
            "--certificate",
            pfx,
            "--pfx-password-env",
            "ABAFIX_PFX_PASSWORD");
    assertTrue(outcome.err().contains("ABAFIX_PFX_PASSWORD"), outcome.err());
    String pem = certificateFile("worker.pem").toString();
    LocalMachine withPassword = new LocalMachine("Linux", Map.of("ABAFIX_PFX_PASSWORD", "x")::get);
    badInput(
        withPassword,
        "directory",
        "--tenant-id",
        APP_ID,
        "--client-id",
        APP_ID,
        "--certificate",
        pem,
        "--pfx-password-env",
        "ABAFIX_PFX_PASSWORD");
  }

  @Test
  void directory_refuses_a_certificate_file_without_a_certificate() throws IOException {
    String pem = certificateFile("worker.pem").toString();
    Outcome outcome =
        badInput(
            LINUX, "directory", "--tenant-id", APP_ID, "--client-id", APP_ID, "--certificate", pem);
    assertTrue(outcome.err().contains("worker.pem"), outcome.err());
  }

  @Test
  void directory_refuses_a_graph_root_that_is_not_a_microsoft_cloud() throws IOException {
    String pem = certificateFile("worker.pem").toString();
    for (String url :
        List.of(
            "http://graph.example.com/v1.0",
            "https://graph.example.com/v1.0",
            "http://127.0.0.1:8080/v1.0",
            "https://graph.microsoft.com.example.com/v1.0")) {
      Outcome outcome =
          badInput(
              LINUX,
              "directory",
              "--tenant-id",
              APP_ID,
              "--client-id",
              APP_ID,
              "--certificate",
              pem,
              "--graph-base-url",
              url);
      assertTrue(outcome.err().contains("is not a Microsoft Graph cloud"), outcome.err());
    }
  }

  @Test
  void directory_takes_a_national_cloud_with_its_own_sign_in_host_and_scope() throws IOException {
    Path pem =
        io.abafix.lab.graph.TestCertificates.selfSigned("directory worker")
            .writePem(dir.resolve("worker.pem"));
    RecordingLauncher launcher = new RecordingLauncher();
    Outcome outcome =
        run(
            launcher,
            LINUX,
            "directory",
            "--tenant-id",
            "contoso.onmicrosoft.us",
            "--client-id",
            APP_ID,
            "--certificate",
            pem.toString(),
            "--graph-base-url",
            "https://graph.microsoft.us/v1.0");
    assertEquals(0, outcome.exitCode(), outcome.err());
    var config =
        io.abafix.activities.graph.GraphDirectoryConfig.of("t", APP_ID, pem)
            .withCloud(io.abafix.activities.graph.GraphCloud.US_GOV);
    assertEquals("https://graph.microsoft.us/.default", config.scope());
    assertEquals("https://login.microsoftonline.us", config.authorityHost().toString());
  }

  @Test
  void the_production_directory_worker_refuses_the_lab_identity_endpoint_as_unknown()
      throws IOException {
    String pem = certificateFile("worker.pem").toString();
    Outcome outcome =
        badInput(
            LINUX,
            "directory",
            "--tenant-id",
            APP_ID,
            "--client-id",
            APP_ID,
            "--certificate",
            pem,
            "--lab-identity-endpoint",
            "http://127.0.0.1:1");
    assertEquals(2, outcome.exitCode());
    assertTrue(outcome.err().contains("Unknown options: '--lab-identity-endpoint'"), outcome.err());
  }

  @Test
  void the_lab_entry_point_sends_the_directory_worker_to_a_loopback_graph_and_identity_endpoint()
      throws IOException {
    Path pem =
        io.abafix.lab.graph.TestCertificates.selfSigned("directory worker")
            .writePem(dir.resolve("worker.pem"));
    RecordingLauncher launcher = new RecordingLauncher();
    int code =
        LabWorkerMain.run(
            new String[] {
              "--lab-graph-base-url",
              "http://127.0.0.1:1/v1.0",
              "--lab-identity-endpoint",
              "http://127.0.0.1:1",
              "directory",
              "--tenant-id",
              "contoso.onmicrosoft.com",
              "--client-id",
              APP_ID,
              "--certificate",
              pem.toString(),
              "--approver-tenant-id",
              "8d2e1c4a-5b6f-4a70-9c8d-1e2f3a4b5c6d",
              "--approver-client-id",
              "3b7f0c1e-9d2a-4c5b-8e6f-a1b2c3d4e5f6"
            },
            launcher,
            LINUX,
            WorkerMainTest::offlineKeys);
    assertEquals(0, code);
    assertEquals("abafix-directory@contoso.onmicrosoft.com", launcher.taskQueue);
    assertThrows(
        IllegalArgumentException.class,
        () ->
            LabWorkerMain.run(
                new String[] {"--lab-identity-endpoint", "http://login.example.com", "directory"},
                launcher,
                LINUX,
                WorkerMainTest::offlineKeys));
  }

  @Test
  void the_lab_identity_endpoint_is_not_in_the_help() {
    Outcome outcome = run(new RecordingLauncher(), LINUX, "directory", "--help");
    assertTrue(outcome.out().contains("--graph-base-url"), outcome.out());
    assertFalse(outcome.out().contains("--lab-identity-endpoint"), outcome.out());
  }

  /** Two tenants: contoso names its approvers (a group among the role's holders); fabrikam not. */
  private Path tenantsFile() throws IOException {
    Path contoso =
        io.abafix.lab.graph.TestCertificates.selfSigned("contoso").writePem(dir.resolve("c.pem"));
    Path fabrikam =
        io.abafix.lab.graph.TestCertificates.selfSigned("fabrikam").writePem(dir.resolve("f.pem"));
    String json =
        """
        { "tenants": [
          { "id": "contoso.onmicrosoft.com", "displayName": "Contoso",
            "graph": { "clientId": "%s", "certificate": "%s" },
            "policy": { "approvers": { "tenantId": "0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d",
                                       "clientId": "3b7f0c1e-9d2a-4c5b-8e6f-a1b2c3d4e5f6",
                                       "appRole": "Contoso.Tier0",
                                       "group": "5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c" },
                        "twoPerson": true } },
          { "id": "fabrikam.onmicrosoft.com", "displayName": "Fabrikam",
            "graph": { "clientId": "%s", "certificate": "%s" } } ] }
        """
            .formatted(APP_ID, contoso, APP_ID, fabrikam);
    return Files.writeString(dir.resolve("tenants.json"), json);
  }

  @Test
  void a_tenants_file_starts_one_directory_worker_per_tenant_each_trusting_its_own_approvers()
      throws IOException {
    RecordingLauncher launcher = new RecordingLauncher();
    Outcome outcome = run(launcher, LINUX, "directory", "--tenants", tenantsFile().toString());

    assertEquals(0, outcome.exitCode(), outcome.err());
    assertTrue(
        outcome
            .out()
            .contains(
                "tenant contoso.onmicrosoft.com (Contoso):"
                    + " abafix-directory@contoso.onmicrosoft.com, approvers of tenant"
                    + " 0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d with app role Contoso.Tier0 in group"
                    + " 5e4d3c2b-1a09-4f8e-8d7c-6b5a4f3e2d1c, two-person"),
        outcome.out());
    // fabrikam names none: the worker's own --approver-* apply
    assertTrue(
        outcome
            .out()
            .contains(
                "tenant fabrikam.onmicrosoft.com (Fabrikam):"
                    + " abafix-directory@fabrikam.onmicrosoft.com, approvers of tenant"
                    + " 8d2e1c4a-5b6f-4a70-9c8d-1e2f3a4b5c6d with app role Abafix.Approver\n"),
        outcome.out());
  }

  @Test
  void a_tenant_whose_approvers_nobody_names_stops_the_whole_deployment_from_starting()
      throws IOException {
    RecordingLauncher launcher = new RecordingLauncher();
    Outcome outcome =
        runAsGiven(launcher, LINUX, "directory", "--tenants", tenantsFile().toString());

    assertEquals(ErrorHandler.BAD_INPUT, outcome.exitCode(), outcome.err());
    assertTrue(
        outcome.err().contains("tenant fabrikam.onmicrosoft.com: whose sign-ins approve?"),
        outcome.err());
    assertFalse(launcher.started(), "no tenant polls while one is misconfigured");
  }

  @Test
  void the_orchestrator_reads_each_tenants_policy_from_the_tenants_file_and_refuses_a_bad_one()
      throws IOException {
    Path keyFile = dir.resolve("audit.key");
    Files.writeString(
        keyFile,
        io.abafix.workflows.audit.AuditSigning.privateKeyPem(
            io.abafix.workflows.audit.AuditSigning.newKeyPair().getPrivate()));
    Files.setPosixFilePermissions(
        keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    LocalMachine machine =
        new LocalMachine("Linux", Map.of("ABAFIX_AUDIT_SIGNING_KEY_FILE", keyFile.toString())::get);
    RecordingLauncher launcher = new RecordingLauncher();
    Outcome good = run(launcher, machine, "orchestrator", "--tenants", tenantsFile().toString());
    assertEquals(0, good.exitCode(), good.err());
    assertEquals("abafix-orchestrator", launcher.taskQueue);

    Path bad =
        Files.writeString(
            dir.resolve("bad.json"),
            Files.readString(tenantsFile()).replace("\"twoPerson\"", "\"twoPersons\""));
    RecordingLauncher refused = new RecordingLauncher();
    Outcome outcome = run(refused, machine, "orchestrator", "--tenants", bad.toString());
    outcome.isBadInput();
    assertTrue(outcome.err().contains("unknown field 'twoPersons'"), outcome.err());
    assertFalse(refused.started());
  }

  /** A verifier with no keys: these workers never see a proof, and nothing goes to Entra ID. */
  static io.abafix.activities.approval.IdTokenVerifier offlineKeys(
      io.abafix.activities.approval.ApprovalTrust trust) {
    return new io.abafix.activities.approval.IdTokenVerifier(
        trust,
        new com.nimbusds.jose.jwk.source.ImmutableJWKSet<>(new com.nimbusds.jose.jwk.JWKSet()),
        java.time.Clock.systemUTC());
  }

  @Test
  void a_worker_that_cannot_fetch_the_approvers_keys_refuses_to_start_naming_host_and_proxy() {
    RecordingLauncher launcher = new RecordingLauncher();
    CommandLine cmd =
        WorkerMain.commandLine(
            launcher,
            LINUX,
            trust -> {
              try {
                return io.abafix.activities.approval.IdTokenVerifier.fetching(
                    trust, java.net.URI.create("http://127.0.0.1:1/keys").toURL());
              } catch (java.net.MalformedURLException e) {
                throw new AssertionError(e);
              }
            },
            java.util.function.UnaryOperator.identity());
    StringWriter err = new StringWriter();
    cmd.setErr(new PrintWriter(err, true));
    List<String> args = new ArrayList<>(List.of("server"));
    args.addAll(APPROVERS);
    args.addAll(List.of("--name", "SERVERA", "--tenant", "contoso.onmicrosoft.com"));
    int code = cmd.execute(args.toArray(String[]::new));
    assertEquals(2, code, err.toString());
    assertTrue(err.toString().contains("127.0.0.1"), err.toString());
    assertTrue(err.toString().contains("-Dhttps.proxyHost"), err.toString());
    assertEquals(null, launcher.taskQueue, "nothing started");
  }
}
