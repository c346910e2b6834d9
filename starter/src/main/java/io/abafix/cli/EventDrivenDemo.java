package io.abafix.cli;

import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.cli.report.AuditFile;
import io.abafix.cli.report.RunReport;
import io.abafix.lab.Lab;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.scenario.Scenario;
import io.abafix.worker.Workers;
import io.abafix.worker.watch.ServerWatcher;
import io.abafix.worker.watch.TemporalIncidentReporter;
import io.abafix.worker.watch.WatcherOptions;
import io.abafix.workflows.ConnectorParameterRepairWorkflow;
import io.abafix.workflows.IncidentWorkflow;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.incident.ChildRun;
import io.abafix.workflows.incident.IncidentConfig;
import io.abafix.workflows.incident.IncidentPolicy;
import io.abafix.workflows.incident.IncidentResult;
import io.abafix.workflows.incident.IncidentStatus;
import io.abafix.workflows.incident.Remedy;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.DecisionScope;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.Timings;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowNotFoundException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The demo's event-driven path ({@code "demo": {"flow": "incident"}} in a scenario): a watcher per
 * server runs in this process at a fast interval, the lab does what the scenario's demo section
 * says (an out-of-band certificate rollover, an OK in Synchronization Service Manager), a sync
 * cycle runs on every server, the watchers report, the tenant's incident workflow debounces,
 * diagnoses and proposes; the demo approves (the proposal, then each destructive step of a
 * remediation), the proposed workflows run as children, and it prints the incident's journal and
 * then each child's.
 */
final class EventDrivenDemo {
  private static final Duration WATCH_INTERVAL = Duration.ofMillis(500);
  private static final long DEBOUNCE_SECONDS = 2;

  private final PrintWriter progress;
  private final PrintWriter out;
  private final Lab lab;
  private final Path auditOut;
  private final boolean json;
  private final Function<Lab, DemoEnvironment> environment;

  /** The lab user who approves each destructive step of the remediation the incident starts. */
  private AutoApprover approver;

  EventDrivenDemo(
      PrintWriter progress,
      PrintWriter out,
      Lab lab,
      Path auditOut,
      boolean json,
      Function<Lab, DemoEnvironment> environment) {
    this.environment = environment;
    this.progress = progress;
    this.out = out;
    this.lab = lab;
    this.auditOut = auditOut;
    this.json = json;
  }

  int run() throws Exception {
    Path stateDir = Files.createTempDirectory("abafix-watchers-");
    List<ServerWatcher> watchers = new ArrayList<>();
    try (DemoEnvironment env = environment.apply(lab)) {
      Render.demoHeader("abafix demo (event-driven)", lab, lab.serverNames(), env)
          .forEach(progress::println);
      WorkflowClient client = env.client();
      approver = env.approver(DemoCommand.DEMO_APPROVER);
      IncidentConfig config = config();
      TemporalIncidentReporter reporter = new TemporalIncidentReporter(client, config);
      for (SyncServerHost host : env.adapters().hosts()) {
        watchers.add(
            Workers.watcher(
                    host,
                    reporter,
                    new WatcherOptions(
                        lab.tenantDomain(),
                        WATCH_INTERVAL,
                        stateDir.resolve(host.serverName().toLowerCase() + ".json"),
                        Duration.ofHours(1)))
                .start());
      }
      progress.println(
          "  watchers on "
              + String.join(", ", lab.serverNames())
              + " poll every "
              + WATCH_INTERVAL.toMillis()
              + " ms; the incident debounces "
              + DEBOUNCE_SECONDS
              + " s");
      TimeUnit.MILLISECONDS.sleep(WATCH_INTERVAL.toMillis() * 2);
      trigger();

      String incidentId = WorkflowIds.incident(lab.tenantDomain());
      IncidentResult result = followIncident(client, incidentId);
      watchers.forEach(ServerWatcher::close);

      progress.println("incident: " + result.outcome() + ": " + result.message());
      finalState().forEach(progress::println);
      // One hash chain per file, each with the key that verifies it beside it: the incident's
      // journal, then each remediation's, so that every file's report checks.
      writeJournal(incidentId, result.audit(), auditOut, env);
      int n = 0;
      for (ChildRun c : result.children()) {
        List<AuditEntry> journal = ClosedRun.journal(() -> childAudit(client, c));
        Path file = sibling(auditOut, "-remediation-" + (++n));
        progress.println("remediation " + c.workflowId() + ": " + c.outcome());
        writeJournal(c.workflowId(), journal, file, env);
      }
      progress.flush();
      if (json) {
        out.println(DemoCommand.summaryJson(outcomeFor(result), lab.snapshot()));
        out.flush();
      }
      return IncidentResult.RESOLVED.equals(result.outcome())
              || IncidentResult.NOTHING_TO_FIX.equals(result.outcome())
          ? 0
          : ErrorHandler.RUN_FAILED;
    } finally {
      watchers.forEach(ServerWatcher::close);
      deleteQuietly(stateDir);
    }
  }

  private IncidentConfig config() {
    String credential = null;
    Map<String, String> sources = new LinkedHashMap<>();
    for (Scenario.Server s : lab.scenario().servers()) {
      if (credential == null && !s.credentialReferences().isEmpty()) {
        credential = s.credentialReferences().get(0);
      }
      if (Boolean.FALSE.equals(s.internet()) && s.stagedModulePath() != null) {
        sources.put(s.name().toUpperCase(), s.stagedModulePath());
      }
    }
    // Every proposal waits for approval, which the demo then gives: the path a real tenant takes.
    return new IncidentConfig(
        lab.tenantDomain(),
        lab.serverNames(),
        credential,
        sources,
        new IncidentPolicy(Set.of(), DEBOUNCE_SECONDS, 600, false, 30),
        new Timings(120, 1, 120, 30),
        // The lab automates every step, as the demo's own remediation does.
        List.of(),
        null);
  }

  private void trigger() {
    Scenario.Demo demo = lab.scenario().demoOrDefault();
    if (demo.rotateCertificateOf() != null) {
      lab.rotateCertificateOutOfBand(demo.rotateCertificateOf());
      progress.println(
          "lab: "
              + demo.rotateCertificateOf().toUpperCase()
              + "'s certificate rolls over out of band; the new key replaces every key of its app");
    }
    if (demo.saveConnectorOf() != null) {
      boolean cleared = lab.saveConnectorInSyncServiceManager(demo.saveConnectorOf());
      progress.println(
          "lab: someone selects OK on "
              + demo.saveConnectorOf().toUpperCase()
              + "'s Entra connector in Synchronization Service Manager"
              + (cleared ? ": its ABA parameters are gone" : ""));
    }
    for (String server : lab.serverNames()) {
      lab.runSyncCycle(server)
          .ifPresent(
              check ->
                  progress.println(
                      "lab: sync cycle on "
                          + server
                          + ": "
                          + (check.authenticated()
                              ? "signs in"
                              : check.errorCode() + " (event 906 logged)")));
    }
    progress.flush();
  }

  private IncidentResult followIncident(WorkflowClient client, String id) throws Exception {
    long deadline = System.currentTimeMillis() + 60_000;
    IncidentWorkflow incident = client.newWorkflowStub(IncidentWorkflow.class, id);
    IncidentStatus status = null;
    while (status == null) {
      try {
        status = incident.status();
      } catch (WorkflowNotFoundException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("no watcher reported anything within a minute");
        }
        TimeUnit.MILLISECONDS.sleep(200);
      }
    }
    progress.println("incident " + id + " opened; its journal:");
    CompletableFuture<IncidentResult> result =
        client.newUntypedWorkflowStub(id).getResultAsync(IncidentResult.class);
    int printed = 0;
    Set<String> followed = new HashSet<>();
    while (true) {
      boolean done = result.isDone();
      List<AuditEntry> audit;
      try {
        audit = incident.audit();
        if (!done) status = incident.status();
      } catch (io.temporal.client.WorkflowQueryException e) {
        if (ClosedRun.closed(result)) break;
        throw e;
      }
      for (; printed < audit.size(); printed++)
        Render.followed(audit.get(printed)).forEach(progress::println);
      progress.flush();
      if (done) break;
      if (status.pendingApproval() != null) {
        for (var run : status.proposal()) {
          progress.println("  proposed: " + run.remedy() + " as " + run.workflowId());
          run.plan().forEach(line -> progress.println("      " + line));
        }
        progress.println("  demo approves the proposal: " + status.pendingApproval().description());
        // The demo's approver signs in at the lab's Entra ID, as abafix approve would.
        PendingApproval proposal = status.pendingApproval();
        String runId = client.newUntypedWorkflowStub(id).describe().getExecution().getRunId();
        DecisionBinding binding =
            DecisionScope.binding(
                client.getOptions().getNamespace(),
                id,
                Decisions.chainOf(client, id, runId),
                proposal.gate(),
                List.of(proposal),
                true);
        incident.decide(
            new ApprovalRequest(
                proposal.gate(),
                approver.user(),
                true,
                "approved automatically by the demo",
                proposal.digest(),
                ApprovalProof.of(approver.signer().sign(binding, approver.user()), binding)));
      }
      for (ChildRun child : status.children()) {
        if (!followed.add(child.workflowId())) continue;
        for (; printed < incident.audit().size(); printed++) {
          Render.followed(incident.audit().get(printed)).forEach(progress::println);
        }
        progress.println("journal of " + child.workflowId() + ":");
        followChild(client, child);
        progress.println("incident " + id + ", continued:");
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    try {
      return result.join();
    } catch (java.util.concurrent.CompletionException e) {
      if (!(e.getCause() instanceof WorkflowFailedException failed)) throw e;
      // Ended from outside (terminated, cancelled): the demo says so, with the journal so far.
      Outcome how = ClosedRun.outcome(failed, null);
      List<AuditEntry> audit = ClosedRun.journal(incident::audit);
      return new IncidentResult(
          how.name(),
          ErrorHandler.rootMessage(failed),
          List.of(),
          null,
          status.children(),
          List.of(),
          audit,
          0,
          audit.size());
    }
  }

  private void followChild(WorkflowClient client, ChildRun child) throws Exception {
    try {
      if (child.remedy() == Remedy.SHARED_APP_REMEDIATION) {
        new RunFollower(client, child.workflowId(), progress, approver, Duration.ofMillis(200))
            .follow();
      } else {
        RepairCommand.follow(client, child.workflowId(), progress, approver);
      }
    } catch (WorkflowFailedException e) {
      Outcome how =
          ClosedRun.outcome(
              e,
              child.remedy() == Remedy.SHARED_APP_REMEDIATION
                  ? () ->
                      client
                          .newWorkflowStub(SharedAppRemediationWorkflow.class, child.workflowId())
                          .progress()
                          .outcome()
                  : null);
      progress.println("  " + child.workflowId() + " " + how + ": " + ErrorHandler.rootMessage(e));
    }
  }

  /** Writes one run's journal, the key that verifies it, and its report, and says where. */
  private void writeJournal(
      String runId, List<AuditEntry> journal, Path file, DemoEnvironment env) {
    if (journal.isEmpty()) {
      progress.println("  journal of " + runId + ": " + ClosedRun.NO_JOURNAL + "; nothing written");
      return;
    }
    AuditExport.write(journal, file);
    Path pub = AuditExport.writePublicKey(env.auditPublicKey(), file);
    progress.println("  journal: " + journal.size() + " entries written to " + file);
    Path report = DemoCommand.reportBeside(file);
    AuditFile written = AuditFile.read(file, AuditSigning.readPublicKey(pub));
    ReportCommand.write(
        RunReport.of(runId, written.entries(), null, written.verification()), report, true);
    progress.println("  report: " + report);
  }

  /** {@code abafix-audit.jsonl} with a suffix: {@code abafix-audit-remediation-1.jsonl}. */
  private static Path sibling(Path file, String suffix) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return file.resolveSibling(
        (dot > 0 ? name.substring(0, dot) : name) + suffix + (dot > 0 ? name.substring(dot) : ""));
  }

  private static List<AuditEntry> childAudit(WorkflowClient client, ChildRun c) {
    return c.remedy() == Remedy.SHARED_APP_REMEDIATION
        ? client.newWorkflowStub(SharedAppRemediationWorkflow.class, c.workflowId()).audit()
        : client.newWorkflowStub(ConnectorParameterRepairWorkflow.class, c.workflowId()).audit();
  }

  private List<String> finalState() {
    List<String> lines = new ArrayList<>();
    lines.add("final state (read from the lab):");
    LabSnapshot end = lab.snapshot();
    for (LabSnapshot.Server s : end.servers()) {
      List<String> blank = s.abaParameters() == null ? List.of() : s.abaParameters().blankNames();
      lines.add(
          String.format(
              "  %-10s %-15s app %-36s signs in %-3s  ABA parameters %s  scheduler %s",
              s.name(),
              s.identityType(),
              s.applicationId() == null ? "-" : s.applicationId(),
              s.authenticates() ? "yes" : "NO",
              blank.isEmpty() ? "present" : "BLANK " + blank,
              s.syncCycleEnabled() ? "enabled" : "PAUSED"));
    }
    end.applications().forEach(a -> lines.add("  app " + a.displayName() + "  appId " + a.appId()));
    return lines;
  }

  private static Outcome outcomeFor(IncidentResult r) {
    return switch (r.outcome()) {
      case IncidentResult.RESOLVED -> Outcome.SUCCEEDED;
      case IncidentResult.NOTHING_TO_FIX -> Outcome.NOTHING_TO_DO;
      case "TERMINATED" -> Outcome.TERMINATED;
      case "CANCELED" -> Outcome.CANCELED;
      case "TIMED_OUT" -> Outcome.TIMED_OUT;
      default -> Outcome.FAILED;
    };
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // Leftover watcher state in a temporary folder is harmless.
    }
  }
}
