package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's HTML report as a browser shows it: headless Chromium opens the page the demo wrote,
 * the test finds the per-server timelines and the before/after table in the DOM, sees no console
 * error and no request beyond the page itself, and keeps a screenshot and a PDF print under
 * target/report-artifacts. Skips where Chromium is absent, except in CI, where that fails.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReportInBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;

  @Test
  @Timeout(300)
  void the_demo_report_shows_a_timeline_per_server_and_the_before_after_table_and_loads_nothing()
      throws Exception {
    Optional<Path> chromium = HeadlessChromium.find();
    if (chromium.isEmpty()) {
      String why =
          "Chromium is not installed (apt-get install -y chromium): the report's browser check did not run";
      if ("true".equals(System.getenv("CI"))) fail(why);
      Assumptions.abort(why);
    }

    CommandLineRun demo =
        CommandLineRun.of("demo", "--audit-out", dir.resolve("audit.jsonl").toString());
    assertEquals(0, demo.exitCode(), demo.err());
    Path report = dir.resolve("audit.html");
    assertTrue(demo.out().contains("report: " + report), demo.out());
    assertTrue(Files.exists(report));

    Path artifacts = Files.createDirectories(Path.of("target", "report-artifacts"));
    Files.copy(
        report,
        artifacts.resolve("demo-report.html"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    String url = report.toUri().toString();
    try (HeadlessChromium browser =
        HeadlessChromium.start(
            chromium.get(),
            Files.createDirectory(dir.resolve("profile")),
            artifacts.resolve("chromium.log"))) {
      browser.call("Network.enable");
      browser.call("Runtime.enable");
      browser.call("Log.enable");
      browser.call("Page.enable");
      // The width a change board's laptop shows: every table must fit it.
      browser.call(
          "Emulation.setDeviceMetricsOverride",
          Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false));
      browser.call("Page.navigate", Map.of("url", url));
      browser.await(
          e -> e.path("method").asText().equals("Page.loadEventFired"), Duration.ofSeconds(60));
      Thread.sleep(500); // Anything the page would load late.

      JsonNode dom =
          JSON.readTree(
              browser
                  .call(
                      "Runtime.evaluate",
                      Map.of(
                          "returnByValue",
                          true,
                          "expression",
                          "JSON.stringify({"
                              + "timelines: [...document.querySelectorAll('figure.timeline[data-server]')]"
                              + "  .map(f => ({server: f.dataset.server,"
                              + "    bars: f.querySelectorAll('svg rect.bar').length,"
                              + "    width: f.querySelector('svg').getBoundingClientRect().width})),"
                              + "rows: [...document.querySelectorAll('#before-after-table tbody tr')]"
                              + "  .map(r => r.dataset.server + ' ' + r.className),"
                              + "outcome: document.getElementById('outcome').textContent,"
                              + "deciders: [...document.querySelectorAll('#decisions tbody tr')]"
                              + "  .map(r => r.textContent),"
                              + "checks: [...document.querySelectorAll('#verification li')]"
                              + "  .map(l => l.textContent),"
                              + "simulation: !!document.getElementById('simulation'),"
                              + "pageWidth: document.documentElement.scrollWidth,"
                              + "tablesOverflowing: [...document.querySelectorAll('table')]"
                              + "  .filter(t => t.scrollWidth > t.parentElement.clientWidth + 1)"
                              + "  .map(t => t.closest('section') ? t.closest('section').id : '?'),"
                              + "scripts: document.scripts.length})"))
                  .path("result")
                  .path("value")
                  .asText());
      List<String> servers = new ArrayList<>();
      for (JsonNode t : dom.path("timelines")) {
        servers.add(t.path("server").asText());
        assertTrue(t.path("bars").asInt() >= 3, "a timeline draws its steps: " + t);
        assertTrue(t.path("width").asDouble() > 400, "the timeline is laid out: " + t);
      }
      assertTrue(
          servers.containsAll(List.of("SERVERA", "SERVERB")), "a timeline per server: " + dom);
      List<String> rows = new ArrayList<>();
      dom.path("rows").forEach(r -> rows.add(r.asText()));
      assertEquals(
          List.of("SERVERA before", "SERVERA after", "SERVERB before", "SERVERB after"), rows);
      assertEquals("SUCCEEDED", dom.path("outcome").asText());
      assertEquals(0, dom.path("scripts").asInt(), "the page runs no script");
      // Decisions name whom the sign-in proves; the verification covers the signed digests.
      List<String> deciders = new ArrayList<>();
      dom.path("deciders").forEach(r -> deciders.add(r.asText()));
      List<String> approvals = deciders.stream().filter(r -> r.contains("APPROVED")).toList();
      assertTrue(!approvals.isEmpty(), "the approvals are listed: " + deciders);
      assertTrue(
          approvals.stream()
              .allMatch(
                  r ->
                      r.contains("(verified)")
                          && r.contains("approver's object id")
                          && r.contains("signed in as")),
          "every approval names a verified identity, in words: " + approvals);
      assertTrue(dom.path("simulation").asBoolean(), "a lab run says so at the top: " + dom);
      assertTrue(dom.path("pageWidth").asInt() <= 1280, "the page fits 1280 px: " + dom);
      assertEquals(0, dom.path("tablesOverflowing").size(), "every table fits: " + dom);
      List<String> checks = new ArrayList<>();
      dom.path("checks").forEach(c -> checks.add(c.asText()));
      assertTrue(
          checks.stream().anyMatch(c -> c.contains("signed digests") && c.contains("PASSED")),
          "the signed digests were checked: " + checks);

      JsonNode shot =
          browser.call(
              "Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
      Path png = artifacts.resolve("demo-report.png");
      Files.write(png, Base64.getDecoder().decode(shot.path("data").asText()));
      assertTrue(Files.size(png) > 10_000, "a screenshot of the page: " + png);
      JsonNode pdf = browser.call("Page.printToPDF", Map.of("printBackground", true));
      Files.write(
          artifacts.resolve("demo-report.pdf"),
          Base64.getDecoder().decode(pdf.path("data").asText()));

      List<String> requests = new ArrayList<>();
      for (JsonNode r : browser.events("Network.requestWillBeSent")) {
        String requested = r.path("request").path("url").asText();
        if (!requested.equals(url)) requests.add(requested);
      }
      assertEquals(List.of(), requests, "the page requests nothing beyond itself");
      List<String> errors = new ArrayList<>();
      browser.events("Runtime.consoleAPICalled").stream()
          .filter(e -> e.path("type").asText().equals("error"))
          .forEach(e -> errors.add(e.toString()));
      browser.events("Runtime.exceptionThrown").forEach(e -> errors.add(e.toString()));
      browser.events("Log.entryAdded").stream()
          .filter(e -> e.path("entry").path("level").asText().equals("error"))
          .forEach(e -> errors.add(e.path("entry").toString()));
      assertEquals(List.of(), errors, "no console errors (a CSP violation would be one)");
    }
  }

  @Test
  @Timeout(300)
  void the_event_driven_reports_verify_with_one_lane_per_server_and_fit_the_page()
      throws Exception {
    Optional<Path> chromium = HeadlessChromium.find();
    if (chromium.isEmpty()) {
      String why = "Chromium is not installed (apt-get install -y chromium)";
      if ("true".equals(System.getenv("CI"))) fail(why);
      Assumptions.abort(why);
    }
    CommandLineRun demo =
        CommandLineRun.of(
            "demo",
            "--scenario",
            "rotation-breaks-a",
            "--audit-out",
            dir.resolve("incident.jsonl").toString());
    assertEquals(0, demo.exitCode(), demo.err());
    Path artifacts = Files.createDirectories(Path.of("target", "report-artifacts"));
    for (String name : List.of("incident.html", "incident-remediation-1.html")) {
      Path report = dir.resolve(name);
      assertTrue(Files.exists(report), name + ": " + demo.out());
      try (HeadlessChromium browser =
          HeadlessChromium.start(
              chromium.get(),
              Files.createDirectory(dir.resolve("profile-" + name)),
              artifacts.resolve("chromium-" + name + ".log"))) {
        browser.call("Page.enable");
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false));
        browser.call("Page.navigate", Map.of("url", report.toUri().toString()));
        browser.await(
            e -> e.path("method").asText().equals("Page.loadEventFired"), Duration.ofSeconds(60));
        JsonNode dom =
            JSON.readTree(
                browser
                    .call(
                        "Runtime.evaluate",
                        Map.of(
                            "returnByValue",
                            true,
                            "expression",
                            "JSON.stringify({"
                                + "lanes: [...document.querySelectorAll('figure.timeline[data-server]')]"
                                + "  .map(f => f.dataset.server),"
                                + "checks: [...document.querySelectorAll('#verification li')]"
                                + "  .map(l => l.textContent),"
                                + "simulation: !!document.getElementById('simulation'),"
                                + "pageWidth: document.documentElement.scrollWidth})"))
                    .path("result")
                    .path("value")
                    .asText());
        List<String> lanes = new ArrayList<>();
        dom.path("lanes").forEach(l -> lanes.add(l.asText()));
        assertTrue(lanes.containsAll(List.of("SERVERA", "SERVERB")), name + ": " + dom);
        assertTrue(lanes.stream().noneMatch(l -> l.contains(",")), "one lane per server: " + dom);
        List<String> checks = new ArrayList<>();
        dom.path("checks").forEach(c -> checks.add(c.asText()));
        assertTrue(
            !checks.isEmpty() && checks.stream().allMatch(c -> c.startsWith("PASSED")),
            name + " verifies: " + checks);
        assertTrue(dom.path("simulation").asBoolean(), name + ": " + dom);
        assertTrue(dom.path("pageWidth").asInt() <= 1280, name + ": " + dom);
      }
    }
  }
}
