package io.abafix.cli.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A median with its spread (min and max) over the samples it came from, which are kept for the JSON
 * file.
 */
public record Stats(double median, double min, double max, List<Double> samples) {
  public static Stats of(Collection<? extends Number> values) {
    if (values.isEmpty()) throw new IllegalArgumentException("no samples");
    List<Double> sorted = new ArrayList<>();
    for (Number n : values) sorted.add(n.doubleValue());
    List<Double> inOrder = List.copyOf(sorted);
    sorted.sort(Double::compare);
    int n = sorted.size();
    double median =
        n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    return new Stats(median, sorted.get(0), sorted.get(n - 1), inOrder);
  }

  /** One sample: median, min and max are the same. */
  public static Stats single(double value) {
    return of(List.of(value));
  }

  public int count() {
    return samples.size();
  }
}
