package io.abafix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.abafix.activities.model.ServerNames;
import io.abafix.cli.report.AuditFile;
import io.abafix.cli.report.RunReport;
import io.abafix.lab.Lab;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.incident.FleetFacts;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.plan.Plan;
import io.abafix.workflows.plan.PlannedStep;
import io.abafix.workflows.plan.Planner;
import io.abafix.workflows.plan.StepName;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix demo}: the whole product in one process, against the lab. Starts Temporal's
 * in-memory server, the lab's simulated tenant and servers, and every worker; runs the remediation
 * with approvals granted automatically; prints each step and the final state.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {"  abafix demo --scenario cloned-pair --audit-out run.jsonl"},
    description =
        "Run the shared-app remediation end to end against the lab, in one process; scenarios"
            + " with an incident flow (rotation-breaks-a, blank-parameters) show the event-driven"
            + " path instead.")
final class DemoCommand implements Callable<Integer> {
  /** The lab user who signs in to approve every destructive step of a demo run. */
  static final String DEMO_APPROVER = "alice";

  /** Who does the operator steps at the consoles in the demo: someone other than the approver. */
  static final String DEMO_OPERATOR = "bob";

  @Spec CommandSpec spec;

  @Option(
      names = "--scenario",
      description =
          "A scenario file, or a shipped one: ${COMPLETION-CANDIDATES} (default seed-pair)."
              + " Repeat it for scenarios of different tenants: they run at once, on one"
              + " orchestrator and one directory deployment",
      completionCandidates = ShippedScenarios.class)
  List<String> scenarioNames;

  @Option(
      names = "--audit-out",
      defaultValue = "abafix-audit.jsonl",
      description =
          "Where to write the journal (JSON Lines, hash-chained; default ${DEFAULT-VALUE})")
  Path auditOut;

  @Option(
      names = "--json",
      description = "Print only the final summary, as one JSON object, on stdout")
  boolean json;

  @Option(names = "--dry-run", description = "Preflight and plan only")
  boolean dryRun;

  @Option(
      names = "--fast",
      description =
          "Automate the operator steps (rotation, ABA configuration, revert) as the lab's BYOC"
              + " certificates allow, instead of showing them done by a person and confirmed, as"
              + " a real run does by default")
  boolean fast;

  @Option(
      names = "--rehearse",
      description =
          "First capture the lab's fleet (abafix capture), rehearse the remediation on a copy of"
              + " it (abafix rehearse), then run it with --rehearsed")
  boolean rehearse;

  @Option(
      names = "--server",
      description = "Remediate only this server of the scenario (repeat; default: every server)")
  List<String> servers;

  @Option(
      names = "--credential-ref",
      description =
          "The credential reference the revert uses (default: the first one the scenario lists"
              + " for a server the plan reverts); it must resolve on every server reverted")
  String credentialReference;

  @Option(
      names = "--address",
      paramLabel = "HOST:PORT",
      description =
          "Run against this Temporal instead of the embedded one, so the run shows in its Web UI"
              + " and list (the lab and the workers still run in this process)")
  String address;

  @Option(
      names = "--encryption-key-file",
      description =
          "With --address: the payload key, so that other abafix commands can read the run"
              + " (default: ABAFIX_ENCRYPTION_KEY_FILE, else a throwaway key)")
  Path keyFile;

  private final Function<String, Lab> scenarios;

  DemoCommand() {
    this(ScenarioLoader::load);
  }

  /**
   * @param scenarios loads the lab for a {@code --scenario} value
   */
  DemoCommand(Function<String, Lab> scenarios) {
    this.scenarios = scenarios;
  }

  @Override
  public Integer call() throws Exception {
    if (scenarioNames != null && scenarioNames.size() > 1) return severalTenants();
    String scenario = scenarioNames == null ? "seed-pair" : scenarioNames.get(0);
    Function<Lab, DemoEnvironment> environment = environment();
    Lab lab = scenarios.apply(scenario);
    PrintWriter progress = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    if (Scenario.Demo.INCIDENT.equals(lab.scenario().demoOrDefault().flowOrDefault())) {
      if (servers != null || credentialReference != null) {
        throw new UserError(
            "scenario "
                + lab.scenario().name()
                + " shows the incident flow, which watches every server with the scenario's own"
                + " credential: drop --server and --credential-ref");
      }
      // Watchers notice, the incident workflow proposes: see EventDrivenDemo.
      return new EventDrivenDemo(
              progress, spec.commandLine().getOut(), lab, auditOut, json, environment)
          .run();
    }
    // Everything that can be refused is checked before the embedded server starts.
    List<String> fleet = fleet(lab);
    if (rehearse && dryRun) throw new UserError("--rehearse runs the remediation: drop --dry-run");
    RemediationRequest request = request(lab, fleet, credentialReference(lab, plan(lab, fleet)));
    try (DemoEnvironment env = environment.apply(lab)) {
      Render.demoHeader("abafix demo", lab, request.servers(), env).forEach(progress::println);
      WorkflowClient client = env.client();
      if (rehearse) request = DemoRehearsal.rehearse(client, request, auditOut, progress);
      Scenario.Demo demo = lab.scenario().demoOrDefault();
      // A scenario may have the run started by a lab user who signs in, as abafix remediate does.
      String id =
          RemediateCommand.start(
              client,
              request,
              demo.startedBy() == null ? null : env.approver(demo.startedBy()).signer());
      progress.println(
          "  run "
              + id
              + (demo.startedBy() == null
                  ? ""
                  : ", started by "
                      + lab.identities().requireUser(demo.startedBy()).upn()
                      + " (signed in"
                      + (demo.twoPersonOrDefault() ? ", two-person rule" : "")
                      + ")")
              + "; each step as it happens:");
      Outcome outcome;
      String message;
      List<AuditEntry> audit;
      List<String> findings = List.of();
      io.abafix.workflows.plan.Plan plannedRun = null;
      try {
        RemediationResult result =
            new RunFollower(
                    client,
                    id,
                    progress,
                    env.approver(demo.approvedByOrDefault()),
                    Duration.ofMillis(200))
                .whenRefused(p -> env.skipPast(p.deadline()))
                .operator(
                    automated(lab)
                        ? null
                        : new DemoOperator(
                                lab,
                                client,
                                id,
                                env.approver(DEMO_OPERATOR),
                                request::credentialReferenceFor,
                                progress,
                                Duration.ofMillis(500))
                            ::perform)
                .follow();
        outcome = result.outcome();
        message = result.message();
        if (result.plan() != null) findings = result.plan().findings();
        plannedRun = result.plan();
        // The journal comes with the result: a query now would have a worker replay the whole
        // history, which on a real server can outlast the query's deadline.
        audit = result.audit();
        // The plan's findings were printed under its PLAN line: the steps alone here.
        if (dryRun) Render.planSteps(result.plan()).forEach(progress::println);
      } catch (WorkflowFailedException e) {
        SharedAppRemediationWorkflow ended =
            client.newWorkflowStub(SharedAppRemediationWorkflow.class, id);
        plannedRun = null;
        outcome = ClosedRun.outcome(e, () -> ended.progress().outcome());
        message = ErrorHandler.rootMessage(e);
        audit = ClosedRun.journal(ended::audit);
      }
      LabSnapshot end = lab.snapshot();
      progress.println("outcome: " + outcome + ": " + message);
      progress.println("final state (read from the lab):");
      end.servers()
          .forEach(
              s ->
                  progress.println(
                      String.format(
                          "  %-10s %-15s app %-36s machine id %s  scheduler %s",
                          s.name(),
                          s.identityType(),
                          s.applicationId() == null ? "-" : s.applicationId(),
                          s.machineId(),
                          s.syncCycleEnabled() ? "enabled" : "PAUSED")));
      end.applications()
          .forEach(a -> progress.println("  app " + a.displayName() + "  appId " + a.appId()));
      if (!dryRun) RealRunLines.of(audit, lab, plannedRun).forEach(progress::println);
      if (audit.isEmpty()) {
        progress.println("journal: " + ClosedRun.NO_JOURNAL + "; nothing written");
      } else {
        AuditExport.write(audit, auditOut);
        Path auditKey = AuditExport.writePublicKey(env.auditPublicKey(), auditOut);
        progress.println("journal: " + audit.size() + " entries written to " + auditOut);
        progress.println("  " + Render.signer(audit));
        progress.println(
            "  check it: abafix audit verify "
                + auditOut
                + " --public-key "
                + auditKey
                + Render.expectKeyId(audit));
        Path report = reportBeside(auditOut);
        AuditFile written = AuditFile.read(auditOut, env.auditPublicKey());
        ReportCommand.write(
            RunReport.of(id, written.entries(), outcome.name(), written.verification()),
            report,
            true);
        progress.println("report: " + report);
      }
      progress.flush();
      if (json) {
        spec.commandLine().getOut().println(summaryJson(outcome, end, message, findings, audit));
        spec.commandLine().getOut().flush();
      }
      return outcome == Outcome.SUCCEEDED
              || outcome == Outcome.DRY_RUN
              || outcome == Outcome.NOTHING_TO_DO
          ? 0
          : ErrorHandler.RUN_FAILED;
    }
  }

  /**
   * The summary with the plan's findings and, for a run that did not succeed, why: what {@code
   * --json} prints.
   */
  static String summaryJson(
      Outcome outcome,
      LabSnapshot end,
      String message,
      List<String> findings,
      List<AuditEntry> audit)
      throws Exception {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("outcome", outcome.name());
    if (outcome != Outcome.SUCCEEDED && message != null) summary.put("reason", message);
    summary.put("findings", findings == null ? List.of() : findings);
    summary.put("servers", servers(end));
    summary.put("applications", applications(end));
    summary.put("pausedWindows", pausedWindows(audit));
    return new ObjectMapper()
        .disable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(summary);
  }

  /**
   * Several tenants at once ({@link MultiTenantDemo}): each scenario is a tenant, each tenant's
   * journal goes beside --audit-out with the tenant in its name, and --json prints one summary per
   * tenant, one per line, in the order of the scenarios.
   */
  private int severalTenants() throws Exception {
    if (servers != null || credentialReference != null || dryRun) {
      throw new UserError(
          "--server, --credential-ref and --dry-run go with one --scenario: with several, each"
              + " tenant's whole fleet is remediated with its scenario's credential");
    }
    if (keyFile != null && address == null) {
      throw new UserError("--encryption-key-file goes with --address");
    }
    // --address and the key are checked as for one scenario, before any lab is read.
    AesGcmPayloadCodec codec = address == null ? null : codec();
    List<Lab> labs = new ArrayList<>();
    Set<String> tenants = new java.util.HashSet<>();
    for (String name : scenarioNames) {
      Lab lab = scenarios.apply(name);
      if (Scenario.Demo.INCIDENT.equals(lab.scenario().demoOrDefault().flowOrDefault())) {
        throw new UserError(
            "scenario "
                + lab.scenario().name()
                + " shows the incident flow: run it alone, with one --scenario");
      }
      if (!tenants.add(lab.tenantDomain().toLowerCase(Locale.ROOT))) {
        throw new UserError(
            "scenarios "
                + String.join(", ", scenarioNames)
                + " name tenant "
                + lab.tenantDomain()
                + " twice: give each tenant one scenario");
      }
      plan(lab, lab.serverNames());
      labs.add(lab);
    }
    PrintWriter progress = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    progress.println(
        "abafix demo: "
            + labs.size()
            + " tenants at once on one embedded Temporal, one orchestrator and one directory"
            + " deployment: "
            + String.join(
                ", ",
                labs.stream()
                    .map(l -> l.tenantDomain() + " (" + String.join(", ", l.serverNames()) + ")")
                    .toList()));
    progress.flush();
    MultiTenantDemo.Options options = MultiTenantDemo.Options.quiet().withProgress(progress);
    if (address != null) options = options.withAddress(address).withCodec(codec);
    MultiTenantDemo.Result result = MultiTenantDemo.runLabs(labs, options);
    for (MultiTenantDemo.TenantSummary t : result.tenants()) {
      Path audit = besideWithTenant(auditOut, t.tenant());
      AuditExport.write(t.audit(), audit);
      AuditExport.writePublicKey(result.auditPublicKey(), audit);
      progress.println(
          "["
              + t.tenant()
              + "] "
              + t.outcome()
              + " in "
              + t.took().toMillis()
              + " ms; journal: "
              + t.audit().size()
              + " entries written to "
              + audit);
      t.end()
          .servers()
          .forEach(
              s ->
                  progress.println(
                      String.format(
                          "[%s]   %-10s %-15s app %-36s machine id %s  scheduler %s",
                          t.tenant(),
                          s.name(),
                          s.identityType(),
                          s.applicationId() == null ? "-" : s.applicationId(),
                          s.machineId(),
                          s.syncCycleEnabled() ? "enabled" : "PAUSED")));
    }
    progress.println("all tenants done in " + result.wallTime().toMillis() + " ms");
    progress.flush();
    if (json) {
      result.tenants().forEach(t -> spec.commandLine().getOut().println(t.json()));
      spec.commandLine().getOut().flush();
    }
    return result.allSucceeded() ? 0 : ErrorHandler.RUN_FAILED;
  }

  /** {@code abafix-audit.jsonl} for tenant t: {@code abafix-audit-t.jsonl}. */
  static Path besideWithTenant(Path audit, String tenant) {
    String name = audit.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    return audit.resolveSibling(stem + "-" + tenant + ext);
  }

  /** The report's file: the audit file's name with {@code .html} for its extension. */
  static Path reportBeside(Path audit) {
    String name = audit.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return audit.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".html");
  }

  /**
   * The embedded server, or with --address the Temporal there, with the payload key of
   * --encryption-key-file or the environment, or else one of the demo's own. Checked before the lab
   * is read.
   */
  private Function<Lab, DemoEnvironment> environment() {
    if (address == null) {
      if (keyFile != null) throw new UserError("--encryption-key-file goes with --address");
      return DemoEnvironment::start;
    }
    AesGcmPayloadCodec codec = codec();
    return lab -> DemoEnvironment.startAgainst(lab, address, codec);
  }

  /**
   * With --address, the payload key of --encryption-key-file or the environment, or else one of the
   * demo's own.
   */
  private AesGcmPayloadCodec codec() {
    if (!address.matches("[A-Za-z0-9.\\[\\]:-]+:[0-9]{1,5}")) {
      throw new UserError("--address must be HOST:PORT, not " + address);
    }
    if (keyFile != null && !Files.isRegularFile(keyFile)) {
      throw new UserError("--encryption-key-file " + keyFile + " is not a file");
    }
    Function<String, String> env =
        name ->
            keyFile != null && name.equals(PayloadEncryption.KEY_FILE)
                ? keyFile.toString()
                : System.getenv(name);
    // An inline key in the environment is named and refused by fromEnvironment, not ignored.
    boolean configured =
        env.apply(PayloadEncryption.KEY_FILE) != null || env.apply("ABAFIX_ENCRYPTION_KEY") != null;
    try {
      return configured ? PayloadEncryption.fromEnvironment(env) : PayloadEncryption.ephemeral();
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** The servers to remediate: the scenario's, or those named with --server. */
  private List<String> fleet(Lab lab) {
    if (servers == null || servers.isEmpty()) return lab.serverNames();
    try {
      ServerNames.checkFleet(servers);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    List<String> chosen = new ArrayList<>();
    for (String s : servers) {
      String name = s.toUpperCase(Locale.ROOT);
      if (!lab.serverNames().contains(name)) {
        throw new UserError(
            "scenario "
                + lab.scenario().name()
                + " has no server "
                + s
                + ": its servers are "
                + String.join(", ", lab.serverNames()));
      }
      chosen.add(name);
    }
    return List.copyOf(chosen);
  }

  /**
   * Plans as preflight would, over a copy of the lab without its faults, so that the look consumes
   * none of the scenario's faults and leaves the lab the run will use untouched. Refuses a fleet
   * with nothing to fix.
   */
  private Plan plan(Lab lab, List<String> fleet) {
    Lab copy = Lab.fromScenario(lab.scenario().withFaults(List.of()).withoutLatency(), lab::now);
    FleetFacts facts = LabFleet.direct(copy, fleet);
    if (!facts.unreachable().isEmpty()) return null; // The run's own preflight will say why.
    Plan plan = Planner.plan(facts.observation(), Set.of(), lab.now());
    if (plan.blocked()) {
      throw new UserError("refused, nothing was started: " + String.join("; ", plan.blockers()));
    }
    if (plan.nothingToDo()) {
      throw new NothingToFix(
          "nothing to fix in scenario "
              + lab.scenario().name()
              + " ("
              + String.join(", ", fleet)
              + "): no server shares an app registration or a machine id, so nothing was started;"
              + " pick a scenario with a problem, e.g. seed-pair");
    }
    return plan;
  }

  /**
   * The credential reference for the revert, checked against the servers the plan reverts: the run
   * would otherwise stop at the revert, after pausing a scheduler.
   */
  private String credentialReference(Lab lab, Plan plan) {
    if (plan == null || dryRun) return credentialReference;
    List<String> reverted =
        plan.steps().stream()
            .filter(s -> s.step() == StepName.REVERT_TO_SERVICE_ACCOUNT)
            .map(PlannedStep::target)
            .distinct()
            .toList();
    String reference = credentialReference;
    if (reference == null) {
      // The scenario's own: the first a reverted server lists. A server without it is what the
      // run's preflight proves and names (a scenario may leave one out on purpose).
      reference =
          reverted.stream()
              .flatMap(server -> scenarioServer(lab, server).credentialReferences().stream())
              .findFirst()
              .orElseThrow(
                  () ->
                      new UserError(
                          "no credential reference: the revert on "
                              + reverted.get(0)
                              + " needs one and scenario "
                              + lab.scenario().name()
                              + " lists none for it: add credentialReferences to the scenario's"
                              + " servers, or pass --credential-ref"));
      return reference;
    }
    for (String server : reverted) {
      List<String> resolvable = scenarioServer(lab, server).credentialReferences();
      if (!resolvable.contains(reference)) {
        throw new UserError(
            "credential reference '"
                + reference
                + "' does not resolve on "
                + server
                + (resolvable.isEmpty()
                    ? " (it lists none)"
                    : " (it has " + String.join(", ", resolvable) + ")")
                + ": pass one it has with --credential-ref, or add it to the scenario");
      }
    }
    return reference;
  }

  private static Scenario.Server scenarioServer(Lab lab, String name) {
    return lab.scenario().servers().stream()
        .filter(s -> s.name().equalsIgnoreCase(name))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no server " + name + " in the scenario"));
  }

  private RemediationRequest request(Lab lab, List<String> fleet, String credential) {
    // Short bounds: the lab's propagation delay is seconds, not the real 15 minutes.
    return new RemediationRequest(
        lab.tenantDomain(),
        fleet,
        credential,
        null,
        dryRun,
        new ApprovalPolicy(true, lab.scenario().demoOrDefault().twoPersonOrDefault(), 600),
        new Timings(120, 1, 120, 30),
        // Whoever signs the start in is who the sign-in page is asked for.
        lab.scenario().demoOrDefault().startedBy() == null
            ? "demo"
            : lab.identities().requireUser(lab.scenario().demoOrDefault().startedBy()).upn(),
        // As a real run: the steps that need a person are done by one, unless --fast.
        automated(lab) ? List.of() : RemediationRequest.DOCUMENTED_OPERATOR_STEPS);
  }

  /** Whether the workers do every step: --fast, or a scenario about what a worker does. */
  private boolean automated(Lab lab) {
    return fast || lab.scenario().demoOrDefault().automatedOrDefault();
  }

  /** The journal's SYNC_PAUSED entries: how long each server did not sync because of the run. */
  static List<Map<String, Object>> pausedWindows(List<AuditEntry> audit) {
    List<Map<String, Object>> windows = new ArrayList<>();
    for (AuditEntry e : audit == null ? List.<AuditEntry>of() : audit) {
      if (!"SYNC_PAUSED".equals(e.step())) continue;
      Map<String, Object> w = new LinkedHashMap<>();
      w.put("server", e.target());
      w.put("pausedAt", java.time.Instant.ofEpochMilli(e.startedAt()).toString());
      w.put("resumedAt", java.time.Instant.ofEpochMilli(e.endedAt()).toString());
      w.put("pausedMillis", e.endedAt() - e.startedAt());
      w.put("how", e.detail());
      windows.add(w);
    }
    return windows;
  }

  static String summaryJson(Outcome outcome, LabSnapshot end) throws Exception {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("outcome", outcome.name());
    summary.put("servers", servers(end));
    summary.put("applications", applications(end));
    return new ObjectMapper()
        .disable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(summary);
  }

  /** The summary's servers: name, identity type, app id, machine id, scheduler. */
  static List<Map<String, Object>> servers(LabSnapshot end) {
    return end.servers().stream()
        .map(
            s -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("name", s.name());
              m.put("identityType", String.valueOf(s.identityType()));
              m.put("applicationId", s.applicationId());
              m.put("machineId", s.machineId());
              m.put("syncCycleEnabled", s.syncCycleEnabled());
              return m;
            })
        .toList();
  }

  /** The summary's live apps: object id, app id, display name. */
  static List<Map<String, Object>> applications(LabSnapshot end) {
    return end.applications().stream()
        .map(
            a -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("id", a.id());
              m.put("appId", a.appId());
              m.put("displayName", a.displayName());
              m.put("servicePrincipalId", a.servicePrincipalId());
              m.put("servicePrincipalRoles", a.servicePrincipalRoles());
              return m;
            })
        .toList();
  }

  /** Names of the scenarios shipped in the lab, for help and completion. */
  static final class ShippedScenarios implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return Lab.listScenarioResources().iterator();
    }
  }
}
