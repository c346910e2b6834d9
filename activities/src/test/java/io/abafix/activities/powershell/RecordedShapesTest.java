package io.abafix.activities.powershell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.port.HostException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every read path against the recorded shapes under {@code src/test/resources/fixtures}: each file
 * is one case (its source and whether the shape is documented or inferred are in the file), run
 * through the production adapter exactly as a script's stdout would reach it.
 */
class RecordedShapesTest {
  private static final JsonMapper JSON = new JsonMapper();

  @TestFactory
  Stream<DynamicTest> every_fixture_reads_as_recorded() {
    return fixtures()
        .map(
            f ->
                DynamicTest.dynamicTest(
                    f.getParent().getFileName() + "/" + f.getFileName(), () -> check(read(f))));
  }

  @Test
  void every_fixture_names_its_source_and_evidence() {
    List<Path> all = fixtures().toList();
    assertTrue(all.size() >= 25, "fixtures found: " + all.size());
    for (Path f : all) {
      JsonNode n = read(f);
      assertTrue(n.path("source").isArray() && n.path("source").size() > 0, f + ": source");
      String evidence = n.path("evidence").asText();
      assertTrue(
          evidence.startsWith("documented") || evidence.startsWith("inferred"),
          f + ": " + evidence);
      assertTrue(n.has("expect") ^ n.has("expectFailure"), f + ": expect or expectFailure");
    }
  }

  private static void check(JsonNode fixture) throws Throwable {
    JsonNode answer = fixture.get("answer");
    boolean ok = answer.path("ok").asBoolean();
    PowerShellRunner runner =
        (script, stdin, timeout) ->
            new PowerShellResult(
                ok ? 0 : 1,
                "WARNING: module noise\r\n"
                    + PowerShellSyncServerHost.ANSWER_PREFIX
                    + answer
                    + "\r\n",
                "");
    PowerShellSyncServerHost host =
        new PowerShellSyncServerHost(fixture.get("server").asText(), runner, null, "A".repeat(64));
    String script = fixture.get("script").asText();
    JsonNode expect = fixture.get("expect");
    Executable call =
        switch (script) {
          case "Get-AbafixServerState.ps1" ->
              () -> {
                ServerState s = host.inspect();
                assertEquals(expect.toString(), JSON.valueToTree(s).toString());
              };
          case "Get-AbafixEvents.ps1" ->
              () -> {
                JsonNode in = expect == null ? JSON.createObjectNode() : expect;
                List<EventLogEntry> entries =
                    host.readEvents(
                        in.path("afterRecordId").asLong(), in.path("maxEntries").asInt(100));
                assertEquals(in.get("entries").toString(), JSON.valueToTree(entries).toString());
              };
          case "Test-AbafixConnectorAuthentication.ps1" ->
              () -> {
                AuthenticationCheck c = host.testConnectorAuthentication();
                assertEquals(expect.get("authenticated").asBoolean(), c.authenticated());
                assertEquals(
                    expect.get("errorCode").isNull() ? null : expect.get("errorCode").asText(),
                    c.errorCode());
              };
          case "Invoke-AbafixRevertToServiceAccount.ps1" ->
              () -> host.revertToServiceAccount("Sync_SERVERA_3f1c9a2b7d4e", "clixml:C:\\hia.xml");
          default -> throw new IllegalArgumentException("no read path for " + script);
        };
    JsonNode failure = fixture.get("expectFailure");
    if (failure == null) {
      call.execute();
      return;
    }
    HostException e = assertThrows(HostException.class, call);
    assertEquals(failure.get("category").asText(), e.category().name(), e.getMessage());
    for (JsonNode part : failure.get("messageContains")) {
      assertTrue(
          e.getMessage().contains(part.asText()), "'" + part.asText() + "' in: " + e.getMessage());
    }
    assertFalse(e.getMessage().isBlank());
  }

  static Stream<Path> fixtures() {
    try {
      URL root = RecordedShapesTest.class.getResource("/fixtures");
      Path dir = Path.of(root.toURI());
      try (Stream<Path> files = Files.walk(dir)) {
        return files.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static JsonNode read(Path f) {
    try {
      return JSON.readTree(f.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
