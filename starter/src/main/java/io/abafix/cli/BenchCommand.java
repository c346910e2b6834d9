package io.abafix.cli;

import io.abafix.cli.bench.BenchRun;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix bench}: four benchmarks, each against a baseline measured in the same run, written
 * to {@code BENCHMARKS.md} and a JSON file. They measure abafix and Temporal over the lab, not
 * Entra Connect: a real server's scripts and the up-to-15-minute propagation dominate real runs.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {"  abafix bench", "  abafix bench --only overhead,footprint --runs 3"},
    description = {
      "Measure abafix against its baselines: overhead per step (against bare Temporal), fleet"
          + " scale (concurrent tenants), worker footprint (against a bare worker process) and"
          + " the sync-paused window (against the least the procedure allows).",
      "Writes BENCHMARKS.md and bench/benchmarks.json. Set ABAFIX_TEMPORAL_CLI (or put temporal"
          + " on the PATH) to measure the overhead on Temporal's own server as well."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--only",
      split = ",",
      defaultValue = "overhead,fleet,footprint,paused",
      description = "Sections to run (default ${DEFAULT-VALUE})")
  List<String> only;

  @Option(
      names = "--runs",
      defaultValue = "5",
      description =
          "Measured runs per overhead server, after one warm-up (default ${DEFAULT-VALUE})")
  int runs;

  @Option(
      names = "--tenants",
      split = ",",
      defaultValue = "1,10,100,500",
      description = "Fleet sizes, concurrent two-server tenants (default ${DEFAULT-VALUE})")
  List<Integer> tenants;

  @Option(
      names = "--fleet-rounds",
      split = ",",
      defaultValue = "3,3,1,1",
      description = "Rounds per fleet size, in the order of --tenants (default ${DEFAULT-VALUE})")
  List<Integer> fleetRounds;

  @Option(
      names = "--starts",
      defaultValue = "3",
      description = "Starts of each worker process for the footprint (default ${DEFAULT-VALUE})")
  int starts;

  @Option(
      names = "--paused-runs",
      defaultValue = "3",
      description = "Runs of the sync-paused benchmark, side by side (default ${DEFAULT-VALUE})")
  int pausedRuns;

  @Option(
      names = "--time-scale",
      defaultValue = "60",
      description =
          "The sync-paused benchmark's lab steps take their real-world time divided by this"
              + " (default ${DEFAULT-VALUE}: 15 minutes of propagation take 15 s)")
  int timeScale;

  @Option(
      names = "--out",
      defaultValue = "BENCHMARKS.md",
      description = "The report (default ${DEFAULT-VALUE})")
  Path out;

  @Option(
      names = "--json",
      defaultValue = "bench/benchmarks.json",
      description = "The figures, with the machine's details (default ${DEFAULT-VALUE})")
  Path json;

  @Option(
      names = "--home",
      description =
          "The abafix checkout whose built bundles the footprint starts (default: the one this"
              + " command runs from)")
  Path home;

  @Option(
      names = "--render",
      description =
          "Measure nothing: write the report (--out) again from the figures of an earlier run's"
              + " JSON file")
  Path render;

  @Override
  public Integer call() throws Exception {
    if (render != null) {
      if (!java.nio.file.Files.isRegularFile(render)) {
        throw new UserError("--render: no file " + render);
      }
      BenchRun.render(render, out);
      spec.commandLine().getOut().println("wrote " + out + " from " + render);
      return 0;
    }
    List<String> known = List.of("overhead", "fleet", "footprint", "paused");
    for (String s : only) {
      if (!known.contains(s)) throw new UserError("--only takes " + known + ", not " + s);
    }
    if (runs < 1 || starts < 1 || pausedRuns < 1 || timeScale < 1) {
      throw new UserError("--runs, --starts, --paused-runs and --time-scale must be at least 1");
    }
    if (tenants.isEmpty() || tenants.stream().anyMatch(n -> n < 1 || n > 2000)) {
      throw new UserError("each --tenants size must be from 1 to 2000");
    }
    if (fleetRounds.size() != tenants.size() || fleetRounds.stream().anyMatch(n -> n < 1)) {
      throw new UserError("--fleet-rounds needs one count of at least 1 per --tenants size");
    }
    Path checkout = home != null ? home : BenchRun.checkoutOf(BenchCommand.class);
    BenchRun run =
        new BenchRun(
            checkout,
            only,
            runs,
            tenants,
            fleetRounds,
            starts,
            pausedRuns,
            timeScale,
            "abafix bench" + arguments());
    var w = spec.commandLine().getOut();
    run.writeTo(
        out,
        json,
        line -> {
          w.println(line);
          w.flush();
        });
    w.println("wrote " + out + " and " + json);
    return 0;
  }

  private String arguments() {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    List<String> mine =
        args.isEmpty() || !args.get(0).equals("bench") ? args : args.subList(1, args.size());
    return mine.isEmpty() ? "" : " " + String.join(" ", mine);
  }
}
