/**
 * {@code abafix bench}: four benchmarks, each against a baseline measured in the same run
 * (orchestration overhead, fleet scale, worker footprint, sync-paused window), and the report that
 * puts each figure beside its baseline, ratio and target ({@code BENCHMARKS.md} and a JSON file).
 */
package io.abafix.cli.bench;
