package io.abafix.cli.bench;

import java.util.List;

/**
 * Everything one {@code abafix bench} run measured; a section is null when it was not run.
 *
 * @param realServerNote why the overhead has no real-server figures, or null when it has them
 */
public record BenchFigures(
    Machine machine,
    String command,
    long totalSeconds,
    List<OverheadBench.Result> overhead,
    String realServerNote,
    FleetBench.Result fleet,
    FootprintBench.Result footprint,
    PausedWindowBench.Result paused) {}
