package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.lab.Lab;
import io.abafix.lab.LabSnapshot;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code abafix demo}: the whole product in one process, as a user runs it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DemoCommandTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final KeptLab kept = new KeptLab();

  @Test
  @Timeout(120)
  void demo_of_the_cloned_pair_prints_one_json_summary_and_a_journal_that_shows_any_edit(
      @TempDir Path dir) throws Exception {
    Path audit = dir.resolve("audit.jsonl");

    CommandLineRun run =
        CommandLineRun.of(
            "demo", "--scenario", "cloned-pair", "--json", "--audit-out", audit.toString());

    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = JSON.readTree(run.out());
    assertTrue(summary.isObject(), run.out());
    assertEquals(1, run.out().strip().lines().count(), "one line on stdout: " + run.out());
    assertEquals("SUCCEEDED", summary.path("outcome").asText(), run.err());
    assertTrue(
        run.err().contains("approved by alice@contoso.onmicrosoft.com (verified)"),
        "each destructive step names the approver its worker verified: " + run.err());
    assertTrue(summary.path("applications").isArray(), run.out());
    JsonNode servers = summary.path("servers");
    assertEquals(2, servers.size(), run.out());
    Set<String> machineIds = new HashSet<>();
    Set<String> appIds = new HashSet<>();
    for (JsonNode s : servers) {
      assertEquals("Application", s.path("identityType").asText(), s.toString());
      machineIds.add(s.path("machineId").asText());
      appIds.add(s.path("applicationId").asText());
    }
    assertEquals(2, machineIds.size(), "distinct machine ids: " + servers);
    assertEquals(2, appIds.size(), "distinct apps: " + servers);

    String keyId =
        io.abafix.workflows.audit.AuditSigning.keyId(
            io.abafix.workflows.audit.AuditSigning.readPublicKey(Path.of(audit + ".pub")));
    assertTrue(
        run.err().contains("; signed by key id " + keyId),
        "the key that verifies the journal is named, to compare with later: " + run.err());
    assertTrue(run.err().contains("--expect-key-id " + keyId), run.err());

    List<String> lines = Files.readAllLines(audit, StandardCharsets.UTF_8);
    assertFalse(lines.isEmpty(), "the journal was written");
    assertNull(AuditExport.firstBrokenLine(lines), "the chain is intact");

    int edited = lines.size() / 2;
    ObjectNode entry = (ObjectNode) JSON.readTree(lines.get(edited));
    entry.put("actor", "mallory");
    List<String> tampered = new ArrayList<>(lines);
    tampered.set(edited, JSON.writeValueAsString(entry));
    assertEquals(edited + 1, AuditExport.firstBrokenLine(tampered), "the edited line is found");
  }

  @Test
  @Timeout(120)
  void demo_of_a_long_log_with_old_conflict_events_succeeds_and_counts_only_recent_ones(
      @TempDir Path dir) throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    Lab lab = Lab.loadResource("long-log", System::currentTimeMillis);
    assertEquals(450, lab.events("SERVERB").size(), "the scenario's log");
    long old906 =
        lab.events("SERVERB").stream()
            .filter(e -> e.eventId() == 906 && e.message().contains("AADSTS700027"))
            .count();
    assertEquals(41, old906, "40 old conflict events and the current one");

    CommandLineRun run =
        CommandLineRun.of(
            "demo", "--scenario", "long-log", "--json", "--audit-out", audit.toString());

    assertEquals(0, run.exitCode(), run.err());
    assertEquals("SUCCEEDED", JSON.readTree(run.out()).path("outcome").asText(), run.err());
    Map<String, String> counted = new java.util.TreeMap<>();
    for (String line : Files.readAllLines(audit, StandardCharsets.UTF_8)) {
      JsonNode e = JSON.readTree(line);
      if (e.path("step").asText().equals("PREFLIGHT")
          && e.path("after").has("aadsts700027Events")) {
        counted.put(e.path("target").asText(), e.path("after").path("aadsts700027Events").asText());
      }
    }
    assertEquals(Map.of("SERVERA", "0", "SERVERB", "1"), counted, "preflight counts the last day");
  }

  @Test
  void an_unknown_scenario_is_refused_in_one_line_with_exit_code_2() {
    CommandLineRun run = CommandLineRun.of("demo", "--scenario", "no-such");

    run.assertRefused(ErrorHandler.BAD_INPUT, "no-such", "seed-pair");
  }

  // ---- bad input: refused before anything starts, the lab untouched --------------------------

  @Test
  void several_scenarios_of_one_tenant_or_with_one_scenarios_options_are_refused() {
    CommandLineRun.of("demo", "--scenario", "seed-pair", "--scenario", "cloned-pair")
        .assertRefused(ErrorHandler.BAD_INPUT, "contoso.onmicrosoft.com twice");
    CommandLineRun.of(
            "demo", "--scenario", "seed-pair", "--scenario", "fabrikam-pair", "--server", "SERVERA")
        .assertRefused(ErrorHandler.BAD_INPUT, "--server");
    CommandLineRun.of("demo", "--scenario", "seed-pair", "--scenario", "rotation-breaks-a")
        .assertRefused(ErrorHandler.BAD_INPUT, "incident flow");
  }

  @Test
  void a_scenario_file_that_is_not_json_is_refused_naming_the_file(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("broken.json"), "{ \"tenant\": { \"domain\": ");

    CommandLineRun run = kept.run("demo", "--scenario", file.toString());

    run.assertRefused(ErrorHandler.BAD_INPUT, "broken.json");
    kept.assertNoLab();
  }

  @Test
  void a_scenario_with_no_servers_is_an_empty_fleet_and_refused(@TempDir Path dir)
      throws Exception {
    ObjectNode scenario = shipped("seed-pair");
    scenario.putArray("servers");
    Path file = write(dir, "no-servers", scenario);

    CommandLineRun run = kept.run("demo", "--scenario", file.toString());

    run.assertRefused(ErrorHandler.BAD_INPUT, "at least one server");
    kept.assertNoLab();
  }

  @Test
  void an_address_that_is_not_host_and_port_is_refused_before_the_lab_is_read() {
    CommandLineRun run = kept.run("demo", "--address", "localhost");

    run.assertRefused(ErrorHandler.BAD_INPUT, "--address", "HOST:PORT");
    kept.assertNoLab();
  }

  @Test
  void a_key_file_without_an_address_is_refused() {
    CommandLineRun run = kept.run("demo", "--encryption-key-file", "abafix.key");

    run.assertRefused(ErrorHandler.BAD_INPUT, "--encryption-key-file", "--address");
    kept.assertNoLab();
  }

  @Test
  void a_server_the_scenario_does_not_have_is_refused_naming_the_ones_it_has() {
    CommandLineRun run = kept.run("demo", "--scenario", "seed-pair", "--server", "SERVERZ");

    run.assertRefused(ErrorHandler.BAD_INPUT, "SERVERZ", "SERVERA, SERVERB");
    kept.assertUntouched();
  }

  @Test
  void a_server_named_twice_is_refused() {
    CommandLineRun run =
        kept.run("demo", "--scenario", "seed-pair", "--server", "SERVERA", "--server", "servera");

    run.assertRefused(ErrorHandler.BAD_INPUT, "named twice");
    kept.assertUntouched();
  }

  @Test
  void a_fleet_with_nothing_to_fix_is_refused_with_its_own_exit_code() {
    CommandLineRun run = kept.run("demo", "--scenario", "healthy-fleet");

    run.assertRefused(ErrorHandler.NOTHING_TO_FIX, "nothing to fix", "nothing was started");
    kept.assertUntouched();
  }

  @Test
  void one_server_of_a_shared_pair_alone_has_nothing_to_fix() {
    CommandLineRun run = kept.run("demo", "--scenario", "seed-pair", "--server", "SERVERA");

    run.assertRefused(ErrorHandler.NOTHING_TO_FIX, "nothing to fix", "(SERVERA)");
    kept.assertUntouched();
  }

  @Test
  void a_subset_that_leaves_out_the_server_holding_the_shared_key_is_refused() {
    CommandLineRun run =
        kept.run(
            "demo",
            "--scenario",
            "three-server-fleet",
            "--server",
            "SERVERB",
            "--server",
            "SERVERC");

    run.assertRefused(ErrorHandler.BAD_INPUT, "outside this run", "name every server");
    kept.assertUntouched();
  }

  @Test
  void a_scenario_whose_servers_list_no_credential_reference_is_refused(@TempDir Path dir)
      throws Exception {
    ObjectNode scenario = shipped("seed-pair");
    scenario.get("servers").forEach(s -> ((ObjectNode) s).remove("credentialReferences"));
    Path file = write(dir, "no-credential", scenario);

    CommandLineRun run = kept.run("demo", "--scenario", file.toString());

    run.assertRefused(ErrorHandler.BAD_INPUT, "no credential reference", "SERVERA");
    kept.assertUntouched();
  }

  @Test
  void a_credential_reference_that_does_not_resolve_on_the_servers_is_refused() {
    CommandLineRun run =
        kept.run(
            "demo",
            "--scenario",
            "seed-pair",
            "--credential-ref",
            "clixml:D:\\elsewhere\\admin.xml");

    run.assertRefused(
        ErrorHandler.BAD_INPUT, "clixml:D:\\elsewhere\\admin.xml", "does not resolve on SERVERA");
    kept.assertUntouched();
  }

  @Test
  void the_incident_flow_refuses_a_subset_of_servers() {
    CommandLineRun run = kept.run("demo", "--scenario", "rotation-breaks-a", "--server", "SERVERA");

    run.assertRefused(ErrorHandler.BAD_INPUT, "incident flow", "--server");
    kept.assertUntouched();
  }

  @Test
  @Timeout(120)
  void a_subset_of_the_scenario_is_planned_on_its_own() {
    // SERVERB is locked out of the app it shared with SERVERA: alone, it gets an app of its own
    // and SERVERA, which still signs in with the shared app, is left alone.
    CommandLineRun run =
        CommandLineRun.of("demo", "--scenario", "seed-pair", "--server", "SERVERB", "--dry-run");

    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("(SERVERB)"), run.out());
    assertTrue(run.out().contains("DRY_RUN"), run.out());
    assertTrue(run.out().contains("CONFIGURE_ABA              SERVERB"), run.out());
    assertFalse(
        run.out().matches("(?s).*phase \\d  \\S+\\s+SERVERA .*"),
        "no step on SERVERA: " + run.out());
    assertFalse(run.out().contains("DELETE_APPLICATIONS"), run.out());
  }

  /** Builds the demo over a lab the test keeps, to show afterwards that nothing touched it. */
  private static final class KeptLab implements CommandLine.IFactory {
    private Lab lab;
    private LabSnapshot before;

    @Override
    public <K> K create(Class<K> cls) throws Exception {
      if (cls != DemoCommand.class) return CommandLine.defaultFactory().create(cls);
      return cls.cast(
          new DemoCommand(
              name -> {
                lab = ScenarioLoader.load(name);
                before = lab.snapshot();
                return lab;
              }));
    }

    CommandLineRun run(String... args) {
      return CommandLineRun.with(this, args);
    }

    void assertNoLab() {
      assertNull(lab, "no lab was built");
    }

    /** Same state as loaded, no effect, and no port of the lab was even called. */
    void assertUntouched() {
      assertNotNull(lab, "the scenario was loaded");
      assertEquals(before, lab.snapshot());
      assertEquals(Map.of(), lab.effectCounts());
      assertEquals(List.of(), lab.faults().reached(), "nothing read the lab");
    }
  }

  private static ObjectNode shipped(String name) throws Exception {
    try (InputStream in =
        DemoCommandTest.class.getClassLoader().getResourceAsStream("scenarios/" + name + ".json")) {
      return (ObjectNode) JSON.readTree(in);
    }
  }

  private static Path write(Path dir, String name, ObjectNode scenario) throws Exception {
    scenario.put("name", name);
    return Files.writeString(dir.resolve(name + ".json"), JSON.writeValueAsString(scenario));
  }
}
