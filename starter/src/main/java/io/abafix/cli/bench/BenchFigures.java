package io.abafix.cli.bench;

import java.util.List;
import java.util.Map;

/**
 * Everything one {@code abafix bench} run measured; a section is null when it was not run.
 *
 * @param realServerNote why the overhead has no real-server figures, or null when it has them
 * @param sectionSeconds how long each section took, in the order they ran (null in a file written
 *     before they were timed)
 */
public record BenchFigures(
    Machine machine,
    String command,
    long totalSeconds,
    Map<String, Long> sectionSeconds,
    List<OverheadBench.Result> overhead,
    String realServerNote,
    FleetBench.Result fleet,
    FootprintBench.Result footprint,
    PausedWindowBench.Result paused) {}
