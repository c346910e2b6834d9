package io.abafix.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Fleet scale: 1, 10, 100 and 500 concurrent two-server tenants on one deployment. Wall time,
 * activities per second, history events per run, and how the time grows with N: the exponent b of t
 * ~ N^b between successive sizes (1 is linear).
 */
final class FleetBench {
  static final int TARGET_TENANTS = 500;
  static final double TARGET_SECONDS = 60;

  /** One size, measured {@code runs().count()} times. */
  record Size(
      int tenants,
      Stats wallSeconds,
      int activitiesPerRound,
      Stats activitiesPerSecond,
      Stats eventsPerRun,
      Stats runSeconds,
      Stats cpuSeconds) {
    /** How many of the machine's cores the run kept busy, on average. */
    @com.fasterxml.jackson.annotation.JsonProperty(
        access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public double coresBusy() {
      return cpuSeconds.median() / wallSeconds.median();
    }
  }

  record Result(String deployment, List<Size> sizes) {
    /** b between each size and the one before it. */
    @com.fasterxml.jackson.annotation.JsonProperty(
        access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public List<Double> growthExponents() {
      List<Double> b = new ArrayList<>();
      for (int i = 1; i < sizes.size(); i++) b.add(exponent(i));
      return b;
    }

    /** b in t ~ N^b from the size before {@code i} to size {@code i}. */
    double exponent(int i) {
      Size a = sizes.get(i - 1);
      Size b = sizes.get(i);
      return Math.log(b.wallSeconds().median() / a.wallSeconds().median())
          / Math.log((double) b.tenants() / a.tenants());
    }
  }

  private FleetBench() {}

  /**
   * @param rounds how many times each size runs: {@code rounds[i]} for {@code tenants[i]}
   * @param afterEachSize told the sizes measured so far, after each
   */
  static Result measure(
      TenantFleet fleet,
      List<Integer> tenants,
      List<Integer> rounds,
      Consumer<String> progress,
      Consumer<Result> afterEachSize) {
    List<Size> sizes = new ArrayList<>();
    for (int i = 0; i < tenants.size(); i++) {
      int n = tenants.get(i);
      List<Double> wall = new ArrayList<>();
      List<Double> rate = new ArrayList<>();
      List<Double> events = new ArrayList<>();
      List<Double> runSeconds = new ArrayList<>();
      List<Double> cpu = new ArrayList<>();
      int activities = 0;
      for (int r = 0; r < rounds.get(i); r++) {
        TenantFleet.Run run = fleet.run(n);
        activities = run.activities();
        wall.add(run.wallMillis() / 1000.0);
        rate.add(run.activities() * 1000.0 / run.wallMillis());
        events.addAll(run.eventsPerRun().samples());
        runSeconds.add(run.runMillis().median() / 1000.0);
        cpu.add(run.cpuMillis() / 1000.0);
        progress.accept(
            String.format(
                java.util.Locale.ROOT,
                "fleet %d tenants round %d: %.1f s, %d activities, %.0f activities/s"
                    + " (besides: %.1f s making the labs, %.1f s starting and closing the"
                    + " deployment and reading the histories)",
                n,
                r + 1,
                run.wallMillis() / 1000.0,
                run.activities(),
                run.activities() * 1000.0 / run.wallMillis(),
                run.labsMillis() / 1000.0,
                run.deploymentMillis() / 1000.0));
      }
      sizes.add(
          new Size(
              n,
              Stats.of(wall),
              activities,
              Stats.of(rate),
              Stats.of(events),
              Stats.of(runSeconds),
              Stats.of(cpu)));
      afterEachSize.accept(new Result(fleet.describe(), List.copyOf(sizes)));
    }
    return new Result(fleet.describe(), sizes);
  }
}
