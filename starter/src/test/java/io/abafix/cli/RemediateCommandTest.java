package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.lab.Lab;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.Timings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code abafix remediate}: bad input is refused before anything is started. Every refusal here is
 * made with {@code --address} pointing at a port where nothing listens, so a message about the
 * input (rather than about Temporal or a payload key) shows the check came before any connection.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RemediateCommandTest {
  private static final String TENANT = "contoso.onmicrosoft.com";
  private static final String REFERENCE = "clixml:C:\\ProgramData\\abafix\\hia.xml";

  private static String nobodyListens;

  @TempDir Path dir;

  @BeforeAll
  static void findAPortWhereNothingListens() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      nobodyListens = "127.0.0.1:" + s.getLocalPort();
    }
  }

  private static CommandLineRun remediate(String... args) {
    List<String> all = new ArrayList<>(List.of("remediate", "--address", nobodyListens));
    all.addAll(List.of(args));
    return CommandLineRun.of(all.toArray(String[]::new));
  }

  /** Quotes, a command separator, a subshell, a space, and 16 characters (NetBIOS allows 15). */
  @ParameterizedTest(name = "[{0}]")
  @ValueSource(strings = {"SERVER\"A", "SERVER;A", "SRV$(whoami)", "SERVER A", "SERVERABCDEFGHIJ"})
  void a_server_name_windows_could_not_have_is_refused_in_one_line_with_exit_code_2(String name) {
    CommandLineRun run =
        remediate(
            "--tenant",
            TENANT,
            "--server",
            "SERVERA",
            "--server",
            name,
            "--credential-ref",
            REFERENCE);

    run.assertRefused(ErrorHandler.BAD_INPUT, name);
  }

  @Test
  void a_server_named_twice_is_refused() {
    CommandLineRun run =
        remediate(
            "--tenant",
            TENANT,
            "--server",
            "SERVERA",
            "--server",
            "servera",
            "--credential-ref",
            REFERENCE);

    run.assertRefused(ErrorHandler.BAD_INPUT, "named twice");
  }

  @Test
  void a_run_without_a_credential_reference_is_refused_saying_where_it_must_be() {
    CommandLineRun run =
        remediate("--tenant", TENANT, "--server", "SERVERA", "--server", "SERVERB");

    run.assertRefused(ErrorHandler.BAD_INPUT, "--credential-ref", "stored on each server");
  }

  @Test
  void neither_options_nor_a_request_file_is_refused() {
    CommandLineRun run = remediate("--credential-ref", REFERENCE);

    run.assertRefused(ErrorHandler.BAD_INPUT, "--tenant", "--request");
  }

  @Test
  void a_request_file_that_is_not_json_is_refused_naming_the_file() throws IOException {
    Path file = Files.writeString(dir.resolve("request.json"), "{\"tenant\": \"contoso\",");

    CommandLineRun run = remediate("--request", file.toString());

    run.assertRefused(ErrorHandler.BAD_INPUT, "request.json", "line");
  }

  @Test
  void a_request_file_with_an_unknown_field_is_refused_naming_it() throws IOException {
    Path file =
        request(
            "{\"tenant\": \"%s\", \"servers\": [\"SERVERA\"], \"credentialReference\": \"%s\","
                + " \"dryrun\": true}");

    CommandLineRun run = remediate("--request", file.toString());

    run.assertRefused(ErrorHandler.BAD_INPUT, "unknown field 'dryrun'", "dryRun");
  }

  @Test
  void a_request_file_with_no_servers_is_an_empty_fleet_and_refused() throws IOException {
    Path file = request("{\"tenant\": \"%s\", \"servers\": [], \"credentialReference\": \"%s\"}");

    CommandLineRun run = remediate("--request", file.toString());

    run.assertRefused(ErrorHandler.BAD_INPUT, "servers is empty");
  }

  @Test
  void a_request_file_naming_a_server_windows_could_not_have_is_refused() throws IOException {
    Path file =
        request(
            "{\"tenant\": \"%s\", \"servers\": [\"SERVERA\", \"B;rm\"],"
                + " \"credentialReference\": \"%s\"}");

    CommandLineRun run = remediate("--request", file.toString());

    run.assertRefused(ErrorHandler.BAD_INPUT, "B;rm");
  }

  @Test
  void a_request_file_and_the_options_it_replaces_together_are_refused() throws IOException {
    Path file = request("{\"tenant\": \"%s\", \"servers\": [\"SERVERA\"]}");

    CommandLineRun run = remediate("--request", file.toString(), "--tenant", TENANT);

    run.assertRefused(ErrorHandler.BAD_INPUT, "not both");
  }

  /**
   * The one-per-tenant rule: the second start, while the first run waits for its first approval, is
   * refused with the first run's ids.
   */
  @Test
  @Timeout(120)
  void a_second_remediation_for_the_tenant_is_refused_with_the_running_ones_id() {
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);
    RemediationRequest request =
        new RemediationRequest(
            lab.tenantDomain(),
            lab.serverNames(),
            Scenario.fromResource("seed-pair").servers().get(0).credentialReferences().get(0),
            null,
            false,
            new ApprovalPolicy(true, false, 600),
            new Timings(60, 1, 60, 30),
            "alice");
    try (DemoEnvironment env = DemoEnvironment.start(lab)) {
      WorkflowClient client = env.client();
      String id = RemediateCommand.start(client, request);
      WorkflowStub first = client.newUntypedWorkflowStub(id);
      String runId = first.describe().getExecution().getRunId();
      awaitApprovalGate(client, id);

      UserError refused =
          assertThrows(UserError.class, () -> RemediateCommand.start(client, request));

      assertTrue(refused.getMessage().contains(id), refused.getMessage());
      assertTrue(refused.getMessage().contains(runId), refused.getMessage());
      assertEquals(
          runId,
          client.newUntypedWorkflowStub(id).describe().getExecution().getRunId(),
          "the first run goes on");
      first.terminate("test over");
    }
  }

  /** Contoso by its initial domain, and by its tenant id as an alias. */
  private static final String TENANT_ID = "0c9b8a7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d";

  private Path tenantsFile() throws IOException {
    return Files.writeString(
        dir.resolve("tenants.json"),
        """
        { "tenants": [
            { "id": "contoso.onmicrosoft.com",
              "aliases": ["%s"],
              "displayName": "Contoso",
              "graph": { "clientId": "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b",
                         "certificate": "/etc/abafix/contoso.pem" } } ] }
        """
            .formatted(TENANT_ID));
  }

  /** The request {@code abafix remediate} would start with these options; nothing is contacted. */
  private static RemediationRequest requestOf(String... args) {
    List<String> all = new ArrayList<>(List.of("remediate"));
    all.addAll(List.of(args));
    picocli.CommandLine cli = Abafix.commandLine(picocli.CommandLine.defaultFactory());
    picocli.CommandLine.ParseResult parsed = cli.parseArgs(all.toArray(String[]::new));
    return ((RemediateCommand) parsed.subcommand().commandSpec().userObject()).request();
  }

  @Test
  void the_tenant_typed_as_its_domain_or_its_tenant_id_is_one_workflow_id() throws IOException {
    String file = tenantsFile().toString();
    List<String> ids = new ArrayList<>();
    for (String typed :
        List.of(TENANT, TENANT_ID, TENANT_ID.toUpperCase(), "Contoso.OnMicrosoft.com")) {
      RemediationRequest r =
          requestOf(
              "--tenants",
              file,
              "--tenant",
              typed,
              "--server",
              "SERVERA",
              "--credential-ref",
              REFERENCE);
      assertEquals(TENANT, r.tenant(), "the tenant runs under its id, typed as " + typed);
      ids.add(io.abafix.workflows.WorkflowIds.remediation(r.tenant()));
    }
    assertEquals(List.of("abafix-remediation-" + TENANT), ids.stream().distinct().toList());

    // A request file names the tenant the same way.
    Path request =
        Files.writeString(
            dir.resolve("by-id.json"),
            String.format(
                "{\"tenant\": \"%s\", \"servers\": [\"SERVERA\"], \"credentialReference\":"
                    + " \"%s\"}",
                TENANT_ID, REFERENCE.replace("\\", "\\\\")));
    assertEquals(TENANT, requestOf("--tenants", file, "--request", request.toString()).tenant());
  }

  @Test
  void without_a_tenants_file_the_tenant_is_run_as_typed() {
    RemediationRequest r =
        requestOf("--tenant", TENANT_ID, "--server", "SERVERA", "--credential-ref", REFERENCE);
    assertEquals(TENANT_ID, r.tenant());
  }

  @Test
  void a_tenant_the_tenants_file_does_not_list_is_refused_naming_the_file_and_what_it_lists()
      throws IOException {
    Path file = tenantsFile();
    CommandLineRun run =
        remediate(
            "--tenants",
            file.toString(),
            "--tenant",
            "fabrikam.onmicrosoft.com",
            "--server",
            "SERVERA",
            "--credential-ref",
            REFERENCE);

    run.assertRefused(
        ErrorHandler.BAD_INPUT,
        "--tenants " + file,
        "tenant fabrikam.onmicrosoft.com is not in the tenants file",
        TENANT + " (also " + TENANT_ID + ")",
        "nothing was started");
  }

  @Test
  void a_repair_of_a_tenant_the_tenants_file_does_not_list_is_refused() throws IOException {
    Path file = tenantsFile();
    CommandLineRun run =
        CommandLineRun.of(
            "repair",
            "--address",
            nobodyListens,
            "--tenants",
            file.toString(),
            "--tenant",
            "fabrikam.onmicrosoft.com",
            "--server",
            "SERVERA");

    run.assertRefused(
        ErrorHandler.BAD_INPUT, "tenant fabrikam.onmicrosoft.com is not in the tenants file");
  }

  private static void awaitApprovalGate(WorkflowClient client, String id) {
    SharedAppRemediationWorkflow run =
        client.newWorkflowStub(SharedAppRemediationWorkflow.class, id);
    long deadline = System.currentTimeMillis() + 60_000;
    while (run.progress().pendingApproval() == null) {
      if (System.currentTimeMillis() > deadline) throw new AssertionError("no approval asked");
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  private Path request(String template) throws IOException {
    String json = String.format(template, TENANT, REFERENCE.replace("\\", "\\\\"));
    return Files.writeString(dir.resolve("request.json"), json);
  }
}
