package io.abafix.cli.report;

import static io.abafix.cli.report.Html.esc;

import io.abafix.cli.report.RunReport.Lane;
import io.abafix.cli.report.RunReport.ServerState;
import io.abafix.cli.report.RunReport.ServerStates;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Renders a {@link RunReport} as one self-contained HTML page: no script, no external asset, a
 * Content Security Policy that lets the page load nothing but its own stylesheet, and a print
 * stylesheet. Every value from the journal is escaped.
 */
public final class HtmlReport {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);
  private static final Set<String> FAILED = Set.of("FAILED", "REJECTED", "TIMED_OUT");

  // The timeline's geometry, in SVG user units.
  private static final int WIDTH = 960;
  private static final int LABEL = 230;
  private static final int RIGHT = 50;
  private static final int AXIS = 26;
  private static final int ROW = 20;

  private static final String STYLE =
      """
      :root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --done: #2f7d4f;
        --approval: #b7791f; --operator: #6f42c1; --worker: #8b949e; --failed: #c62828;
        --compensation: #d9534f; --info: #57606a; --paused: #fff4d6; }
      * { box-sizing: border-box; }
      body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
        color: var(--ink); margin: 2rem auto; max-width: 1040px; padding: 0 1rem; }
      h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
      h2 { font-size: 1.15rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem;
        margin-top: 2rem; }
      code, .mono { font-family: ui-monospace, "Cascadia Mono", Consolas, monospace;
        font-size: .92em; overflow-wrap: anywhere; }
      .outcome { display: inline-block; padding: .3rem .7rem; border-radius: 4px; color: #fff;
        font-weight: 600; }
      .outcome-succeeded, .outcome-dry_run, .outcome-nothing_to_do { background: var(--done); }
      .outcome-compensated, .outcome-failed, .outcome-terminated, .outcome-timed_out {
        background: var(--failed); }
      .outcome-running { background: var(--approval); }
      dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; }
      dl.summary dt { color: var(--muted); }
      dl.summary dd { margin: 0; }
      table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
      th, td { border: 1px solid var(--line); padding: .25rem .45rem; text-align: left;
        vertical-align: top; overflow-wrap: anywhere; }
      .simulation { background: #fff4d6; border: 2px solid #e0c878; padding: .5rem .8rem;
        font-weight: 600; letter-spacing: .02em; }
      th { background: #f6f8fa; }
      td.changed { background: #e6f4ea; font-weight: 600; }
      tr.after td { border-bottom-width: 2px; }
      figure.timeline { margin: 1rem 0; }
      figure.timeline figcaption { font-weight: 600; }
      figure.timeline svg { width: 100%; height: auto; display: block; }
      svg text { font: 11px system-ui, sans-serif; fill: var(--ink); }
      svg text.tick { fill: var(--muted); }
      svg line.grid { stroke: var(--line); stroke-width: 1; }
      svg rect.paused { fill: var(--paused); }
      svg text.paused { fill: #8a6100; }
      svg rect.bar { stroke: none; }
      svg .kind-done { fill: var(--done); } svg .kind-approval { fill: var(--approval); }
      svg .kind-operator { fill: var(--operator); } svg .kind-worker { fill: var(--worker); }
      svg .kind-failed { fill: var(--failed); } svg .kind-info { fill: var(--info); }
      svg .kind-compensation { fill: var(--compensation); }
      svg text.retry { fill: var(--failed); font-weight: 600; }
      .legend span { display: inline-block; margin-right: 1rem; }
      .legend i { display: inline-block; width: .9rem; height: .9rem; vertical-align: -2px;
        margin-right: .3rem; border-radius: 2px; }
      .legend .kind-done { background: var(--done); } .legend .kind-approval { background: var(--approval); }
      .legend .kind-operator { background: var(--operator); } .legend .kind-worker { background: var(--worker); }
      .legend .kind-failed { background: var(--failed); }
      .legend .kind-compensation { background: var(--compensation); }
      .legend .paused { background: var(--paused); border: 1px solid #e0c878; }
      .check-passed { color: var(--done); font-weight: 600; }
      .check-failed { color: var(--failed); font-weight: 600; }
      .check-not_checked { color: var(--muted); font-weight: 600; }
      .muted { color: var(--muted); }
      footer { margin-top: 2rem; color: var(--muted); font-size: .85rem; }
      @media print {
        body { margin: 0; max-width: none; font-size: 10pt; }
        * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        section, figure.timeline, tr { break-inside: avoid; }
        #journal { break-before: page; }
        h2 { break-after: avoid; }
      }
      """;

  private HtmlReport() {}

  /** The page. {@code generatedAt} is printed in the footer (passed in to keep this pure). */
  public static String render(RunReport r, Instant generatedAt) {
    return render(r, generatedAt, false);
  }

  /**
   * @param simulation whether the run was the lab's (a demo or a rehearsal): the page says so at
   *     its top, so that nobody takes it for a change made to real servers
   */
  public static String render(RunReport r, Instant generatedAt, boolean simulation) {
    StringBuilder h = new StringBuilder(32_000);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; ")
        .append("style-src '")
        .append(sha256(STYLE))
        .append("'; base-uri 'none'; form-action 'none'\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>abafix report: ")
        .append(esc(r.runId()))
        .append("</title>\n<style>")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n");
    if (simulation) {
      h.append("<p id=\"simulation\" class=\"simulation\">LAB SIMULATION: these servers and")
          .append(" this tenant are abafix's lab; nothing real was changed.</p>\n");
    }
    header(h, r);
    summary(h, r);
    timelines(h, r);
    beforeAfter(h, r);
    findings(h, r);
    decisions(h, r);
    verification(h, r);
    journal(h, r);
    h.append("<footer>Written by abafix from the run's journal (")
        .append(r.entries().size())
        .append(" entries) on ")
        .append(esc(DATE_TIME.format(generatedAt)))
        .append(". Times are UTC, as the workflow recorded them.</footer>\n</body>\n</html>\n");
    return h.toString();
  }

  private static void header(StringBuilder h, RunReport r) {
    h.append("<header>\n<h1>Remediation report</h1>\n<p>Run <code>")
        .append(esc(r.runId()))
        .append("</code>");
    if (r.tenant() != null) h.append(", tenant <code>").append(esc(r.tenant())).append("</code>");
    if (r.requestedBy() != null) h.append(", requested by ").append(esc(r.requestedBy()));
    h.append(".</p>\n<p><span id=\"outcome\" class=\"outcome outcome-")
        .append(esc(r.outcome().toLowerCase(Locale.ROOT)))
        .append("\">")
        .append(esc(r.outcome()))
        .append("</span> ")
        .append(esc(r.outcomeDetail()))
        .append("</p>\n</header>\n");
  }

  private static void summary(StringBuilder h, RunReport r) {
    long approvals = r.decisions().stream().filter(Entry::decision).count();
    h.append("<section id=\"summary\">\n<h2>Summary</h2>\n<dl class=\"summary\">\n");
    dt(h, "Started", r.entries().isEmpty() ? "-" : DATE_TIME.format(at(r.startedAt())));
    dt(h, "Last entry", r.entries().isEmpty() ? "-" : DATE_TIME.format(at(r.endedAt())));
    dt(h, "Duration", duration(r.endedAt() - r.startedAt()));
    dt(h, "Servers", String.join(", ", r.serverLanes().stream().map(Lane::target).toList()));
    dt(h, "Journal entries", String.valueOf(r.entries().size()));
    dt(h, "Decisions", String.valueOf(approvals));
    dt(h, "Retries", String.valueOf(r.retries()));
    dt(h, "Compensation steps", String.valueOf(r.compensations()));
    for (Lane lane : r.serverLanes()) {
      if (lane.paused().isEmpty()) continue;
      boolean open = lane.paused().stream().anyMatch(w -> w[1] < 0);
      dt(
          h,
          "Sync paused on " + lane.target(),
          duration(lane.pausedMillis(r.endedAt()))
              + (open ? " (still paused at the last entry)" : ""));
    }
    dt(h, "Audit", r.verification().summary());
    h.append("</dl>\n</section>\n");
  }

  private static void timelines(StringBuilder h, RunReport r) {
    h.append("<section id=\"timelines\">\n<h2>Timeline per server</h2>\n")
        .append("<p class=\"legend\">")
        .append("<span><i class=\"kind-done\"></i>step</span>")
        .append("<span><i class=\"kind-approval\"></i>waiting for approval</span>")
        .append("<span><i class=\"kind-operator\"></i>operator step</span>")
        .append("<span><i class=\"kind-worker\"></i>waiting for a worker</span>")
        .append("<span><i class=\"kind-failed\"></i>failed</span>")
        .append("<span><i class=\"kind-compensation\"></i>compensation</span>")
        .append("<span><i class=\"paused\"></i>sync paused</span>")
        .append("<span>\u00d7N: attempts</span></p>\n");
    long t0 = r.startedAt();
    long span = Math.max(1, r.endedAt() - r.startedAt());
    for (Lane lane : r.lanes()) {
      int rows = lane.entries().size();
      int height = AXIS + rows * ROW + 6;
      String caption =
          lane.target().equals(RunReport.DIRECTORY) ? "directory (Microsoft Graph)" : lane.target();
      h.append("<figure class=\"timeline\" data-server=\"")
          .append(esc(lane.target()))
          .append("\">\n<figcaption>")
          .append(esc(caption));
      if (!lane.paused().isEmpty()) {
        h.append(" <span class=\"muted\">sync paused ")
            .append(esc(duration(lane.pausedMillis(r.endedAt()))))
            .append("</span>");
      }
      h.append("</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
          .append(WIDTH)
          .append(' ')
          .append(height)
          .append("\" role=\"img\" aria-label=\"")
          .append(esc("timeline of " + lane.target()))
          .append("\">\n");
      int chart = WIDTH - LABEL - RIGHT;
      for (long[] w : lane.paused()) {
        double x1 = LABEL + (w[0] - t0) * (double) chart / span;
        double x2 = LABEL + ((w[1] < 0 ? r.endedAt() : w[1]) - t0) * (double) chart / span;
        h.append(
                String.format(
                    Locale.ROOT,
                    "<rect class=\"paused\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\"><title>",
                    x1,
                    AXIS - 4,
                    Math.max(1, x2 - x1),
                    rows * ROW + 8))
            .append(esc("sync paused " + duration((long) ((x2 - x1) * span / chart))))
            .append("</title></rect>\n");
      }
      for (int i = 0; i <= 4; i++) {
        double x = LABEL + chart * i / 4.0;
        h.append(
                String.format(
                    Locale.ROOT,
                    "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/>"
                        + "<text class=\"tick\" x=\"%.1f\" y=\"14\" text-anchor=\"middle\">",
                    x,
                    AXIS - 6,
                    x,
                    height - 2,
                    x))
            .append(esc(TIME.format(at(t0 + span * i / 4))))
            .append("</text>\n");
      }
      for (int i = 0; i < rows; i++) {
        Entry e = lane.entries().get(i);
        int y = AXIS + i * ROW;
        double x = LABEL + (e.startedAt() - t0) * (double) chart / span;
        double w = Math.max(3, e.durationMillis() * (double) chart / span);
        h.append(String.format(Locale.ROOT, "<g class=\"step\" data-seq=\"%d\">", e.seq()))
            .append(String.format(Locale.ROOT, "<text x=\"4\" y=\"%d\">", y + 14))
            .append(esc(label(e)))
            .append("</text>")
            .append(
                String.format(
                    Locale.ROOT,
                    "<rect class=\"bar kind-%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" rx=\"2\">",
                    kind(e),
                    x,
                    y + 3,
                    w,
                    ROW - 6))
            .append("<title>")
            .append(esc(tooltip(e)))
            .append("</title></rect>");
        if (e.attempts() > 1) {
          h.append(
              String.format(
                  Locale.ROOT,
                  "<text class=\"retry\" x=\"%.1f\" y=\"%d\">\u00d7%d</text>",
                  Math.min(x + w + 4, WIDTH - RIGHT + 4),
                  y + 14,
                  e.attempts()));
        }
        h.append("</g>\n");
      }
      h.append("</svg>\n</figure>\n");
    }
    h.append("</section>\n");
  }

  private static void beforeAfter(StringBuilder h, RunReport r) {
    h.append("<section id=\"before-after\">\n<h2>Before and after</h2>\n");
    if (r.states().isEmpty()) {
      h.append("<p class=\"muted\">The journal holds no inspection of a server yet.</p>\n");
    } else {
      h.append("<table id=\"before-after-table\">\n<thead><tr><th>Server</th><th></th>")
          .append("<th>Identity type</th><th>App id</th><th>App name</th><th>Machine id</th>")
          .append("<th>Scheduler</th></tr></thead>\n<tbody>\n");
      for (ServerStates s : r.states()) {
        stateRow(h, s.server(), "before", s.before(), null);
        stateRow(h, s.server(), "after", s.after(), s.before());
      }
      h.append("</tbody>\n</table>\n<p class=\"muted\">After: the last state the journal records")
          .append(
              r.outcome().equals("RUNNING")
                  ? " so far (the run is still going)"
                  : r.outcome().equals("TERMINATED") || r.outcome().equals("TIMED_OUT")
                      ? " (the run was ended from outside: it did not compensate, and the journal"
                          + " stops there)"
                      : "")
          .append("; changed cells are marked.</p>\n");
    }
    h.append("</section>\n");
  }

  private static void stateRow(
      StringBuilder h, String server, String when, ServerState s, ServerState before) {
    h.append("<tr class=\"")
        .append(when)
        .append("\" data-server=\"")
        .append(esc(server))
        .append("\">");
    h.append(when.equals("before") ? "<th rowspan=\"2\">" + esc(server) + "</th>" : "");
    h.append("<td>").append(when).append("</td>");
    cell(h, s.identityType(), before == null ? null : before.identityType(), before != null);
    cell(h, s.applicationId(), before == null ? null : before.applicationId(), before != null);
    cell(h, s.applicationName(), before == null ? null : before.applicationName(), before != null);
    cell(h, s.machineId(), before == null ? null : before.machineId(), before != null);
    cell(h, s.scheduler(), before == null ? null : before.scheduler(), before != null);
    h.append("</tr>\n");
  }

  private static void cell(StringBuilder h, String value, String before, boolean compare) {
    boolean changed = compare && !Objects.equals(value, before);
    h.append(changed ? "<td class=\"changed mono\">" : "<td class=\"mono\">")
        .append(value == null ? "-" : esc(value))
        .append("</td>");
  }

  private static void findings(StringBuilder h, RunReport r) {
    h.append("<section id=\"findings\">\n<h2>Findings</h2>\n");
    if (r.findings().isEmpty()) h.append("<p class=\"muted\">No findings recorded.</p>\n");
    else {
      h.append("<ul>\n");
      r.findings().forEach(f -> h.append("<li>").append(esc(f)).append("</li>\n"));
      h.append("</ul>\n");
    }
    h.append("</section>\n");
  }

  private static void decisions(StringBuilder h, RunReport r) {
    h.append("<section id=\"decisions\">\n<h2>Decisions</h2>\n<table>\n<thead><tr>")
        .append("<th>#</th><th>When</th><th>What</th><th>On</th><th>Decision</th><th>By</th>")
        .append("<th>Identity and evidence</th><th>Comment</th></tr></thead>\n<tbody>\n");
    for (Entry e : r.decisions()) {
      h.append("<tr><td>")
          .append(e.seq())
          .append("</td><td>")
          .append(esc(TIME.format(at(e.endedAt()))))
          .append("</td><td>")
          .append(
              esc(
                  e.step().equals("REQUEST")
                      ? "request"
                      : e.after().getOrDefault("gate", e.step())))
          .append("</td><td>")
          .append(esc(e.target()))
          .append("</td><td>")
          .append(esc(e.outcome()))
          .append("</td><td>")
          .append(esc(e.actor() == null ? "-" : e.actor()))
          .append(" <span class=\"muted\">(")
          .append(esc(e.executor().toLowerCase(Locale.ROOT)))
          .append(")</span></td><td>");
      evidence(h, e);
      h.append("</td><td>").append(esc(e.detail())).append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  /** What some evidence fields mean, where their name alone does not say it. */
  private static final Map<String, String> EVIDENCE_WORDS =
      Map.ofEntries(
          Map.entry("signedInAs", "signed in as"),
          Map.entry("signedInAt", "signed in at"),
          Map.entry("tenantId", "in tenant"),
          Map.entry("digest", "bound to what was shown, digest"),
          Map.entry("changes", "with the plan's other changes"),
          Map.entry("credentialReference", "with the credential"),
          Map.entry("identityBefore", "replacing the identity"),
          Map.entry("serviceAccount", "giving the service account"),
          Map.entry("machineIdFrom", "machine id from"),
          Map.entry("machineIdTo", "machine id to"),
          Map.entry("retiredAppIds", "retiring app"),
          Map.entry("objectId", "approver's object id"),
          Map.entry("revertToServiceAccount", "revert of"),
          Map.entry("regenerateMachineId", "machine id regeneration of"));

  /** A field's name in words: from the table, else its camelCase split ("appIds" to "app ids"). */
  static String inWords(String key) {
    String known = EVIDENCE_WORDS.get(key);
    if (known != null) return known;
    return key.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
  }

  /** Whatever the entry carries beyond the common fields: a verified identity, a signature. */
  private static void evidence(StringBuilder h, Entry e) {
    boolean any = false;
    for (Map<String, String> facts : List.of(e.other(), e.after())) {
      for (Map.Entry<String, String> f : facts.entrySet()) {
        if (f.getKey().equals("gate")) continue;
        h.append(any ? "<br>" : "")
            .append(esc(inWords(f.getKey())))
            .append(": <span class=\"mono\">")
            .append(esc(f.getValue().replace(",", ", ")))
            .append("</span>");
        any = true;
      }
    }
    if (!any) h.append("<span class=\"muted\">the journal holds a name only</span>");
  }

  private static void verification(StringBuilder h, RunReport r) {
    h.append("<section id=\"verification\">\n<h2>Audit verification</h2>\n<ul>\n");
    for (Verification.Check c : r.verification().checks()) {
      h.append("<li><span class=\"check-")
          .append(c.state().name().toLowerCase(Locale.ROOT))
          .append("\">")
          .append(c.state().name().replace('_', ' '))
          .append("</span> ")
          .append(esc(c.name()))
          .append(": ")
          .append(esc(c.detail()))
          .append("</li>\n");
    }
    h.append("</ul>\n</section>\n");
  }

  private static void journal(StringBuilder h, RunReport r) {
    h.append("<section id=\"journal\">\n<h2>Journal</h2>\n<table>\n<thead><tr><th>#</th>")
        .append("<th>Ended</th><th>Step</th><th>On</th><th>By</th><th>Attempts</th>")
        .append("<th>Outcome</th><th>Detail</th></tr></thead>\n<tbody>\n");
    for (Entry e : r.entries()) {
      h.append("<tr><td>")
          .append(e.seq())
          .append("</td><td>")
          .append(esc(TIME.format(at(e.endedAt()))))
          .append("</td><td>")
          .append(esc(e.step()))
          .append("</td><td>")
          .append(esc(e.target()))
          .append("</td><td>")
          .append(esc(e.actor() == null ? e.executor().toLowerCase(Locale.ROOT) : e.actor()))
          .append("</td><td>")
          .append(e.attempts())
          .append("</td><td>")
          .append(esc(e.outcome()))
          .append("</td><td>")
          .append(esc(e.detail()))
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  /** How a step shows on the timeline. */
  static String kind(Entry e) {
    if (e.detail().contains("no worker is polling")) return "worker";
    if (e.compensation()) return "compensation";
    if (FAILED.contains(e.outcome())) return "failed";
    if (e.decision()) return "approval";
    if (e.step().equals("REQUEST") || e.outcome().equals("INFO")) return "info";
    if (e.executor().equals("OPERATOR")) return "operator";
    return "done";
  }

  private static String label(Entry e) {
    String step = e.decision() ? "approval" : e.step().toLowerCase(Locale.ROOT).replace('_', ' ');
    String text = e.seq() + " " + step;
    return text.length() > 34 ? text.substring(0, 33) + "\u2026" : text;
  }

  private static String tooltip(Entry e) {
    return "#"
        + e.seq()
        + " "
        + e.step()
        + " on "
        + e.target()
        + ": "
        + e.outcome()
        + ", "
        + duration(e.durationMillis())
        + (e.attempts() > 1 ? ", " + e.attempts() + " attempts" : "")
        + (e.actor() == null ? "" : ", by " + e.actor())
        + (e.detail().isEmpty() ? "" : ". " + e.detail());
  }

  private static void dt(StringBuilder h, String term, String value) {
    h.append("<dt>").append(esc(term)).append("</dt><dd>").append(esc(value)).append("</dd>\n");
  }

  private static Instant at(long millis) {
    return Instant.ofEpochMilli(millis);
  }

  static String duration(long millis) {
    Duration d = Duration.ofMillis(Math.max(0, millis));
    if (d.toMinutes() == 0) return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    if (d.toHours() == 0) return d.toMinutes() + " min " + d.toSecondsPart() + " s";
    return d.toHours() + " h " + d.toMinutesPart() + " min";
  }

  private static String sha256(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
