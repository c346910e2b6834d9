package io.abafix.cli;

import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.RunStart;
import io.abafix.activities.model.ServerNames;
import io.abafix.cli.rehearsal.CaptureRefused;
import io.abafix.cli.rehearsal.RehearsalFile;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.plan.StepName;
import io.abafix.workflows.visibility.RunDescriptions;
import io.abafix.workflows.visibility.SearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix remediate}: starts the shared-app remediation against a running Temporal cluster.
 */
@Command(
    name = "remediate",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {"  abafix remediate --request request.json --follow"},
    description =
        "Give each Entra Connect server that shares an app registration its own (Microsoft's 13-step procedure).")
final class RemediateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;
  @Mixin TenantsOption tenants;

  @Option(
      names = "--tenant",
      description =
          "Tenant domain, e.g. contoso.onmicrosoft.com, or tenant id (or give --request); with"
              + " --tenants, any name the file gives the tenant")
  String tenant;

  @Option(
      names = "--server",
      description = "An Entra Connect server (repeat for each; or give --request)")
  List<String> servers;

  @Option(
      names = "--request",
      description =
          "The whole request as a JSON file instead of the options above: tenant, servers,"
              + " credentialReference, credentialReferences, dryRun, approvals, timings,"
              + " requestedBy, operatorSteps (default REVERT_TO_SERVICE_ACCOUNT, ROTATE_CERTIFICATE,"
              + " CONFIGURE_ABA)")
  Path requestFile;

  @Option(
      names = "--credential-ref",
      description =
          "Where each server finds the Hybrid Identity Administrator credential, e.g. clixml:C:\\ProgramData\\abafix\\hia.xml")
  String credentialReference;

  @Option(names = "--dry-run", description = "Preflight and plan only; change nothing")
  boolean dryRun;

  @Option(
      names = "--two-person",
      description =
          "The person who starts the run cannot approve it (also with --request, whatever the"
              + " file says)")
  boolean twoPerson;

  @Option(
      names = "--approval-timeout-minutes",
      defaultValue = "1440",
      description = "Compensate when an approval does not come in time (default ${DEFAULT-VALUE})")
  long approvalTimeoutMinutes;

  @Option(
      names = "--propagation-wait-minutes",
      defaultValue = "20",
      description = "Bound for a new service account to sign in (default ${DEFAULT-VALUE})")
  long propagationWaitMinutes;

  @Option(
      names = "--operator-step",
      split = ",",
      description =
          "Steps a person does and confirms with abafix confirm (default:"
              + " REVERT_TO_SERVICE_ACCOUNT,ROTATE_CERTIFICATE,CONFIGURE_ABA: the wizard, an"
              + " administrator sign-in, a credential MFA forbids storing; NONE automates every step)")
  List<String> operatorSteps;

  @Option(names = "--requested-by", description = "Who starts the run (default: the OS user)")
  String requestedBy;

  @Option(names = "--follow", description = "Print each step until the run ends")
  boolean follow;

  /**
   * With these, the requester signs the start of the run in with Entra ID right after it starts:
   * workers on the two-person rule need it, to refuse the requester as approver.
   */
  @Mixin SignInOptions signIn;

  @Option(
      names = "--rehearsed",
      paramLabel = "FILE",
      description =
          "Run only what was rehearsed (abafix rehearse): the tenant, servers and operator steps"
              + " default to the rehearsal's, and preflight refuses, changing nothing, a fleet or"
              + " plan that differs from it")
  Path rehearsedFile;

  @Override
  public Integer call() {
    RemediationRequest request = request();
    WorkflowClient client = temporal.connect();
    PrintWriter out = spec.commandLine().getOut();
    if (request.approvals().twoPerson() && !signIn.configured()) {
      throw new UserError(
          "--two-person needs the requester's sign-in, so the workers can tell the approver is"
              + " someone else: give --approver-tenant-id and --approver-client-id (or"
              + " ABAFIX_APPROVER_TENANT_ID and ABAFIX_APPROVER_CLIENT_ID); nothing was started");
    }
    DecisionSigner signer = signIn.configured() ? signIn.signer(spec.commandLine().getErr()) : null;
    String id = start(client, request, signer);
    out.println(
        "started "
            + id
            + (request.dryRun() ? " (dry run)" : "")
            + (signer == null ? "" : ", its start signed in"));
    if (request.rehearsed() != null) {
      out.println(
          "  as rehearsed: preflight refuses a fleet or plan other than plan digest "
              + request.rehearsed().planDigest());
    }
    out.println("  follow: abafix status " + id + "    journal: abafix audit " + id);
    if (!follow) return 0;
    RemediationResult result =
        new RunFollower(client, id, out, null, Duration.ofSeconds(1)).follow();
    Render.planSteps(result.plan()).forEach(out::println);
    out.println("outcome: " + result.outcome() + ": " + result.message());
    out.println("journal: " + Render.signer(result.audit()));
    out.println(
        "  check it later: abafix audit "
            + id
            + " --out audit.jsonl, then abafix audit verify audit.jsonl --public-key K"
            + Render.expectKeyId(result.audit()));
    // A blocked run changed nothing but did not do its job either: say so in the exit code.
    return result.outcome() == io.abafix.workflows.model.Outcome.BLOCKED
        ? ErrorHandler.RUN_FAILED
        : 0;
  }

  /** The request from the options or the files, checked; nothing is contacted. */
  RemediationRequest request() {
    if (rehearsedFile == null) return unrehearsed();
    RehearsalFile rehearsal;
    try {
      rehearsal = RehearsalFile.read(rehearsedFile);
    } catch (CaptureRefused e) {
      throw new UserError(e.getMessage());
    }
    if (!rehearsal.succeeded()) {
      throw new UserError(
          "the rehearsal in "
              + rehearsedFile
              + " ended "
              + rehearsal.outcome()
              + ": only a rehearsal that succeeded can be run for real");
    }
    if (requestFile == null) {
      if (tenant == null) tenant = rehearsal.tenant();
      if (servers == null) servers = rehearsal.servers();
      if (operatorSteps == null) {
        operatorSteps =
            rehearsal.operatorSteps().isEmpty() ? List.of("NONE") : rehearsal.operatorSteps();
      }
    }
    RemediationRequest r = unrehearsed();
    List<String> named =
        r.servers().stream().map(s -> s.toUpperCase(java.util.Locale.ROOT)).toList();
    List<String> rehearsedServers =
        rehearsal.servers().stream().map(s -> s.toUpperCase(java.util.Locale.ROOT)).toList();
    if (!r.tenant().equalsIgnoreCase(tenants.canonical(rehearsal.tenant()))) {
      throw new UserError(
          "tenant "
              + r.tenant()
              + " was not rehearsed: "
              + rehearsedFile
              + " is of "
              + rehearsal.tenant());
    }
    if (!new java.util.HashSet<>(named).equals(new java.util.HashSet<>(rehearsedServers))) {
      throw new UserError(
          "the servers "
              + String.join(", ", named)
              + " are not those rehearsed ("
              + String.join(", ", rehearsedServers)
              + "): capture and rehearse this fleet");
    }
    List<String> steps = r.operatorSteps().stream().map(StepName::name).toList();
    if (!new java.util.HashSet<>(steps)
        .equals(new java.util.HashSet<>(rehearsal.operatorSteps()))) {
      throw new UserError(
          "operator steps "
              + (steps.isEmpty() ? "NONE" : String.join(",", steps))
              + " are not those rehearsed ("
              + (rehearsal.operatorSteps().isEmpty()
                  ? "NONE"
                  : String.join(",", rehearsal.operatorSteps()))
              + ")");
    }
    return r.rehearsedAs(rehearsal.fleet());
  }

  private RemediationRequest unrehearsed() {
    if (requestFile != null) {
      if (tenant != null || servers != null || credentialReference != null) {
        throw new UserError(
            "give the request either as --request FILE or with --tenant, --server and"
                + " --credential-ref, not both");
      }
      return checked(
          RequestFile.read(requestFile, dryRun, twoPerson), "request " + requestFile + ": ", "");
    }
    if (tenant == null || servers == null) {
      throw new UserError(
          "name the tenant and its servers (--tenant, --server), or --request FILE");
    }
    Timings timings = Timings.standard();
    return checked(
        new RemediationRequest(
            tenant,
            servers,
            credentialReference,
            null,
            dryRun,
            new ApprovalPolicy(true, twoPerson, approvalTimeoutMinutes * 60),
            new Timings(
                propagationWaitMinutes * 60,
                timings.pollSeconds(),
                timings.syncCycleWaitSeconds(),
                timings.workerWaitSeconds()),
            requestedBy,
            operatorSteps()),
        "",
        "--");
  }

  /**
   * Refuses what the workflow would refuse later, or stop on halfway.
   *
   * @param where prefixed to each message, e.g. the request file
   * @param option how a field is named to the user: {@code --} for options, empty for JSON fields
   */
  private RemediationRequest checked(RemediationRequest r, String where, String option) {
    if (r.tenant() == null || !r.tenant().matches("[A-Za-z0-9.-]+")) {
      throw new UserError(
          where
              + "tenant '"
              + r.tenant()
              + "' is not a domain name: use e.g. contoso.onmicrosoft.com");
    }
    if (r.servers().isEmpty()) {
      throw new UserError(
          where
              + (option.isEmpty()
                  ? "servers is empty: name at least one server"
                  : "no server named: give at least one --server"));
    }
    try {
      ServerNames.checkFleet(r.servers());
      r.credentialReferences().keySet().forEach(ServerNames::check);
    } catch (IllegalArgumentException e) {
      throw new UserError(where + e.getMessage());
    }
    for (String s : r.servers()) {
      String reference = r.credentialReferenceFor(s);
      if (!r.dryRun() && (reference == null || reference.isBlank())) {
        throw new UserError(
            where
                + "no "
                + option
                + (option.isEmpty() ? "credentialReference" : "credential-ref")
                + " for "
                + s
                + ": the revert needs a Hybrid Identity Administrator credential stored on each"
                + " server (see docs/remediation.md)");
      }
    }
    if (r.approvals().timeoutSeconds() <= 0) {
      throw new UserError(where + "approvals.timeoutSeconds must be positive");
    }
    for (StepName step : r.operatorSteps()) {
      if (!OPERABLE.contains(step)) {
        throw new UserError(
            where + step + " is not a step a person can do: use one of " + OPERABLE);
      }
    }
    return new RemediationRequest(
        tenants.canonical(r.tenant()),
        r.servers(),
        r.credentialReference(),
        r.credentialReferences(),
        r.dryRun(),
        r.approvals(),
        r.timings(),
        r.requestedBy() != null ? r.requestedBy() : System.getProperty("user.name"),
        r.operatorSteps());
  }

  private List<StepName> operatorSteps() {
    return operatorSteps(operatorSteps);
  }

  /** The steps named with --operator-step: the documented two when none, nothing for NONE. */
  static List<StepName> operatorSteps(List<String> operatorSteps) {
    if (operatorSteps == null) return RemediationRequest.DOCUMENTED_OPERATOR_STEPS;
    if (operatorSteps.size() == 1 && operatorSteps.get(0).equalsIgnoreCase("NONE"))
      return List.of();
    List<StepName> steps = new java.util.ArrayList<>();
    for (String s : operatorSteps) {
      try {
        StepName step = StepName.valueOf(s.trim().toUpperCase(java.util.Locale.ROOT));
        if (!OPERABLE.contains(step)) throw new IllegalArgumentException();
        steps.add(step);
      } catch (IllegalArgumentException e) {
        throw new UserError(
            "--operator-step "
                + s
                + " is not a step a person can do: use one of "
                + OPERABLE
                + " or NONE");
      }
    }
    return steps;
  }

  static final List<StepName> OPERABLE =
      List.of(
          StepName.ROTATE_CERTIFICATE, StepName.REVERT_TO_SERVICE_ACCOUNT, StepName.CONFIGURE_ABA);

  /** Starts the run; a second one for the same tenant is refused with the running one's id. */
  /** Starts a run without a sign-in: one person may approve it. */
  static String start(WorkflowClient client, RemediationRequest request) {
    return start(client, request, null);
  }

  /**
   * Starts a run with a start record of its own ({@link RunStart}): an id no other run has, and,
   * with a signer, the requester's sign-in over it and the two-person rule they asked for.
   */
  static String start(WorkflowClient client, RemediationRequest request, DecisionSigner signer) {
    String id = WorkflowIds.remediation(request.tenant());
    boolean twoPerson = request.approvals().twoPerson();
    RunStart start = RunStart.unsigned(RunStart.newStartId(), twoPerson);
    if (signer != null) {
      String ns = client.getOptions().getNamespace();
      DecisionBinding binding = RunStart.binding(ns, id, start.startId(), twoPerson);
      start = start.signedWith(signer.sign(binding, request.requestedBy()), ns, id);
    }
    request = request.startedAs(start);
    SharedAppRemediationWorkflow run =
        client.newWorkflowStub(
            SharedAppRemediationWorkflow.class,
            RunOptions.oneAtATime(
                id,
                RunDescriptions.remediation(
                    id,
                    request.tenant(),
                    request.servers(),
                    SearchAttributes.registeredOn(client))));
    try {
      WorkflowClient.start(run::remediate, request);
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw new UserError(
          "a remediation for tenant "
              + request.tenant()
              + " is already running: "
              + id
              + " (run "
              + e.getExecution().getRunId()
              + ")");
    }
    return id;
  }
}
