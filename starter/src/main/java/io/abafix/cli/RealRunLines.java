package io.abafix.cli;

import io.abafix.cli.rehearsal.RehearsalTiming;
import io.abafix.lab.Lab;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.plan.Plan;
import io.abafix.workflows.plan.PlannedStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the demo's run would have meant on real servers: each server's sync pause with every step at
 * its typical length (the one table, {@link RehearsalTiming#STEPS}) and each new service account's
 * documented propagation, and the people the run asks. The demo's own figures are seconds; a change
 * board needs these.
 */
final class RealRunLines {
  private RealRunLines() {}

  static List<String> of(List<AuditEntry> audit, Lab lab, Plan plan) {
    List<String> lines = new ArrayList<>();
    Map<String, Long> predicted = predictedPauses(audit, lab);
    if (predicted.isEmpty() && plan == null) return lines;
    lines.add("in a real run:");
    predicted.forEach(
        (server, ms) ->
            lines.add(
                "  "
                    + server
                    + " sync paused for about "
                    + Math.max(1, Duration.ofMillis(ms).toMinutes())
                    + " min (its steps at their typical lengths, 15 min propagation per new"
                    + " service account)"));
    if (plan != null && !plan.steps().isEmpty()) lines.addAll(people(plan));
    return lines;
  }

  /**
   * Each SYNC_PAUSED window, with what the lab shortened put back: every step latency served inside
   * it at its full typical length, and every revert inside it waited out for Microsoft's up to 15
   * minutes instead of the lab's seconds.
   */
  static Map<String, Long> predictedPauses(List<AuditEntry> audit, Lab lab) {
    long labPropagation = lab.scenario().timing().propagationDelayMillis();
    Map<String, Long> out = new LinkedHashMap<>();
    for (AuditEntry w : audit) {
      if (!"SYNC_PAUSED".equals(w.step())) continue;
      long total = w.endedAt() - w.startedAt();
      for (Lab.Latency l : lab.latencies()) {
        if (l.startedAt() < w.startedAt() || l.startedAt() > w.endedAt()) continue;
        if (!RehearsalTiming.addedBack(l.step())) continue;
        Long seconds = RehearsalTiming.STEP_SECONDS.get(l.step());
        if (seconds != null) total += Math.max(0, seconds * 1000 - l.millis());
      }
      for (AuditEntry e : audit) {
        if ("REVERT_TO_SERVICE_ACCOUNT".equals(e.step())
            && "DONE".equals(e.outcome())
            && e.endedAt() >= w.startedAt()
            && e.endedAt() <= w.endedAt()) {
          total += Math.max(0, RehearsalTiming.PROPAGATION.toMillis() - labPropagation);
        }
      }
      out.merge(w.target(), total, Long::sum);
    }
    return out;
  }

  /** Who the run asks: one approver for the plan's gates, and a person at each console. */
  static List<String> people(Plan plan) {
    List<String> lines = new ArrayList<>();
    long gates = plan.steps().stream().filter(PlannedStep::destructive).count();
    lines.add(
        "  one approver signs in once, before any pause, for the plan's "
            + gates
            + " destructive step"
            + (gates == 1 ? "" : "s"));
    Map<String, List<String>> byServer = new LinkedHashMap<>();
    for (PlannedStep s : plan.steps()) {
      if (RemediationRequest.DOCUMENTED_OPERATOR_STEPS.contains(s.step())) {
        byServer.computeIfAbsent(s.target(), k -> new ArrayList<>()).add(s.step().name());
      }
    }
    byServer.forEach(
        (server, steps) ->
            lines.add(
                "  a person at "
                    + server
                    + "'s console: "
                    + String.join(", ", steps)
                    + ", each confirmed with abafix confirm"));
    return lines;
  }
}
