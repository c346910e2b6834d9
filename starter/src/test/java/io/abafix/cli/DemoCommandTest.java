package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code abafix demo}: the whole product in one process, as a user runs it. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DemoCommandTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
  void an_unknown_scenario_is_refused_in_one_line_with_exit_code_2() {
    CommandLineRun run = CommandLineRun.of("demo", "--scenario", "no-such");

    assertEquals(2, run.exitCode(), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("no-such"), run.err());
    assertNotEquals("", run.err().strip());
  }
}
