package io.abafix.activities.model;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one step did, for the audit.
 *
 * @param changed false when the effect was already in place and nothing was done
 * @param before facts read just before the step
 * @param after facts read just after the step
 * @param detail one line a person can read
 * @param attempt the activity attempt that produced this result (1 = first try)
 */
public record StepResult(
    boolean changed,
    Map<String, String> before,
    Map<String, String> after,
    String detail,
    int attempt) {

  public StepResult {
    before = facts(before);
    after = facts(after);
  }

  /** A sorted, immutable copy in which a missing value reads "(none)". */
  private static Map<String, String> facts(Map<String, String> in) {
    TreeMap<String, String> out = new TreeMap<>();
    if (in != null) in.forEach((k, v) -> out.put(k, v == null ? "(none)" : v));
    return Collections.unmodifiableSortedMap(out);
  }
}
