package io.abafix.cli;

import io.abafix.lab.Lab;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.ServerSummary;
import io.abafix.workflows.plan.Plan;
import io.abafix.workflows.plan.PlannedStep;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/** How runs, plans and journal entries look on a terminal. */
final class Render {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

  private Render() {}

  static String entry(AuditEntry e) {
    String actor =
        e.actor() == null || e.actor().isBlank() || decision(e)
            ? ""
            // A destructive step names the approver its worker verified.
            // An operator step names who did it; a destructive step, the approver its worker
            // verified.
            : e.actor().endsWith("(verified)")
                ? ("OPERATOR".equals(e.executor()) ? "  done by " : "  approved by ") + e.actor()
                : "  [" + e.actor() + "]";
    String attempts = e.attempts() > 1 ? "  (" + e.attempts() + " attempts)" : "";
    // A step on several servers (an incident's remediation) names them in its detail, so that
    // the columns keep their width.
    boolean several = e.target() != null && e.target().contains(",");
    return String.format(
        "  %s  %3d  %-26s %-10s %-11s %s%s%s",
        TIME.format(Instant.ofEpochMilli(e.endedAt())),
        e.seq(),
        STEP_NAMES.getOrDefault(e.step(), e.step()),
        several ? "servers" : e.target(),
        e.outcome(),
        (several ? String.join(", ", e.target().split(",")) + ": " : "") + detail(e),
        attempts,
        actor);
  }

  /** An incident's journal speaks of the remediations it starts, not of child workflows. */
  private static final java.util.Map<String, String> STEP_NAMES =
      java.util.Map.of("CHILD_STARTED", "REMEDIATION_STARTED", "CHILD_ENDED", "REMEDIATION_ENDED");

  /**
   * The lines a followed run prints for one entry: the entry, and under the plan its findings, once
   * each. A signed digest prints nothing here: the journal's signer is named once at the end.
   */
  static List<String> followed(AuditEntry e) {
    if ("AUDIT_DIGEST".equals(e.step())) return List.of();
    List<String> lines = new ArrayList<>();
    lines.add(entry(e));
    if ("PLAN".equals(e.step())) {
      for (String f : findings(e.detail())) lines.add("                     - " + f);
    }
    return lines;
  }

  private static boolean decision(AuditEntry e) {
    return "APPROVAL".equals(e.step()) && e.after() != null && e.after().containsKey("gate");
  }

  private static String detail(AuditEntry e) {
    String detail = e.detail() == null ? "" : e.detail();
    if (decision(e)) {
      // One actor per line: the gate, who decided, and their note when they wrote one.
      String who = e.actor() == null || e.actor().isBlank() ? "" : " by " + e.actor();
      String verb = "APPROVED".equals(e.outcome()) ? " approved" : " " + lower(e.outcome());
      return e.after().get("gate") + verb + who + (detail.isBlank() ? "" : ": " + detail);
    }
    if ("PLAN".equals(e.step())) {
      String steps = e.after() == null ? null : e.after().get("steps");
      int n = findings(detail).size();
      return (steps == null ? "planned" : steps + " steps planned")
          + (n == 0 ? "" : ", " + n + (n == 1 ? " finding:" : " findings:"));
    }
    return detail;
  }

  private static String lower(String s) {
    return s == null ? "" : s.toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The plan's findings, each once: findings that differ only in the server they open with
   * ("SERVERA runs 2.6.3.0, which ...", "SERVERB runs 2.6.3.0, which ...") become one naming every
   * server.
   */
  static List<String> findings(String planDetail) {
    if (planDetail == null || planDetail.isBlank()) return List.of();
    java.util.Map<String, List<String>> byRest = new java.util.LinkedHashMap<>();
    for (String f : planDetail.split("; ")) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("([A-Za-z0-9-]{1,15}) runs (.*)").matcher(f);
      if (m.matches()) {
        byRest.computeIfAbsent("runs " + m.group(2), k -> new ArrayList<>()).add(m.group(1));
      } else {
        byRest.computeIfAbsent(f, k -> new ArrayList<>());
      }
    }
    List<String> out = new ArrayList<>();
    byRest.forEach(
        (rest, servers) -> {
          if (servers.isEmpty()) out.add(rest);
          else if (servers.size() == 1) out.add(servers.get(0) + " " + rest);
          else out.add(String.join(", ", servers) + " run" + rest.substring("runs".length()));
        });
    return out;
  }

  /**
   * Whose journal it is and the key that signed it, as its last signed digest says: the form {@code
   * abafix audit verify} prints, so that what a run printed when it ended can be compared with what
   * a later check of its export says. The key id is SHA-256 of the signing key's public key, its
   * fingerprint.
   */
  static String signer(List<AuditEntry> audit) {
    return AuditExport.signer(audit == null ? List.of() : audit)
        .map(AuditExport.Signer::describe)
        .orElse("no signed digest in the journal");
  }

  /** {@code --expect-key-id} with the journal's signing key, or nothing when it has none. */
  static String expectKeyId(List<AuditEntry> audit) {
    return AuditExport.signer(audit == null ? List.of() : audit)
        .map(AuditExport.Signer::keyId)
        .map(id -> " --expect-key-id " + id)
        .orElse("");
  }

  /** The exact command that approves one gate, bound to the digest of what the person saw. */
  static String approveCommand(String run, PendingApproval p) {
    int at = p.gate().indexOf('@');
    String gate =
        at < 0
            ? "--gate " + p.gate()
            : "--step " + p.gate().substring(0, at) + " --server " + p.gate().substring(at + 1);
    return "abafix approve "
        + run
        + " "
        + gate
        + " --digest "
        + p.digest().substring(0, 12)
        + " (signs you in)";
  }

  /** The exact command that approves every gate at once, bound to the plan's digest. */
  static String approvePlanCommand(String run, PendingApproval p) {
    return "abafix approve "
        + run
        + " --gate PLAN --digest "
        + p.planDigest().substring(0, 12)
        + " (signs you in)";
  }

  static List<String> plan(Plan plan) {
    List<String> lines = new ArrayList<>();
    if (plan == null) return lines;
    plan.findings().forEach(f -> lines.add("  finding: " + f));
    lines.addAll(planSteps(plan));
    return lines;
  }

  /** The plan's servers and steps, without its findings (for a run whose PLAN line showed them). */
  static List<String> planSteps(Plan plan) {
    List<String> lines = new ArrayList<>();
    if (plan == null || plan.nothingToDo()) return lines;
    lines.add(
        "  working server (A): "
            + plan.workingServer()
            + "; broken (B): "
            + String.join(", ", plan.brokenServers()));
    for (PlannedStep s : plan.steps()) {
      lines.add(
          String.format(
              "  %3d. phase %d  %-26s %-10s %s%s",
              s.order(),
              s.phase(),
              s.step(),
              s.target(),
              s.destructive() ? "[needs approval] " : "",
              s.description()));
    }
    return lines;
  }

  /** The two lines a demo starts with: what runs where, and what the scenario shows. */
  static List<String> demoHeader(String title, Lab lab, List<String> servers, DemoEnvironment env) {
    return List.of(
        title
            + ": scenario "
            + lab.scenario().name()
            + " ("
            + String.join(", ", servers)
            + "), tenant "
            + lab.tenantDomain()
            + (env.embedded() ? ", embedded Temporal at " : ", Temporal at ")
            + env.address(),
        "  " + lab.scenario().description());
  }

  static String server(ServerSummary s) {
    return String.format(
        "  %-10s %-15s app %-36s machine id %s  scheduler %s",
        s.name(),
        s.identityType(),
        s.applicationId() == null ? "-" : s.applicationId(),
        s.machineId(),
        s.syncCycleEnabled() ? "enabled" : "PAUSED");
  }
}
