package io.abafix.workflows.visibility;

import io.abafix.workflows.incident.ProposedRun;
import io.abafix.workflows.incident.Remedy;
import io.temporal.client.WorkflowOptions;
import io.temporal.workflow.ChildWorkflowOptions;
import java.util.List;

/**
 * The static summary and details (Markdown) the Temporal Web UI shows at the top of a run, and the
 * search attributes it starts with. Built by whoever starts the run: the CLI, a watcher, an
 * incident starting its remediation.
 *
 * @param summary one line: the workflow and whom it concerns
 * @param details what the run does and the commands that drive it
 * @param attributes the search attributes to start with, or null where the cluster lacks them
 */
public record RunDescriptions(
    String summary, String details, io.temporal.common.SearchAttributes attributes) {

  /** A shared-app remediation of {@code servers} in {@code tenant}. */
  public static RunDescriptions remediation(
      String id, String tenant, List<String> servers, boolean indexed) {
    return new RunDescriptions(
        "Shared-app remediation: " + tenant + " (" + String.join(", ", servers) + ")",
        "Gives each Entra Connect server that shares a `ConnectSyncProvisioning_*` app"
            + " registration an app of its own (Microsoft's procedure, for "
            + servers.size()
            + " servers). Destructive steps wait for an approval.\n\n"
            + facts(tenant, servers)
            + commands(id, "`abafix approve " + id + "` (or `reject`) when a step waits"),
        indexed
            ? SearchAttributes.atStart(
                SearchAttributes.KIND_REMEDIATION, tenant, servers, "PREFLIGHT")
            : null);
  }

  /** The connector-parameter repair of one server. */
  public static RunDescriptions repair(String id, String tenant, String server, boolean indexed) {
    return new RunDescriptions(
        "Connector-parameter repair: " + server + " in " + tenant,
        "Restores the blank ABA connector parameters (ApplicationManagedBy, CertificateManagedBy,"
            + " CertificateId) with ADSyncTools' `Repair-ADSyncToolsEntraAppParameters`.\n\n"
            + facts(tenant, List.of(server))
            + commands(id, null),
        indexed
            ? SearchAttributes.atStart(
                SearchAttributes.KIND_REPAIR, tenant, List.of(server), "PREFLIGHT")
            : null);
  }

  /** The tenant's incident, opened by a watcher's report. */
  public static RunDescriptions incident(
      String id, String tenant, List<String> servers, boolean indexed) {
    return new RunDescriptions(
        "Incident: " + tenant,
        "Gathers what the servers' watchers report (event 906 with AADSTS700027, blank ABA"
            + " parameters, certificates near expiry), diagnoses the fleet and proposes the"
            + " workflow that fixes it; starts it once approved.\n\n"
            + facts(tenant, servers)
            + commands(id, "`abafix approve " + id + "` to start the proposal"),
        indexed
            ? SearchAttributes.atStart(
                SearchAttributes.KIND_INCIDENT, tenant, servers, "COLLECTING")
            : null);
  }

  /** An on-demand diagnosis (changes nothing). */
  public static RunDescriptions diagnosis(
      String id, String tenant, List<String> servers, boolean indexed) {
    return new RunDescriptions(
        "Diagnosis: " + tenant,
        "Reads every server and the directory and reports findings with evidence. Changes"
            + " nothing.\n\n"
            + facts(tenant, servers),
        indexed
            ? SearchAttributes.atStart(SearchAttributes.KIND_DIAGNOSIS, tenant, servers, null)
            : null);
  }

  /**
   * The child run an incident starts for {@code run}; it carries search attributes when the
   * incident does. Workflow code only.
   */
  public static RunDescriptions forProposal(ProposedRun run, String tenant) {
    boolean indexed = RunVisibility.startedWithSearchAttributes();
    return run.remedy() == Remedy.SHARED_APP_REMEDIATION
        ? remediation(run.workflowId(), tenant, run.servers(), indexed)
        : repair(run.workflowId(), tenant, String.join(", ", run.servers()), indexed);
  }

  public WorkflowOptions.Builder applyTo(WorkflowOptions.Builder options) {
    options.setStaticSummary(summary).setStaticDetails(details);
    if (attributes != null) options.setTypedSearchAttributes(attributes);
    return options;
  }

  public ChildWorkflowOptions.Builder applyTo(ChildWorkflowOptions.Builder options) {
    options.setStaticSummary(summary).setStaticDetails(details);
    if (attributes != null) options.setTypedSearchAttributes(attributes);
    return options;
  }

  private static String facts(String tenant, List<String> servers) {
    return "| tenant | servers |\n|---|---|\n| "
        + tenant
        + " | "
        + String.join(", ", servers)
        + " |\n\n";
  }

  private static String commands(String id, String decision) {
    return "- where it is: `abafix status "
        + id
        + "`\n"
        + (decision == null ? "" : "- " + decision + "\n")
        + "- the journal: `abafix audit "
        + id
        + " --out audit.jsonl`\n";
  }
}
