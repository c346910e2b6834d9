package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.lab.Lab;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code abafix status --follow}, piped, on a run going on in a running Temporal server: it prints
 * each step as its state changes, from pending through the waits for approval to done, and stops
 * when the run ends.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StatusFollowTest {
  @TempDir Path dir;

  private record Result(int exitCode, String out, String err) {}

  private static Result abafix(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cmd = Abafix.commandLine();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  @Timeout(180)
  void status_follow_piped_prints_each_step_advancing_to_the_end_of_the_run() throws Exception {
    Path keyFile = dir.resolve("abafix.key");
    assertEquals(0, abafix("keygen", keyFile.toString()).exitCode());
    AesGcmPayloadCodec codec =
        PayloadEncryption.fromEnvironment(
            Map.of(PayloadEncryption.KEY_FILE, keyFile.toString())::get);
    Lab lab =
        Lab.fromScenario(
            Scenario.fromResource("seed-pair").withoutLatency(), System::currentTimeMillis);

    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        DemoEnvironment env = DemoEnvironment.startAgainst(lab, temporal.address(), codec)) {
      String id = RemediateCommand.start(env.client(), LabRequests.remediation(lab));
      String[] cluster = {
        "--address", temporal.address(), "--encryption-key-file", keyFile.toString()
      };
      // A person approving, a little after each gate opens, so that the waits show.
      CompletableFuture<?> approver =
          CompletableFuture.runAsync(
              () ->
                  new RunFollower(
                          env.client(),
                          id,
                          new PrintWriter(new StringWriter()),
                          env.approver("bob"),
                          Duration.ofMillis(1500))
                      .follow());

      Result follow =
          abafix(
              concat(new String[] {"status", id, "--follow", "--interval-millis", "200"}, cluster));
      approver.join();
      assertEquals(0, follow.exitCode(), follow.err() + follow.out());
      // Kept beside the report's artefacts, to read what an operator would have seen.
      java.nio.file.Files.writeString(
          java.nio.file.Files.createDirectories(Path.of("target", "report-artifacts"))
              .resolve("status-follow.txt"),
          follow.out());
      List<String> lines = follow.out().lines().toList();
      String all = follow.out();

      assertTrue(lines.get(lines.size() - 1).contains("run SUCCEEDED"), all);
      assertTrue(all.contains("waiting for approval"), "the waits for approval show: " + all);
      assertTrue(
          all.contains("next: abafix approve " + id), "and the command that ends them: " + all);
      for (String server : lab.serverNames()) {
        int pending = index(lines, server, "PAUSE_SCHEDULER", " pending");
        int paused = index(lines, server, "PAUSE_SCHEDULER", "-> done");
        int resumed = index(lines, server, "RESUME_SCHEDULER", "-> done");
        assertTrue(
            pending >= 0 && pending < paused && paused < resumed, server + " advances: " + all);
        assertTrue(lines.get(resumed).contains("sync was paused"), lines.get(resumed));
      }
      assertTrue(index(lines, "directory", "FINAL_VERIFICATION", "-> done") >= 0, all);

      // The same, once, as JSON Lines: every step done.
      Result json = abafix(concat(new String[] {"status", id, "--json"}, cluster));
      assertEquals(0, json.exitCode(), json.err());
      ObjectMapper mapper = new ObjectMapper();
      int steps = 0;
      for (String line : json.out().lines().toList()) {
        JsonNode node = mapper.readTree(line);
        if (!node.path("type").asText().equals("step")) continue;
        steps++;
        assertEquals("done", node.path("state").asText(), line);
      }
      assertTrue(steps >= 19, json.out());
    }
  }

  private static int index(List<String> lines, String server, String step, String state) {
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.contains(" " + server + " ") && l.contains(" " + step + " ") && l.contains(state))
        return i;
    }
    return -1;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
