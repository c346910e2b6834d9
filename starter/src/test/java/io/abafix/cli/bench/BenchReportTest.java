package io.abafix.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BenchReportTest {
  private static final Machine LOADED =
      machine(
          "00:00:00 up 1 day,  load average: 6.50, 5.00, 4.00",
          "00:10:00 up 1 day,  load average: 7.25, 6.00, 5.00");

  /** A 2-core machine with {@code uptime}'s lines before and after the run. */
  private static Machine machine(String uptimeBefore, String uptimeAfter) {
    return new Machine(
        "2026-12-01T00:00:00Z",
        "Linux 6.1",
        "amd64",
        2,
        24000,
        "17.0.15",
        "OpenJDK 64-Bit Server VM 17.0.15",
        "some CPU",
        uptimeBefore,
        uptimeAfter);
  }

  @Test
  void the_report_has_the_four_sections_each_figure_beside_its_baseline_ratio_and_target() {
    String md = BenchReport.markdown(figures(20.0, 10.0, 30.0), "bench/benchmarks.json");

    for (String section :
        List.of(
            "## 1. Overhead",
            "## 2. Fleet scale",
            "## 3. Worker footprint",
            "## 4. Sync-paused window")) {
      assertTrue(md.contains(section), section + " missing:\n" + md);
    }
    // Overhead 20 ms against 10 ms: 2.00, missed, with the split computed from the figures.
    assertTrue(
        md.contains(
            "| 1. Overhead per activity, embedded | 20.0 ms | 10.0 ms (bare Temporal) | 2.00 |"
                + " <= 1.3 | **missed** |"),
        md);
    assertTrue(md.contains("abafix spends 10.0 ms more per activity than bare Temporal"), md);
    assertTrue(md.contains("a step must cost 7.00 ms less"), md);
    // 500 tenants in 30 s: met; growth from 100 tenants in 4 s to 500 in 30 s is worse than linear.
    assertTrue(md.contains("Target met: 500 tenants in 30.0 s"), md);
    assertTrue(md.contains("**Growth worse than linear** from 100 to 500 tenants: b = 1.25"), md);
    // Footprint 160 MB against 140 MB after start (1.14, met), 190 against 150 after work (1.27).
    assertTrue(
        md.contains("| 3. Worker memory after start | 160 MB | 140 MB (bare worker) | 1.14 |"), md);
    assertTrue(md.contains("**Memory target missed** (1.27 > 1.2 after a remediation)"), md);
    assertTrue(
        md.contains("| 3. Worker start to polling | 1700 ms | 1500 ms (bare worker) | +200"), md);
    // Sync paused: SERVERA 42 s against 18 s of its own steps, 21 s of the others' inside.
    assertTrue(
        md.contains("| 4. Sync paused, SERVERA | 42.0 s | 18.0 s (its own steps) | 2.33 |"), md);
    assertTrue(md.contains("**SERVERA misses the target** (2.333)"), md);
    assertTrue(md.contains("SERVERB propagation 15.0 s"), md);
    assertTrue(
        md.contains("| 4. Sync paused, SERVERB | 20.5 s | 20.0 s (its own steps) | 1.03 |"), md);
    assertTrue(md.contains("SERVERB: target met"), md);
    assertTrue(md.contains("**the machine was shared and loaded**"), md);
  }

  @Test
  void a_load_that_only_the_benchmark_itself_raised_is_not_called_other_work() {
    Machine idleBefore =
        machine(
            "00:00:00 up 1 day,  load average: 1.03, 0.50, 0.40",
            "00:10:00 up 1 day,  load average: 12.07, 6.00, 5.00");

    String md = BenchReport.markdown(figures(idleBefore, 20.0, 10.0, 30.0), "b.json");

    assertFalse(md.contains("shared and loaded"), md);
    assertTrue(md.contains("the load after is the benchmark's own"), md);
  }

  @Test
  void a_target_met_says_so_and_nothing_about_missing_it() {
    String md = BenchReport.markdown(figures(12.0, 10.0, 30.0), "b.json");

    assertTrue(md.contains("Target met: abafix adds 2.00 ms per activity"), md);
    assertFalse(md.contains("(target <= 1.3) |\n\n**Target missed**"), md);
  }

  @Test
  void the_json_carries_the_machine_the_samples_and_the_ratios() throws Exception {
    JsonNode json = new ObjectMapper().readTree(BenchReport.json(figures(20.0, 10.0, 30.0)));

    assertEquals(
        "00:10:00 up 1 day,  load average: 7.25, 6.00, 5.00",
        json.at("/machine/uptimeAfter").asText());
    assertEquals(2.0, json.at("/overhead/0/ratio").asDouble(), 1e-9);
    assertEquals(3, json.at("/overhead/0/abafixMsPerActivity/samples").size());
    assertEquals(1.25, json.at("/fleet/growthExponents/1").asDouble(), 0.01);
    assertEquals(2.333, json.at("/paused/runs/0/servers/0/ratio").asDouble(), 0.001);
  }

  @Test
  void the_report_renders_the_same_from_its_json_file() {
    BenchFigures figures = figures(20.0, 10.0, 30.0);

    assertEquals(
        BenchReport.markdown(figures, "b.json"),
        BenchReport.markdown(BenchReport.read(BenchReport.json(figures)), "b.json"));
  }

  private static BenchFigures figures(double abafixMs, double bareMs, double fleet500Seconds) {
    return figures(LOADED, abafixMs, bareMs, fleet500Seconds);
  }

  private static BenchFigures figures(
      Machine machine, double abafixMs, double bareMs, double fleet500Seconds) {
    OverheadBench.Result overhead =
        new OverheadBench.Result(
            "embedded",
            44,
            Stats.of(List.of(abafixMs - 1, abafixMs, abafixMs + 3)),
            Stats.of(List.of(bareMs - 1, bareMs, bareMs + 1)),
            Stats.of(List.of(6.0, 6.0, 6.0)),
            Stats.of(List.of(1.0, 1.0, 1.0)),
            6.0,
            5.5,
            Stats.of(List.of(120.0, 130.0, 140.0)));
    FleetBench.Result fleet =
        new FleetBench.Result(
            "pairs", List.of(size(10, 1.0), size(100, 4.0), size(500, fleet500Seconds)));
    FootprintBench.Result footprint =
        new FootprintBench.Result(
            List.of(),
            Stats.of(List.of(1700.0)),
            Stats.of(List.of(1500.0)),
            Stats.of(List.of(160.0)),
            Stats.of(List.of(140.0)),
            190.0,
            150.0,
            19,
            List.of(
                new FootprintBench.Bundle("server", "worker/target/server", 43_000_000, 53, 0)));
    PausedWindowBench.Result paused =
        new PausedWindowBench.Result(
            60,
            15,
            Map.of("inspect", 83L),
            1,
            List.of(
                new PausedWindowBench.Run(
                    45_000,
                    42_000,
                    44,
                    List.of(
                        new PausedWindowBench.Server(
                            "SERVERA",
                            42_000,
                            18_000,
                            39_000,
                            Map.of(
                                "SERVERB propagation", 15_000L, "SERVERB InspectServer", 1_000L)),
                        new PausedWindowBench.Server(
                            "SERVERB", 20_500, 20_000, 20_200, Map.of())))));
    return new BenchFigures(
        machine,
        "abafix bench",
        300,
        java.util.Map.of("overhead", 30L),
        List.of(overhead),
        null,
        fleet,
        footprint,
        paused);
  }

  private static FleetBench.Size size(int tenants, double seconds) {
    return new FleetBench.Size(
        tenants,
        Stats.of(List.of(seconds)),
        tenants * 44,
        Stats.of(List.of(tenants * 44 / seconds)),
        Stats.of(List.of(260.0)),
        Stats.of(List.of(seconds * 0.8)),
        Stats.of(List.of(seconds * 1.5)));
  }
}
