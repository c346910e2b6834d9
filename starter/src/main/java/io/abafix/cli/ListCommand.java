package io.abafix.cli;

import io.abafix.workflows.visibility.RunVisibility;
import io.abafix.workflows.visibility.SearchAttributes;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code abafix list}: abafix's runs the cluster knows, from its visibility store. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {"  abafix list --tenant contoso.onmicrosoft.com --waiting"},
    description =
        "List abafix's runs known to the cluster (newest first). Reads no payload, so it needs no"
            + " payload key: ABAFIX_ENCRYPTION_KEY_FILE and --encryption-key-file are not read.")
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Option(names = "--tenant", description = "Only this tenant's runs")
  String tenant;

  @Option(
      names = "--waiting",
      description = "Only open runs waiting for a person (an approval or an operator step)")
  boolean waiting;

  @Option(names = "--failed", description = "Only runs that failed or compensated")
  boolean failed;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "At most this many (default ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() {
    String query = query();
    WorkflowClient client = temporal.connectWithoutPayloads();
    PrintWriter out = spec.commandLine().getOut();
    List<WorkflowExecutionMetadata> runs;
    try {
      runs = client.listExecutions(query).limit(limit).toList();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNIMPLEMENTED) {
        throw new UserError(
            "this Temporal server cannot list runs (Temporal's in-memory server has no"
                + " visibility): use abafix status RUN, or a real cluster");
      }
      if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT && needsAttributes()) {
        throw new UserError(
            "the cluster does not know abafix's search attributes ("
                + e.getStatus().getDescription()
                + "): run abafix setup");
      }
      throw e;
    }
    out.println(
        String.format(
            "%-52s %-10s %-11s %-26s %-9s %s",
            "RUN", "STATUS", "KIND", "PHASE", "WAITING", "OUTCOME"));
    for (WorkflowExecutionMetadata run : runs) {
      var a = run.getTypedSearchAttributes();
      out.println(
          String.format(
              "%-52s %-10s %-11s %-26s %-9s %s",
              run.getExecution().getWorkflowId(),
              status(run),
              orDash(a.get(SearchAttributes.WORKFLOW_KIND)),
              orDash(a.get(SearchAttributes.PHASE)),
              orDash(a.get(SearchAttributes.WAITING_FOR)),
              orDash(a.get(SearchAttributes.OUTCOME))));
    }
    if (runs.isEmpty()) out.println("no runs match");
    return 0;
  }

  /** The visibility query; every value in it has been checked, so nothing is injected. */
  String query() {
    List<String> clauses = new ArrayList<>();
    clauses.add("WorkflowId STARTS_WITH 'abafix-'");
    if (tenant != null) {
      if (!tenant.matches("[A-Za-z0-9.-]+")) {
        throw new UserError(
            "--tenant '" + tenant + "' is not a domain name: use e.g. contoso.onmicrosoft.com");
      }
      clauses.add(
          SearchAttributes.TENANT.getName() + " = '" + tenant.toLowerCase(Locale.ROOT) + "'");
    }
    if (waiting) {
      clauses.add("ExecutionStatus = 'Running'");
      clauses.add(
          SearchAttributes.WAITING_FOR.getName()
              + " IN ('"
              + RunVisibility.WAITING_APPROVAL
              + "', '"
              + RunVisibility.WAITING_OPERATOR
              + "')");
    }
    if (failed) {
      clauses.add(
          "(ExecutionStatus IN ('Failed', 'TimedOut', 'Terminated') OR "
              + SearchAttributes.OUTCOME.getName()
              + " IN ('COMPENSATED', 'VERIFICATION_FAILED', 'FAILED'))");
    }
    if (limit < 1) throw new UserError("--limit must be at least 1");
    // No ORDER BY: SQL visibility refuses one, and lists newest first by itself.
    return String.join(" AND ", clauses);
  }

  private boolean needsAttributes() {
    return tenant != null || waiting || failed;
  }

  private static String status(WorkflowExecutionMetadata run) {
    String s = run.getStatus().name().substring("WORKFLOW_EXECUTION_STATUS_".length());
    return s.charAt(0) + s.substring(1).toLowerCase(Locale.ROOT);
  }

  private static String orDash(String value) {
    return value == null || value.isEmpty() ? "-" : value;
  }
}
