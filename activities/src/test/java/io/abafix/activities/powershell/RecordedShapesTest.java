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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

/**
 * Every read path against the recorded shapes under {@code src/test/resources/fixtures}: each file
 * is one case (its source and whether the shape is documented or inferred are in the file), run
 * through the production adapter exactly as a script's stdout would reach it. Every source a
 * fixture or the command table ({@code tools/ps-syntax/commands.json}) cites is a page of {@code
 * tools/ps-syntax/checked-pages.json}, the one list of pages checked against their source files.
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

  @Test
  void every_source_is_a_checked_page() {
    Path tools = toolsDirectory();
    JsonNode list = read(tools.resolve("checked-pages.json"));
    Set<String> pages = new HashSet<>();
    for (JsonNode entry : list.path("pages")) {
      String page = entry.path("page").asText();
      assertTrue(
          page.startsWith("https://learn.microsoft.com/")
              || page.startsWith("https://www.powershellgallery.com/"),
          "checked page: " + page);
      assertEquals(page, pageOf(page), "checked page without locale or anchor: " + page);
      assertFalse(entry.path("documents").asText().isBlank(), page + ": what it documents");
      assertTrue(pages.add(page), page + ": listed twice");
    }
    List<String> unchecked = new ArrayList<>();
    for (Path f : fixtures().toList()) {
      for (JsonNode source : read(f).path("source")) {
        if (!pages.contains(pageOf(source.asText()))) {
          unchecked.add(
              f.getParent().getFileName() + "/" + f.getFileName() + ": " + source.asText());
        }
      }
    }
    JsonNode table = read(tools.resolve("commands.json"));
    String common = table.path("commonParametersSource").asText();
    if (!pages.contains(pageOf(common))) {
      unchecked.add("commands.json commonParametersSource: " + common);
    }
    for (JsonNode command : table.path("commands")) {
      String source = command.path("source").asText();
      if (!pages.contains(pageOf(source))) {
        unchecked.add("commands.json " + command.path("name").asText() + ": " + source);
      }
    }
    assertEquals(List.of(), unchecked, "sources that are not checked pages");
  }

  /** A source as checked-pages.json lists it: without the /en-us locale and the #anchor. */
  static String pageOf(String source) {
    String page =
        source.replaceFirst(
            "^https://learn\\.microsoft\\.com/en-us/", "https://learn.microsoft.com/");
    int anchor = page.indexOf('#');
    return anchor < 0 ? page : page.substring(0, anchor);
  }

  /** tools/ps-syntax of the checkout, found upwards from the compiled fixtures. */
  private static Path toolsDirectory() {
    try {
      Path dir = Path.of(RecordedShapesTest.class.getResource("/fixtures").toURI());
      for (Path d = dir; d != null; d = d.getParent()) {
        Path tools = d.resolve("tools").resolve("ps-syntax");
        if (Files.isRegularFile(tools.resolve("checked-pages.json"))) {
          return tools;
        }
      }
      throw new IllegalStateException("no tools/ps-syntax/checked-pages.json above " + dir);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
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
