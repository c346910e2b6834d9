package io.abafix.cli;

import io.abafix.activities.TaskQueues;
import io.abafix.activities.model.ServerNames;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.RemediationRequest;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.plan.StepName;
import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.io.PrintWriter;
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
    description =
        "Give each Entra Connect server that shares an app registration its own (Microsoft's 13-step procedure).")
final class RemediateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Option(
      names = "--tenant",
      required = true,
      description = "Tenant domain, e.g. contoso.onmicrosoft.com")
  String tenant;

  @Option(
      names = "--server",
      required = true,
      description = "An Entra Connect server (repeat for each)")
  List<String> servers;

  @Option(
      names = "--credential-ref",
      description =
          "Where each server finds the Hybrid Identity Administrator credential, e.g. clixml:C:\\ProgramData\\abafix\\hia.xml")
  String credentialReference;

  @Option(names = "--dry-run", description = "Preflight and plan only; change nothing")
  boolean dryRun;

  @Option(names = "--two-person", description = "The person who starts the run cannot approve it")
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
          "Steps a person does and confirms with abafix confirm (default: ROTATE_CERTIFICATE,CONFIGURE_ABA, as Microsoft's procedure uses the wizard for them; give NONE to automate every step)")
  List<String> operatorSteps;

  @Option(names = "--requested-by", description = "Who starts the run (default: the OS user)")
  String requestedBy;

  @Option(names = "--follow", description = "Print each step until the run ends")
  boolean follow;

  @Override
  public Integer call() {
    RemediationRequest request = request();
    WorkflowClient client = temporal.connect();
    PrintWriter out = spec.commandLine().getOut();
    String id = start(client, request);
    out.println("started " + id + (dryRun ? " (dry run)" : ""));
    out.println("  follow: abafix status " + id + "    journal: abafix audit " + id);
    if (!follow) return 0;
    RemediationResult result =
        new RunFollower(client, id, out, null, Duration.ofSeconds(1)).follow();
    Render.plan(result.plan()).forEach(out::println);
    out.println("outcome: " + result.outcome() + ": " + result.message());
    return 0;
  }

  RemediationRequest request() {
    try {
      ServerNames.checkFleet(servers);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (tenant == null || !tenant.matches("[A-Za-z0-9.-]+")) {
      throw new UserError(
          "tenant '" + tenant + "' is not a domain name: use e.g. contoso.onmicrosoft.com");
    }
    if (!dryRun && (credentialReference == null || credentialReference.isBlank())) {
      throw new UserError(
          "no --credential-ref: the revert needs a Hybrid Identity Administrator credential stored on each server (see README)");
    }
    Timings timings = Timings.standard();
    return new RemediationRequest(
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
        requestedBy != null ? requestedBy : System.getProperty("user.name"),
        operatorSteps());
  }

  private List<StepName> operatorSteps() {
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

  private static final List<StepName> OPERABLE =
      List.of(
          StepName.ROTATE_CERTIFICATE, StepName.REVERT_TO_SERVICE_ACCOUNT, StepName.CONFIGURE_ABA);

  /** Starts the run; a second one for the same tenant is refused with the running one's id. */
  static String start(WorkflowClient client, RemediationRequest request) {
    String id = WorkflowIds.remediation(request.tenant());
    SharedAppRemediationWorkflow run =
        client.newWorkflowStub(
            SharedAppRemediationWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(TaskQueues.ORCHESTRATOR)
                .setWorkflowIdConflictPolicy(
                    WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL)
                .build());
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
