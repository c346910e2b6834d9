package io.abafix.cli.status;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.cli.status.RunStatus.Server;
import io.abafix.cli.status.RunStatus.Step;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** How a {@link RunStatus} looks: a whole screen, or the changes since the last one. */
public final class StatusRender {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final ObjectMapper JSON = new ObjectMapper();

  private StatusRender() {}

  /** The whole status, one server after another. */
  public static List<String> screen(RunStatus s) {
    List<String> lines = new ArrayList<>();
    lines.add(s.runId() + ": " + s.outcome() + ", " + duration(s.elapsedMillis()));
    for (Server server : s.servers()) {
      StringBuilder head = new StringBuilder("  ").append(server.name());
      if (server.pausedMillis() > 0 || server.pausedNow()) {
        head.append("  sync paused ").append(duration(server.pausedMillis()));
        if (server.pausedNow()) head.append(" (paused now)");
      }
      if (server.retries() > 0) head.append("  ").append(server.retries()).append(" retries");
      lines.add(head.toString());
      for (Step step : server.steps()) {
        lines.add(
            String.format(
                    Locale.ROOT,
                    "    %-23s %-26s %9s%s  %s",
                    step.state().words(),
                    step.step(),
                    step.state() == RunStatus.State.PENDING ? "" : duration(step.elapsedMillis()),
                    step.attempts() > 1 ? " x" + step.attempts() : "   ",
                    step.detail())
                .stripTrailing());
      }
    }
    if (s.waitingFor() != null) {
      lines.add(
          "  waiting for "
              + s.waitingFor()
              + (s.countdown() == null
                  ? ""
                  : "  ("
                      + s.countdown().what()
                      + " times out in "
                      + countdown(s.countdown())
                      + ")"));
    } else if (s.countdown() != null) {
      lines.add("  " + s.countdown().what() + " times out in " + countdown(s.countdown()));
    }
    if (!s.next().isEmpty()) {
      lines.add("  next:");
      s.next().forEach(n -> lines.add("    " + n));
    }
    return lines;
  }

  /**
   * One line per change from {@code before} (null for the first look) to {@code now}: each step
   * whose state changed, what to do next when that changed, and the run's end.
   */
  public static List<String> changes(RunStatus before, RunStatus now, long at) {
    List<String> lines = new ArrayList<>();
    String time = TIME.format(Instant.ofEpochMilli(at));
    Map<String, Step> was = steps(before);
    for (Server server : now.servers()) {
      for (Step step : server.steps()) {
        Step old = was.get(server.name() + "/" + step.step());
        if (old != null && old.state() == step.state()) continue;
        StringBuilder line =
            new StringBuilder(
                String.format(Locale.ROOT, "%s  %-10s %-26s ", time, server.name(), step.step()));
        if (old != null) line.append(old.state().words()).append(" -> ");
        line.append(step.state().words());
        if (step.state() != RunStatus.State.PENDING && step.elapsedMillis() > 0) {
          line.append(" (").append(duration(step.elapsedMillis()));
          if (step.attempts() > 1) line.append(", ").append(step.attempts()).append(" attempts");
          line.append(')');
        }
        if (step.state() == RunStatus.State.DONE
            && server.pausedMillis() > 0
            && step.step().equals("RESUME_SCHEDULER")) {
          line.append("; sync was paused ").append(duration(server.pausedMillis()));
        }
        lines.add(line.toString());
      }
    }
    boolean nextPrinted = false;
    if (before == null || !before.next().equals(now.next())) {
      nextPrinted = !now.next().isEmpty();
      now.next().forEach(n -> lines.add(time + "  next: " + n));
      if (now.countdown() != null) {
        lines.add(
            time + "  " + now.countdown().what() + " times out in " + countdown(now.countdown()));
      }
    }
    boolean waitChanged =
        now.waitingFor() != null
            && (before == null || !now.waitingFor().equals(before.waitingFor()));
    if (waitChanged && !nextPrinted) {
      lines.add(
          time
              + "  waiting for "
              + now.waitingFor()
              + (now.countdown() == null
                  ? ""
                  : " ("
                      + now.countdown().what()
                      + " times out in "
                      + countdown(now.countdown())
                      + ")"));
    }
    if (now.ended() && (before == null || !before.ended())) {
      lines.add(time + "  run " + now.outcome() + " after " + duration(now.elapsedMillis()));
    }
    return lines;
  }

  /** The same changes as {@link #changes}, each as one JSON object. */
  public static List<String> jsonChanges(RunStatus before, RunStatus now, long at) {
    List<String> lines = new ArrayList<>();
    String time = Instant.ofEpochMilli(at).toString();
    Map<String, Step> was = steps(before);
    for (Server server : now.servers()) {
      for (Step step : server.steps()) {
        Step old = was.get(server.name() + "/" + step.step());
        if (old != null && old.state() == step.state()) continue;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", time);
        m.put("type", "step");
        m.put("run", now.runId());
        m.put("server", server.name());
        m.put("step", step.step());
        m.put("state", step.state().words());
        m.put("previous", old == null ? null : old.state().words());
        m.put("elapsedMillis", step.elapsedMillis());
        m.put("attempts", step.attempts());
        m.put("serverRetries", server.retries());
        m.put("syncPausedMillis", server.pausedMillis());
        m.put("detail", step.detail());
        lines.add(json(m));
      }
    }
    boolean waitChanged =
        now.waitingFor() != null
            && (before == null || !now.waitingFor().equals(before.waitingFor()));
    if (waitChanged || before == null || !before.next().equals(now.next())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", time);
      m.put("type", "next");
      m.put("run", now.runId());
      m.put("waitingFor", now.waitingFor());
      m.put("commands", now.next());
      if (now.countdown() != null) {
        m.put(
            "countdown",
            Map.of(
                "what",
                now.countdown().what(),
                "remainingMillis",
                now.countdown().remainingMillis()));
      }
      lines.add(json(m));
    }
    if (now.ended() && (before == null || !before.ended())) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("time", time);
      m.put("type", "run");
      m.put("run", now.runId());
      m.put("outcome", now.outcome());
      m.put("elapsedMillis", now.elapsedMillis());
      lines.add(json(m));
    }
    return lines;
  }

  /**
   * A closed run's one {@code "closed"} object: how Temporal closed it (and who, and why, when it
   * was terminated), the servers it left paused or maybe paused, and whether its journal is whole,
   * with what is missing.
   */
  public static String json(ClosedRun c, long at) {
    var j = c.journal();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("time", Instant.ofEpochMilli(at).toString());
    m.put("type", "closed");
    m.put("run", j.workflowId());
    m.put("runId", j.runId());
    m.put("closedAs", j.closedAs());
    m.put("closedAt", Instant.ofEpochMilli(j.closedAtMillis()).toString());
    m.put("outcome", j.outcome());
    m.put("closedBy", j.closedBy());
    m.put("message", j.message());
    m.put("leftPaused", List.copyOf(c.leftPaused().keySet()));
    m.put("maybePaused", List.copyOf(c.maybePaused()));
    m.put("complete", j.complete());
    List<String> missing = new ArrayList<>(j.missing());
    j.unrecorded().forEach(u -> missing.add(u.describe()));
    m.put("missing", missing);
    return json(m);
  }

  private static Map<String, Step> steps(RunStatus s) {
    Map<String, Step> m = new HashMap<>();
    if (s == null) return m;
    for (Server server : s.servers()) {
      for (Step step : server.steps()) m.put(server.name() + "/" + step.step(), step);
    }
    return m;
  }

  private static String json(Map<String, Object> m) {
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String countdown(RunStatus.Countdown c) {
    return c.remainingMillis() <= 0 ? "now" : duration(c.remainingMillis());
  }

  static String duration(long millis) {
    Duration d = Duration.ofMillis(Math.max(0, millis));
    if (d.toMinutes() == 0) return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    if (d.toHours() == 0) return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    return d.toHours() + " h " + d.toMinutesPart() + " min";
  }
}
