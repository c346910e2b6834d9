package io.abafix.workflows.internal.incident;

import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.incident.Diagnoser;
import io.abafix.workflows.incident.Diagnosis;
import io.abafix.workflows.incident.Finding;
import io.abafix.workflows.incident.FleetFacts;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentPolicy;
import io.abafix.workflows.incident.ProposedRun;
import io.abafix.workflows.internal.FleetSurvey;
import io.abafix.workflows.internal.Gates;
import io.abafix.workflows.internal.StepOptions;
import io.abafix.workflows.plan.Executor;
import io.abafix.workflows.plan.PlanDigest;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What an incident proposes, in the journal, and the one gate that approves all of it. */
public final class Proposals {
  /** The approval gate of an incident: its whole proposal. */
  public static final String GATE = "PROPOSAL";

  private static final String TARGET_TENANT = "tenant";

  private Proposals() {}

  /** The diagnosis and proposal, recorded as a side effect: a later Diagnoser cannot change it. */
  public static Assessment assess(FleetFacts facts, IncidentConfig config) {
    long at = Workflow.currentTimeMillis();
    int days = config.policy().expiryWarningDays();
    return Workflow.sideEffect(
        Assessment.class,
        () -> {
          Diagnosis d = Diagnoser.diagnose(facts, at, days);
          return new Assessment(d, Diagnoser.propose(d, facts, config.tenant(), at));
        });
  }

  /** Records each finding and each proposed workflow with its plan. */
  public static void record(AuditJournal journal, Diagnosis diagnosis, List<ProposedRun> proposal) {
    for (Finding f : diagnosis.findings()) {
      Map<String, String> evidence = new LinkedHashMap<>();
      for (int i = 0; i < f.evidence().size(); i++) {
        evidence.put("evidence" + (i + 1), f.evidence().get(i));
      }
      evidence.put("remedy", f.remedy().name());
      journal
          .entry("FINDING")
          .target(String.join(",", f.servers()))
          .executor(Executor.WORKFLOW.name())
          .at(Workflow.currentTimeMillis())
          .attempts(1)
          .outcome(f.severity())
          .after(evidence)
          .detail(f.kind() + ": " + f.summary() + ". Recommended: " + f.recommendation())
          .record();
    }
    for (ProposedRun run : proposal) {
      Map<String, String> plan = new LinkedHashMap<>();
      plan.put("workflowId", run.workflowId());
      plan.put("remedy", run.remedy().name());
      for (int i = 0; i < run.plan().size(); i++) {
        plan.put(String.format(Locale.ROOT, "step%02d", i + 1), run.plan().get(i).strip());
      }
      long gated = run.plan().stream().filter(l -> l.contains("[needs approval]")).count();
      journal
          .entry("PROPOSAL")
          .target(String.join(",", run.servers()))
          .executor(Executor.WORKFLOW.name())
          .at(Workflow.currentTimeMillis())
          .outcome("PROPOSED")
          .after(plan)
          .detail(
              run.remedy()
                  + " as "
                  + run.workflowId()
                  + ": "
                  + run.plan().size()
                  + " steps"
                  + (gated == 0 ? "" : ", " + gated + " of them destructive"))
          .record();
    }
  }

  /**
   * The proposal's one gate, bound to the digest of every proposed workflow and its plan; settled
   * by a person, or by the tenant's policy when it lets every proposed workflow run unattended.
   */
  public static Gates.Settled approve(
      Gates gates, List<ProposedRun> proposal, IncidentPolicy policy) {
    List<String> lines = new ArrayList<>();
    for (ProposedRun r : proposal) {
      lines.add(r.remedy() + " " + r.workflowId() + " " + String.join(",", r.servers()));
      lines.addAll(r.plan());
    }
    String digest = PlanDigest.ofLines(lines);
    Gates.Request gate =
        new Gates.Request(
            GATE,
            TARGET_TENANT,
            String.join(
                "; ",
                proposal.stream()
                    .map(r -> r.remedy() + " on " + String.join(", ", r.servers()))
                    .toList()),
            Map.of(
                "workflows",
                String.join(", ", proposal.stream().map(ProposedRun::workflowId).toList())));
    if (proposal.stream().allMatch(r -> policy.isUnattended(r.remedy()))) {
      return gates
          .byPolicy(
              List.of(gate),
              digest,
              "the tenant's policy lets " + policy.unattended() + " run unattended")
          .get(0);
    }
    return gates
        .await(List.of(gate), digest, Duration.ofSeconds(policy.approvalTimeoutSeconds()))
        .get(0);
  }

  /** Reads the fleet (the configured servers and any that reported) and records it. */
  public static FleetFacts survey(
      io.abafix.workflows.internal.Route route,
      IncidentConfig config,
      List<io.abafix.workflows.incident.IncidentReport> reports,
      AuditJournal journal,
      java.util.function.Function<String, io.abafix.activities.SyncServerActivities> server) {
    java.util.Set<String> servers = new java.util.LinkedHashSet<>(config.servers());
    java.util.Set<String> upper = new java.util.LinkedHashSet<>();
    servers.forEach(s -> upper.add(s.toUpperCase(Locale.ROOT)));
    for (io.abafix.workflows.incident.IncidentReport r : reports) {
      if (upper.add(r.server().toUpperCase(Locale.ROOT))) servers.add(r.server());
    }
    long started = Workflow.currentTimeMillis();
    FleetFacts facts =
        FleetSurvey.observe(
            route,
            config.tenant(),
            List.copyOf(servers),
            server,
            StepOptions.directoryStub(route, config.timings()));
    journal
        .entry("DIAGNOSE")
        .target(TARGET_TENANT)
        .executor(Executor.AUTOMATED.name())
        .between(started, Workflow.currentTimeMillis())
        .attempts(1)
        .outcome(facts.unreachable().isEmpty() ? "DONE" : "PARTIAL")
        .after(
            Map.of(
                "servers", String.join(", ", servers),
                "applications", String.valueOf(facts.observation().applications().size()),
                "unreachable", String.join(", ", facts.unreachable().keySet())))
        .detail(
            "inspected every server and listed the ConnectSyncProvisioning_* apps; nothing changed")
        .record();
    return facts;
  }
}
