package io.abafix.worker.tenants;

import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.SignInCloud;
import io.abafix.activities.graph.GraphCloud;
import io.abafix.workflows.incident.IncidentRules;
import io.abafix.workflows.incident.Remedy;
import io.abafix.workflows.incident.TenantRules;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One tenant of a deployment, as the tenants file lists it ({@link TenantsFile}).
 *
 * @param id how requests name the tenant (its tenant id, a GUID, or its initial domain); its queues
 *     carry it lower-cased ({@link TaskQueues#tenantKey}), and the directory worker signs in to it
 * @param displayName for people: logs, the demo's summary
 * @param cloud the Microsoft cloud the tenant lives in; {@code GLOBAL} when absent
 * @param graph the directory worker's own app registration in this tenant
 * @param policy what may run without a person, and who approves
 * @param limits this tenant's share of the directory deployment
 * @param aliases other names of the same tenant a person may type (its tenant id when {@code id} is
 *     its initial domain, or the domain when {@code id} is the tenant id): {@code abafix remediate}
 *     and {@code abafix repair} with the file run a request that names one as {@code id}, so the
 *     tenant has one run whichever name was typed. Workers and watchers take {@code id}
 */
public record Tenant(
    String id,
    String displayName,
    GraphCloud cloud,
    Graph graph,
    Policy policy,
    Limits limits,
    List<String> aliases) {
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  public Tenant {
    if (id == null || id.isBlank()) throw new IllegalArgumentException("id is missing");
    TaskQueues.tenantKey(id); // refuses what cannot name a queue
    if (displayName == null || displayName.isBlank()) {
      throw new IllegalArgumentException("displayName is missing for tenant " + id);
    }
    if (cloud == null) cloud = GraphCloud.GLOBAL;
    if (graph == null) throw new IllegalArgumentException("graph is missing for tenant " + id);
    if (policy == null) policy = new Policy(null, null, null);
    if (limits == null) limits = new Limits(null, null);
    aliases = aliases == null ? List.of() : List.copyOf(aliases);
    java.util.Set<String> names = new java.util.HashSet<>();
    names.add(TaskQueues.tenantKey(id));
    for (String alias : aliases) {
      String key;
      try {
        key = TaskQueues.tenantKey(alias);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("alias " + alias + ": " + e.getMessage());
      }
      if (!names.add(key)) {
        throw new IllegalArgumentException(
            "alias " + alias + " names tenant " + id + " twice (as its id or another alias)");
      }
    }
  }

  /** A tenant that only its id names. */
  public Tenant(
      String id, String displayName, GraphCloud cloud, Graph graph, Policy policy, Limits limits) {
    this(id, displayName, cloud, graph, policy, limits, List.of());
  }

  /** The key the tenant's queues carry. */
  public String key() {
    return TaskQueues.tenantKey(id);
  }

  /** The keys of every name of the tenant: its id's, then its aliases'. */
  public List<String> names() {
    List<String> keys = new java.util.ArrayList<>();
    keys.add(key());
    aliases.forEach(a -> keys.add(TaskQueues.tenantKey(a)));
    return keys;
  }

  /**
   * The Graph credentials reference: never a secret itself.
   *
   * @param clientId the application (client) id of the directory worker's app registration
   * @param certificate a file with its certificate and private key (PEM, or PKCS#12 .pfx/.p12)
   * @param pfxPasswordEnv for PKCS#12: the NAME of the environment variable with its password
   */
  public record Graph(String clientId, String certificate, String pfxPasswordEnv) {
    public Graph {
      if (clientId == null || !GUID.matcher(clientId).matches()) {
        throw new IllegalArgumentException(
            "clientId " + clientId + " is not a GUID (the app registration's client id)");
      }
      if (certificate == null || certificate.isBlank()) {
        throw new IllegalArgumentException("certificate is missing");
      }
      if (pfxPasswordEnv != null && !pfxPasswordEnv.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new IllegalArgumentException(
            "pfxPasswordEnv takes the NAME of an environment variable, not a password");
      }
    }
  }

  /**
   * @param unattended remedies whose incident proposal may start without a person; their
   *     destructive steps still wait for a signed approval. Empty means every proposal waits
   * @param approvers whose sign-ins approve this tenant's destructive steps
   * @param twoPerson whoever started a run may not approve it
   */
  public record Policy(Set<Remedy> unattended, Approvers approvers, Boolean twoPerson) {
    public Policy {
      unattended = unattended == null ? Set.of() : Set.copyOf(unattended);
      if (unattended.contains(Remedy.NONE)) {
        throw new IllegalArgumentException(
            "unattended: NONE is not a workflow (use SHARED_APP_REMEDIATION,"
                + " CONNECTOR_PARAMETER_REPAIR)");
      }
      if (approvers == null) approvers = new Approvers(null, null, null, null);
      if (twoPerson == null) twoPerson = false;
    }

    /** What the orchestrator's incident workflow takes from this policy ({@link IncidentRules}). */
    public TenantRules incidentRules() {
      return new TenantRules(unattended, twoPerson);
    }
  }

  /**
   * Whose sign-ins approve: a user of {@code tenantId} signed in to the app {@code clientId}, who
   * holds {@code appRole} and, when {@code group} is set, is a member of that group. Each absent
   * value is the directory worker's own ({@code --approver-*}).
   *
   * @param tenantId the tenant (GUID) the approvers sign in to: the customer's, or the MSP's own
   * @param clientId abafix's app registration in that tenant: the ID tokens' audience
   * @param appRole the app role an approver's token carries in {@code roles}, e.g. {@code
   *     Abafix.Approver}
   * @param group the object id (GUID) of a group the approver's token must list in {@code groups}
   * @param cloud the approvers' cloud ({@code global}, {@code usgov}, {@code china}); absent: the
   *     worker's own
   */
  public record Approvers(
      String tenantId, String clientId, String appRole, String group, String cloud) {
    public Approvers(String tenantId, String clientId, String appRole, String group) {
      this(tenantId, clientId, appRole, group, null);
    }

    public Approvers {
      if (cloud != null) SignInCloud.of(cloud);
      if (group != null && !GUID.matcher(group).matches()) {
        throw new IllegalArgumentException(
            "group takes the group's object id (a GUID), got: " + group);
      }
    }

    /**
     * The trust a worker gives this tenant's approvals, filling absent values from {@code base}.
     */
    public ApprovalTrust over(ApprovalTrust base, boolean twoPerson) {
      return new ApprovalTrust(
          tenantId != null ? tenantId : base == null ? null : base.tenantId(),
          clientId != null ? clientId : base == null ? null : base.clientId(),
          appRole != null ? appRole : base == null ? null : base.approverRole(),
          group != null ? group : base == null ? null : base.approverGroup(),
          twoPerson || (base != null && base.twoPerson()),
          cloud != null ? SignInCloud.of(cloud) : base == null ? null : base.cloud());
    }
  }

  /**
   * @param graphRequestsPerSecond Graph calls a second for this tenant ({@value
   *     #DEFAULT_GRAPH_REQUESTS_PER_SECOND} when absent; Graph's own limits are per tenant and app)
   * @param maxConcurrentSteps directory steps of this tenant that run at once ({@value
   *     #DEFAULT_MAX_CONCURRENT_STEPS} when absent), so one tenant's backlog cannot take every
   *     worker thread of the deployment
   */
  public record Limits(Double graphRequestsPerSecond, Integer maxConcurrentSteps) {
    public static final double DEFAULT_GRAPH_REQUESTS_PER_SECOND = 10;
    public static final int DEFAULT_MAX_CONCURRENT_STEPS = 4;

    public Limits {
      if (graphRequestsPerSecond == null)
        graphRequestsPerSecond = DEFAULT_GRAPH_REQUESTS_PER_SECOND;
      if (maxConcurrentSteps == null) maxConcurrentSteps = DEFAULT_MAX_CONCURRENT_STEPS;
      if (!(graphRequestsPerSecond > 0) || graphRequestsPerSecond > 1000) {
        throw new IllegalArgumentException(
            "graphRequestsPerSecond must be above 0 and at most 1000");
      }
      if (maxConcurrentSteps < 1 || maxConcurrentSteps > 200) {
        throw new IllegalArgumentException("maxConcurrentSteps must be 1 to 200");
      }
    }
  }

  /** Lists which tenants a deployment has, for messages. */
  static String ids(List<Tenant> tenants) {
    return String.join(", ", tenants.stream().map(Tenant::id).toList());
  }
}
