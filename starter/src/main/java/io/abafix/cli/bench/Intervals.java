package io.abafix.cli.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Time intervals in epoch millis, and how much of a window their union covers. */
final class Intervals {
  record Span(long from, long to) {}

  private final List<Span> spans = new ArrayList<>();

  void add(long from, long to) {
    if (to > from) spans.add(new Span(from, to));
  }

  /** Milliseconds of [from, to) that at least one span covers. */
  long coveredWithin(long from, long to) {
    List<Span> clipped = new ArrayList<>();
    for (Span s : spans) {
      long a = Math.max(s.from(), from);
      long b = Math.min(s.to(), to);
      if (b > a) clipped.add(new Span(a, b));
    }
    clipped.sort(Comparator.comparingLong(Span::from));
    long covered = 0;
    long end = Long.MIN_VALUE;
    for (Span s : clipped) {
      if (s.from() >= end) {
        covered += s.to() - s.from();
        end = s.to();
      } else if (s.to() > end) {
        covered += s.to() - end;
        end = s.to();
      }
    }
    return covered;
  }
}
