package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped scenarios about what a sync server must hold before anything changes, through {@code
 * abafix demo --scenario NAME --json} as a user runs them.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServerScenariosTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  @Timeout(120)
  void no_credential_file_is_blocked_naming_the_server_and_the_file(@TempDir Path dir)
      throws Exception {
    CommandLineRun run =
        CommandLineRun.of(
            "demo",
            "--scenario",
            "no-credential-file",
            "--json",
            "--audit-out",
            dir.resolve("audit.jsonl").toString());
    assertEquals(ErrorHandler.RUN_FAILED, run.exitCode(), run.err());
    JsonNode summary = JSON.readTree(run.out());

    assertEquals("BLOCKED", summary.path("outcome").asText(), summary.toString());
    String reason = summary.path("reason").asText();
    assertTrue(reason.contains("SERVERA"), reason);
    assertTrue(reason.contains("hybrid-identity-admin.xml"), reason);
    assertTrue(reason.contains("nothing was paused"), reason);
    for (JsonNode s : summary.path("servers")) {
      assertTrue(s.path("syncCycleEnabled").asBoolean(), "not paused: " + s);
      assertEquals("Application", s.path("identityType").asText(), "identity unchanged: " + s);
    }
    assertEquals(1, summary.path("applications").size(), "nothing deleted: " + summary);
  }
}
