package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped two-person scenarios, through {@code abafix demo --scenario NAME --json} as a user
 * runs them: one person signs the start in, and either someone else approves or nobody does.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class TwoPersonScenariosTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @Timeout(120)
  void carol_starts_alice_approves_and_the_run_succeeds(@TempDir Path dir) throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    JsonNode summary = demo("two-person", audit, 0);

    assertEquals("SUCCEEDED", summary.path("outcome").asText(), summary.toString());
    String journal = Files.readString(audit);
    assertTrue(journal.contains("\"START_VERIFIED\""), "the start was proven");
    assertTrue(
        journal.contains("\"requestedBy\":\"carol@contoso.onmicrosoft.com (verified)\""),
        "each step names the verified requester");
  }

  @Test
  @Timeout(120)
  void alice_approving_her_own_run_is_refused_and_it_ends_blocked_with_nothing_changed(
      @TempDir Path dir) throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    JsonNode summary = demo("two-person-self-approval", audit, ErrorHandler.RUN_FAILED);

    assertEquals("BLOCKED", summary.path("outcome").asText(), summary.toString());
    String reason = summary.path("reason").asText();
    assertTrue(reason.contains("two-person rule"), reason);
    assertTrue(reason.contains("nothing was paused"), reason);
    for (JsonNode s : summary.path("servers")) {
      assertTrue(s.path("syncCycleEnabled").asBoolean(), "never paused: " + s);
      assertEquals("Application", s.path("identityType").asText(), "identity unchanged: " + s);
    }
    assertEquals(1, summary.path("applications").size(), "nothing deleted: " + summary);
    String journal = Files.readString(audit);
    assertTrue(journal.contains("\"APPROVAL_REFUSED\""), "the refused approval is recorded");
    assertTrue(!journal.contains("\"PAUSE_SCHEDULER\""), "no pause was even tried");
  }

  /**
   * With --fast: the destructive steps then act on the servers' workers, which verify the
   * two-person start themselves and name the verified requester in what they record (a step a
   * person does instead is checked on the server by the run, which verified the start up front).
   */
  private static JsonNode demo(String scenario, Path audit, int exitCode) throws Exception {
    CommandLineRun run =
        CommandLineRun.of(
            "demo", "--scenario", scenario, "--fast", "--json", "--audit-out", audit.toString());
    assertEquals(exitCode, run.exitCode(), run.err());
    return JSON.readTree(run.out());
  }
}
