package io.abafix.cli.bench;

import io.abafix.cli.EmbeddedTemporal;
import io.abafix.lab.temporal.TemporalDevServer;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** One {@code abafix bench} run: the chosen sections in order, then the two files. */
public final class BenchRun {
  private final Path home;
  private final List<String> sections;
  private final int runs;
  private final List<Integer> tenants;
  private final List<Integer> fleetRounds;
  private final int starts;
  private final int pausedRuns;
  private final int timeScale;
  private final String command;

  public BenchRun(
      Path home,
      List<String> sections,
      int runs,
      List<Integer> tenants,
      List<Integer> fleetRounds,
      int starts,
      int pausedRuns,
      int timeScale,
      String command) {
    this.home = home;
    this.sections = sections;
    this.runs = runs;
    this.tenants = tenants;
    this.fleetRounds = fleetRounds;
    this.starts = starts;
    this.pausedRuns = pausedRuns;
    this.timeScale = timeScale;
    this.command = command;
  }

  /** The checkout a class was loaded from: {@code starter/target/abafix.jar} is three levels in. */
  public static Path checkoutOf(Class<?> type) {
    try {
      Path where = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      return where.toAbsolutePath().getParent().getParent().getParent();
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot tell where abafix runs from: " + e, e);
    }
  }

  /**
   * Runs the sections, the fleet last (it takes longest), and rewrites both files after each
   * section and each fleet size, so that a run cut short still leaves what it measured.
   */
  public void writeTo(Path markdown, Path json, Consumer<String> progress) throws Exception {
    long began = System.nanoTime();
    Machine machine = Machine.before();
    progress.accept("load before: " + machine.uptimeBefore());
    Sections done = new Sections();
    Runnable save =
        () -> {
          try {
            write(markdown, json, done.figures(machine.after(), command, began));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
    Path work = Files.createTempDirectory("abafix-bench-");
    try {
      if (sections.contains("overhead")) {
        try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
          done.overhead.add(
              OverheadBench.measure(
                  "embedded server (Temporal's Java test server)",
                  temporal.address(),
                  runs,
                  progress));
        }
        // Where .ci/run installs it (pip, into the checkout's .temporal), when PATH has none.
        Path installed = home.resolve(".temporal/bin/temporal");
        Optional<Path> cli =
            TemporalDevServer.findCli()
                .or(
                    () ->
                        java.nio.file.Files.isExecutable(installed)
                            ? Optional.of(installed)
                            : Optional.empty());
        if (cli.isPresent()) {
          try (TemporalDevServer server =
              TemporalDevServer.start(
                  cli.get(), work.resolve("temporal.db"), work.resolve("temporal-logs"))) {
            done.overhead.add(
                OverheadBench.measure(
                    "real server (temporal server start-dev, SQLite)",
                    server.address(),
                    runs,
                    progress));
          }
        } else {
          done.realServerNote =
              "not measured: the Temporal CLI is not installed here. To include it: "
                  + TemporalDevServer.HOW_TO_ENABLE
                  + ".";
        }
        done.ended("overhead", progress);
        save.run();
      }
      if (sections.contains("footprint")) {
        done.footprint = FootprintBench.measure(home, work.resolve("footprint"), starts, progress);
        done.ended("footprint", progress);
        save.run();
      }
      if (sections.contains("paused")) {
        done.paused = PausedWindowBench.measure(timeScale, pausedRuns, progress);
        done.ended("paused", progress);
        save.run();
      }
      if (sections.contains("fleet")) {
        done.fleet =
            FleetBench.measure(
                new MultiTenantFleet(),
                tenants,
                fleetRounds,
                progress,
                partial -> {
                  done.fleet = partial;
                  save.run();
                });
        done.ended("fleet", progress);
      }
    } finally {
      deleteTree(work);
    }
    save.run();
  }

  /** What the run has measured so far. */
  private static final class Sections {
    final List<OverheadBench.Result> overhead = new ArrayList<>();
    String realServerNote;
    FleetBench.Result fleet;
    FootprintBench.Result footprint;
    PausedWindowBench.Result paused;
    final java.util.Map<String, Long> seconds = new java.util.LinkedHashMap<>();
    private long sectionBegan = System.nanoTime();

    /** Times the section that just ended, from the end of the one before. */
    void ended(String section, Consumer<String> progress) {
      long now = System.nanoTime();
      long s = (now - sectionBegan) / 1_000_000_000;
      seconds.put(section, s);
      sectionBegan = now;
      progress.accept(section + " took " + s + " s");
    }

    BenchFigures figures(Machine machine, String command, long began) {
      return new BenchFigures(
          machine,
          command,
          (System.nanoTime() - began) / 1_000_000_000,
          seconds.isEmpty() ? null : new java.util.LinkedHashMap<>(seconds),
          List.copyOf(overhead),
          realServerNote,
          fleet,
          footprint,
          paused);
    }
  }

  /** The report again from the JSON file of an earlier run. */
  public static void render(Path json, Path markdown) throws IOException {
    BenchFigures figures = BenchReport.read(Files.readString(json, StandardCharsets.UTF_8));
    Path md = markdown.toAbsolutePath();
    String link = md.getParent().relativize(json.toAbsolutePath()).toString().replace('\\', '/');
    Files.writeString(md, BenchReport.markdown(figures, link), StandardCharsets.UTF_8);
  }

  private static void write(Path markdown, Path json, BenchFigures figures) throws IOException {
    Path md = markdown.toAbsolutePath();
    Path js = json.toAbsolutePath();
    if (md.getParent() != null) Files.createDirectories(md.getParent());
    if (js.getParent() != null) Files.createDirectories(js.getParent());
    Files.writeString(js, BenchReport.json(figures), StandardCharsets.UTF_8);
    String link = md.getParent().relativize(js).toString().replace('\\', '/');
    Files.writeString(md, BenchReport.markdown(figures, link), StandardCharsets.UTF_8);
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    } catch (IOException e) {
      // A temporary folder left behind is not worth failing the figures for.
    }
  }
}
