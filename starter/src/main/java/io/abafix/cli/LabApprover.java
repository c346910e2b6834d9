package io.abafix.cli;

import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.lab.Lab;
import io.abafix.lab.signin.LabIdentityProvider;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.visibility.RunVisibility;
import io.abafix.workflows.visibility.SearchAttributes;
import io.temporal.client.WorkflowClient;
import java.net.URI;
import java.util.List;

/**
 * The demo's approver for runs that no person follows, such as the benchmarks': as soon as a
 * remediation asks, she signs in at the lab's fake Entra ID, as in the demo, and approves its whole
 * plan in one decision ({@code abafix approve RUN --gate PLAN}). The lab's tokens approve nothing a
 * production worker would act on.
 */
public final class LabApprover {
  /**
   * One run's plan, approved.
   *
   * @param askedAt when the run asked (the workflow's clock)
   * @param signedAt when the signed decision was ready to send: what lies between is a person's
   *     time (noticing the request, signing in)
   */
  public record Approval(long askedAt, long signedAt) {
    public long personMillis() {
      return Math.max(0, signedAt - askedAt);
    }
  }

  private final AutoApprover approver;
  private final WorkflowClient client;
  private final boolean indexed;

  private LabApprover(AutoApprover approver, WorkflowClient client) {
    this.approver = approver;
    this.client = client;
    this.indexed = SearchAttributes.registeredOn(client);
  }

  /**
   * The demo's approver of {@code lab}, whose fake Entra ID listens on {@code identityEndpoint},
   * for runs of {@code client}.
   */
  public static LabApprover of(Lab lab, URI identityEndpoint, WorkflowClient client) {
    return new LabApprover(
        AutoApprover.atLab(
            lab.identities().trust(false),
            identityEndpoint,
            lab.identities().requireUser(DemoCommand.DEMO_APPROVER).upn()),
        client);
  }

  /**
   * The same for a lab in another process (the lab daemon), known by its tenant's domain and its
   * fake Entra ID's endpoint.
   */
  public static LabApprover of(String tenantDomain, URI identityEndpoint, WorkflowClient client) {
    return new LabApprover(
        AutoApprover.atLab(
            new ApprovalTrust(
                LabIdentityProvider.tenantIdFor(tenantDomain),
                LabIdentityProvider.ABAFIX_CLIENT_ID,
                null,
                false),
            identityEndpoint,
            DemoCommand.DEMO_APPROVER + "@" + tenantDomain),
        client);
  }

  /**
   * Whether the run may be waiting for approval: where the server indexes the run's search
   * attributes, it says what the run waits for without a query (which would be a workflow task on
   * the orchestrator); elsewhere, always.
   */
  public boolean mayAsk(String workflowId) {
    if (!indexed) return true;
    String waiting =
        client
            .newUntypedWorkflowStub(workflowId)
            .describe()
            .getTypedSearchAttributes()
            .get(SearchAttributes.WAITING_FOR);
    return RunVisibility.WAITING_APPROVAL.equals(waiting);
  }

  /**
   * One look at the run: when it waits for approval, approve every open gate.
   *
   * @return the approval, or null when the run does not ask (yet)
   */
  public Approval approveIfAsked(String workflowId) {
    if (!mayAsk(workflowId)) return null;
    Decisions.Pinned pinned = Decisions.pin(client, workflowId);
    SharedAppRemediationWorkflow run = pinned.stub();
    List<PendingApproval> open = run.progress().pendingApprovals();
    if (open.isEmpty()) return null;
    long asked = open.stream().mapToLong(PendingApproval::requestedAt).min().orElseThrow();
    long[] signed = new long[1];
    pinned.decidePlan(
        open,
        true,
        approver.user(),
        "approved as soon as asked",
        (binding, hint) -> {
          String token = approver.signer().sign(binding, hint);
          signed[0] = System.currentTimeMillis();
          return token;
        });
    return new Approval(asked, signed[0]);
  }
}
