package io.abafix.lab.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.lab.scenario.Scenario;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayNameGeneration(ReplaceUnderscores.class)
class LabDaemonTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();

  @TempDir Path dir;

  private static Scenario slowRegeneration() {
    Scenario s = Scenario.fromResource("cloned-pair");
    return s.withTiming(new Scenario.Timing(2L, null, Map.of("setMachineIdentifier", 1500L)));
  }

  @Test
  void a_script_posted_for_a_server_runs_against_that_simulated_server() throws Exception {
    try (LabDaemon daemon = new LabDaemon(slowRegeneration(), dir)) {
      JsonNode answer =
          post(
              daemon.controlUrl(),
              "/powershell/SERVERB/Get-AbafixServerState.ps1",
              "{\"server\":\"SERVERB\"}");

      assertEquals(0, answer.get("exitCode").asInt());
      String line = answer.get("stdout").asText().strip();
      assertTrue(line.startsWith("ABAFIX-ANSWER/1 "), line);
      JsonNode stdout = JSON.readTree(line.substring("ABAFIX-ANSWER/1 ".length()));
      // The host read names the computer the script ran on.
      assertEquals(
          "SERVERB",
          stdout.at("/result/reads/0/output/0/properties/0/value").asText(),
          stdout.toString());
      assertEquals("", answer.get("stderr").asText());
    }
  }

  @Test
  void a_step_shows_as_in_progress_while_it_runs_and_as_an_effect_once_done() throws Exception {
    try (LabDaemon daemon = new LabDaemon(slowRegeneration(), dir)) {
      URI control = daemon.controlUrl();
      CompletableFuture<JsonNode> regeneration =
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return post(
                      control,
                      "/powershell/SERVERB/Set-AbafixMachineIdentifier.ps1",
                      "{\"server\":\"SERVERB\",\"machineId\":\"0123456789abcdef0123456789abcdef\"}");
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });

      // The script reads the server's state first; the slow part is the change itself.
      Map<String, String> regenerating =
          Map.of("step", "setMachineIdentifier", "server", "SERVERB");
      List<?> running = List.of();
      for (int i = 0; i < 300 && !running.contains(regenerating); i++) {
        Thread.sleep(10);
        running = JSON.convertValue(get(control, "/in-progress"), List.class);
      }
      assertEquals(List.of(regenerating), running);

      assertEquals(0, regeneration.get().get("exitCode").asInt());
      assertTrue(get(control, "/in-progress").isEmpty());
      assertEquals(1, get(control, "/effects").get("setMachineIdentifier:SERVERB").asInt());
      assertEquals(
          "0123456789abcdef0123456789abcdef",
          daemon.lab().snapshot().server("SERVERB").machineId());
    }
  }

  @Test
  void it_writes_the_directory_certificate_and_a_forwarder_per_server() throws Exception {
    try (LabDaemon daemon = new LabDaemon(slowRegeneration(), dir)) {
      Map<String, Object> ready = daemon.readyLine();

      assertTrue(
          Files.readString(Path.of((String) ready.get("certificate"))).contains("PRIVATE KEY"));
      for (String server : List.of("SERVERA", "SERVERB")) {
        Path forwarder = dir.resolve(server).resolve("powershell");
        assertTrue(Files.isExecutable(forwarder), forwarder.toString());
        assertTrue(Files.readString(forwarder).contains("/powershell/" + server + "/"));
      }
      assertEquals(
          404, status(daemon.controlUrl(), "/powershell/SERVERC/Get-AbafixServerState.ps1"));
    }
  }

  private JsonNode post(URI control, String path, String body) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(control.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }

  private int status(URI control, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(control.resolve(path))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private JsonNode get(URI control, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(control.resolve(path)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), response.body());
    return JSON.readTree(response.body());
  }
}
