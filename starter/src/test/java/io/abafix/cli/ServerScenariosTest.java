package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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

  /** The app every seed-pair server shared, which the remediation deletes. */
  private static final String SHARED_APP = "abdc652a-160c-469e-b31a-70b29e8cf3a8";

  private record Ran(JsonNode summary, List<JsonNode> journal) {
    JsonNode window(String server) {
      for (JsonNode w : summary.path("pausedWindows")) {
        if (w.path("server").asText().equals(server)) return w;
      }
      throw new AssertionError("no paused window for " + server + ": " + summary);
    }

    /** When the last server's application identity was verified, from the journal. */
    String lastVerified() {
      String last = "";
      for (JsonNode e : journal) {
        if (e.path("step").asText().equals("VERIFY_APPLICATION")) {
          last = e.path("endedAtUtc").asText();
        }
      }
      return last;
    }
  }

  private static Ran succeeded(String scenario, Path dir) throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    CommandLineRun run =
        CommandLineRun.of(
            "demo", "--scenario", scenario, "--json", "--audit-out", audit.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = JSON.readTree(run.out());
    assertEquals("SUCCEEDED", summary.path("outcome").asText(), summary.toString());
    // The right final state: each server syncing on an app of its own; the shared app gone.
    Set<String> apps = new HashSet<>();
    for (JsonNode s : summary.path("servers")) {
      assertEquals("Application", s.path("identityType").asText(), s.toString());
      assertTrue(s.path("syncCycleEnabled").asBoolean(), "resumed: " + s);
      assertNotEquals(SHARED_APP, s.path("applicationId").asText(), s.toString());
      assertTrue(apps.add(s.path("applicationId").asText()), "an app of its own: " + summary);
    }
    for (JsonNode a : summary.path("applications")) {
      assertNotEquals(SHARED_APP, a.path("appId").asText(), "the shared app is deleted");
    }
    List<JsonNode> journal = new ArrayList<>();
    for (String line : Files.readAllLines(audit)) journal.add(JSON.readTree(line));
    return new Ran(summary, journal);
  }

  @Test
  @Timeout(180)
  void credential_object_shape_reads_the_app_id_from_the_credential_object(@TempDir Path dir)
      throws Exception {
    Ran ran = succeeded("credential-object-shape", dir);
    assertEquals(2, ran.summary().path("pausedWindows").size(), ran.summary().toString());
  }

  @Test
  @Timeout(180)
  void certificate_key_id_matches_the_connector_certificate_by_the_keys_id(@TempDir Path dir)
      throws Exception {
    Ran ran = succeeded("certificate-key-id", dir);
    assertEquals(2, ran.summary().path("pausedWindows").size(), ran.summary().toString());
  }

  @Test
  @Timeout(180)
  void under_a_shared_scheduler_every_server_stays_paused_until_the_last_is_done(@TempDir Path dir)
      throws Exception {
    Ran ran = succeeded("shared-scheduler", dir);
    JsonNode a = ran.window("SERVERA");
    JsonNode b = ran.window("SERVERB");
    // Pausing SERVERA paused SERVERB: both windows begin then and end with the one resume.
    assertEquals(
        a.path("pausedAt").asText(), b.path("pausedAt").asText(), ran.summary().toString());
    assertEquals(
        a.path("resumedAt").asText(), b.path("resumedAt").asText(), ran.summary().toString());
    assertTrue(
        Instant.parse(b.path("resumedAt").asText()).isAfter(Instant.parse(ran.lastVerified())),
        "SERVERB resumed before the last server was done: " + ran.summary());
    assertTrue(
        ran.journal().stream()
            .anyMatch(
                e ->
                    e.path("step").asText().equals("RESUME_SCHEDULER")
                        && e.path("target").asText().equals("SERVERB")
                        && e.path("outcome").asText().equals("SKIPPED")),
        "SERVERB's own resume waits for the last server");
  }

  @Test
  @Timeout(180)
  void with_a_scheduler_per_server_each_window_is_its_own(@TempDir Path dir) throws Exception {
    // The contrast that gives the shared-scheduler figures meaning: seed-pair pauses SERVERB
    // later and resumes it earlier than SERVERA, as the article's procedure does.
    Ran ran = succeeded("seed-pair", dir);
    JsonNode a = ran.window("SERVERA");
    JsonNode b = ran.window("SERVERB");
    assertTrue(
        Instant.parse(b.path("pausedAt").asText())
            .isAfter(Instant.parse(a.path("pausedAt").asText())),
        ran.summary().toString());
    assertTrue(
        Instant.parse(b.path("resumedAt").asText())
            .isBefore(Instant.parse(a.path("resumedAt").asText())),
        ran.summary().toString());
  }
}
