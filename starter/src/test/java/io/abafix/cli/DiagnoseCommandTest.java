package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DiagnoseCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Abafix.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void the_cloned_pair_reports_the_duplicated_machine_id_with_both_servers_named() {
    int code = run("diagnose", "--scenario", "cloned-pair");

    assertEquals(0, code, err.toString());
    String text = out.toString();
    assertTrue(
        text.lines()
            .anyMatch(l -> l.contains("DUPLICATE_MACHINE_ID") && l.contains("SERVERA, SERVERB")),
        text);
    assertTrue(text.contains("share SyncMachineIdentifier 5c0e8d2a91f64b7e9d3a0c1b2e4f6a88"), text);
    assertTrue(text.contains("recommended: "), text);
  }

  @Test
  void a_healthy_fleet_reports_nothing_to_fix() {
    int code = run("diagnose", "--scenario", "healthy-fleet");

    assertEquals(0, code, err.toString());
    assertTrue(out.toString().contains("nothing to fix"), out.toString());
  }

  @Test
  void json_output_carries_each_finding_with_its_evidence() throws Exception {
    int code = run("diagnose", "--scenario", "cloned-pair", "--json");

    assertEquals(0, code, err.toString());
    JsonNode d = new ObjectMapper().readTree(out.toString());
    assertEquals(false, d.get("healthy").booleanValue());
    JsonNode first = d.get("findings").get(0);
    assertEquals("DUPLICATE_MACHINE_ID", first.get("kind").textValue());
    assertEquals("SERVERA", first.get("servers").get(0).textValue());
    assertEquals("SERVERB", first.get("servers").get(1).textValue());
    assertEquals("SHARED_APP_REMEDIATION", first.get("remedy").textValue());
  }

  @Test
  void fail_on_findings_gives_a_distinct_exit_code_only_when_something_was_found() {
    assertEquals(
        DiagnoseCommand.FINDINGS,
        run("diagnose", "--scenario", "cloned-pair", "--fail-on-findings"));
    assertEquals(0, run("diagnose", "--scenario", "healthy-fleet", "--fail-on-findings"));
  }

  @Test
  void diagnose_reports_what_a_remediation_would_be_blocked_by_with_its_fix() throws Exception {
    int code = run("diagnose", "--scenario", "not-owner", "--json");

    assertEquals(0, code, err.toString());
    JsonNode d = new ObjectMapper().readTree(out.toString());
    JsonNode missing = null;
    for (JsonNode f : d.get("findings")) {
      if (f.get("kind").textValue().equals("DIRECTORY_PREREQUISITE_MISSING")) missing = f;
    }
    assertTrue(missing != null, "the missing ownership is a finding: " + d);
    assertTrue(
        missing.toString().contains("ConnectSyncProvisioning_SERVERA_3f1c9a2b7d4e")
            && missing.toString().contains("owners/$ref"),
        missing.toString());
  }

  @Test
  void an_unknown_scenario_is_bad_input() {
    assertEquals(ErrorHandler.BAD_INPUT, run("diagnose", "--scenario", "no-such-scenario"));
  }
}
