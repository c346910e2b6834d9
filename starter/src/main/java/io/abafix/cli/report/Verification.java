package io.abafix.cli.report;

import java.util.List;

/**
 * What was checked about the journal before it was rendered, e.g. the export's hash chain.
 *
 * @param checks each check in the order it ran
 */
public record Verification(List<Check> checks) {

  /**
   * @param name what was checked, e.g. {@code hash chain}
   * @param state {@link State#PASSED}, {@link State#FAILED} or {@link State#NOT_CHECKED}
   * @param detail what it found, in words
   */
  public record Check(String name, State state, String detail) {}

  public enum State {
    PASSED,
    FAILED,
    NOT_CHECKED
  }

  public Verification {
    checks = List.copyOf(checks);
  }

  public static Verification of(Check... checks) {
    return new Verification(List.of(checks));
  }

  /**
   * The verification in one line, for a report's summary: what failed, else what was not checked,
   * else that every check passed. A check that did not run is never summed up as passed.
   */
  public String summary() {
    if (!intact()) return "a check FAILED: see below";
    List<String> unchecked =
        checks.stream()
            .filter(c -> c.state() == State.NOT_CHECKED)
            .map(c -> c.name() + " NOT VERIFIED (" + c.detail() + ")")
            .toList();
    if (!unchecked.isEmpty()) return String.join("; ", unchecked);
    return "every check passed: " + String.join(", ", checks.stream().map(Check::name).toList());
  }

  /** Whether every check that ran passed. */
  public boolean intact() {
    return checks.stream().noneMatch(c -> c.state() == State.FAILED);
  }
}
