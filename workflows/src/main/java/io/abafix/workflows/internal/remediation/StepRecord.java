package io.abafix.workflows.internal.remediation;

import io.abafix.activities.model.StepResult;
import java.util.List;
import java.util.Map;

/**
 * What one step did, before it goes into the journal.
 *
 * @param actor who approved or did it; null for the workflow
 * @param problems what the final verification found; empty for every other step
 */
public record StepRecord(
    String outcome,
    int attempts,
    String actor,
    Map<String, String> before,
    Map<String, String> after,
    String detail,
    List<String> problems) {

  public static StepRecord of(StepResult r) {
    return new StepRecord(
        r.changed() ? "DONE" : "NO_CHANGE",
        r.attempt(),
        null,
        r.before(),
        r.after(),
        r.detail(),
        List.of());
  }

  public static StepRecord done(
      int attempts, Map<String, String> before, Map<String, String> after, String detail) {
    return new StepRecord("DONE", attempts, null, before, after, detail, List.of());
  }

  public static StepRecord noChange(Map<String, String> facts, String detail) {
    return new StepRecord("NO_CHANGE", 1, null, facts, facts, detail, List.of());
  }

  public static StepRecord skipped(Map<String, String> facts, String detail) {
    return new StepRecord("SKIPPED", 0, null, facts, facts, detail, List.of());
  }

  /**
   * Who approved a destructive step, as its worker verified it ({@code approvedBy} in the step's
   * facts, e.g. {@code alice@contoso.onmicrosoft.com (verified)}); {@code fallback} otherwise.
   */
  public static String approvedBy(StepResult r, String fallback) {
    String verified = r.after().get(StepResult.APPROVED_BY);
    return verified == null ? fallback : verified;
  }

  public StepRecord by(String who) {
    return new StepRecord(outcome, attempts, who, before, after, detail, problems);
  }

  public StepRecord plusPolls(int extra) {
    return new StepRecord(
        outcome,
        attempts,
        actor,
        before,
        after,
        detail + (extra > 0 ? " (signed in after " + extra + " waits)" : ""),
        problems);
  }
}
