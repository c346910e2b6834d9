package io.abafix.workflows.model;

import io.abafix.activities.approval.RunStart;
import io.abafix.workflows.plan.RehearsedFleet;
import io.abafix.workflows.plan.StepName;
import java.util.List;
import java.util.Map;

/**
 * What an operator asks for.
 *
 * @param tenant the tenant's domain; one remediation runs per tenant at a time
 * @param servers the Entra Connect servers involved, by name; order breaks ties
 * @param credentialReference where each server finds the Hybrid Identity Administrator credential
 *     for the revert (e.g. {@code clixml:C:\ProgramData\abafix\hia.xml}); a reference, never the
 *     secret
 * @param credentialReferences per-server overrides of {@code credentialReference}
 * @param dryRun stop after preflight and the plan; change nothing
 * @param requestedBy who started the run, for the audit and the two-person rule
 * @param operatorSteps steps a person performs and confirms (e.g. CONFIGURE_ABA in the wizard); the
 *     others are automated
 * @param rehearsed what a rehearsal of this run met (its plan digest and the fleet's facts); when
 *     set, preflight refuses, changing nothing, a fleet or plan that differs from it; null for a
 *     run that was not rehearsed
 * @param start the run's start record ({@link RunStart}): its own id, checked once at preflight so
 *     a replayed input is refused, and the requester's signed start; a run without one is blocked
 *     at preflight
 */
public record RemediationRequest(
    String tenant,
    List<String> servers,
    String credentialReference,
    Map<String, String> credentialReferences,
    boolean dryRun,
    ApprovalPolicy approvals,
    Timings timings,
    String requestedBy,
    List<StepName> operatorSteps,
    String origin,
    RehearsedFleet rehearsed,
    RunStart start) {

  /**
   * The steps a person does by default. Rotation and ABA configuration: Microsoft's procedure uses
   * the wizard, and their PowerShell cmdlets sign an administrator in (only a certificate the
   * administrator provides, BYOC, runs without it). The revert: it needs a stored Hybrid Identity
   * Administrator credential, which MFA and Conditional Access usually forbid.
   */
  public static final List<StepName> DOCUMENTED_OPERATOR_STEPS =
      List.of(
          StepName.REVERT_TO_SERVICE_ACCOUNT, StepName.ROTATE_CERTIFICATE, StepName.CONFIGURE_ABA);

  /** A request that was not rehearsed. */
  public RemediationRequest(
      String tenant,
      List<String> servers,
      String credentialReference,
      Map<String, String> credentialReferences,
      boolean dryRun,
      ApprovalPolicy approvals,
      Timings timings,
      String requestedBy,
      List<StepName> operatorSteps,
      String origin) {
    this(
        tenant,
        servers,
        credentialReference,
        credentialReferences,
        dryRun,
        approvals,
        timings,
        requestedBy,
        operatorSteps,
        origin,
        null,
        null);
  }

  /** This request, bound to what its rehearsal met. */
  public RemediationRequest rehearsedAs(RehearsedFleet fleet) {
    return with(fleet, start);
  }

  /**
   * This request with its start record: every run carries one, made by whoever starts it ({@code
   * abafix remediate}, an incident), signed by the requester where two people are needed.
   */
  public RemediationRequest startedAs(RunStart start) {
    return with(rehearsed, start);
  }

  private RemediationRequest with(RehearsedFleet fleet, RunStart runStart) {
    return new RemediationRequest(
        tenant,
        servers,
        credentialReference,
        credentialReferences,
        dryRun,
        approvals,
        timings,
        requestedBy,
        operatorSteps,
        origin,
        fleet,
        runStart);
  }

  /** A request started by a person at the CLI. */
  public RemediationRequest(
      String tenant,
      List<String> servers,
      String credentialReference,
      Map<String, String> credentialReferences,
      boolean dryRun,
      ApprovalPolicy approvals,
      Timings timings,
      String requestedBy,
      List<StepName> operatorSteps) {
    this(
        tenant,
        servers,
        credentialReference,
        credentialReferences,
        dryRun,
        approvals,
        timings,
        requestedBy,
        operatorSteps,
        null);
  }

  /** A request with every step automated. */
  public RemediationRequest(
      String tenant,
      List<String> servers,
      String credentialReference,
      Map<String, String> credentialReferences,
      boolean dryRun,
      ApprovalPolicy approvals,
      Timings timings,
      String requestedBy) {
    this(
        tenant,
        servers,
        credentialReference,
        credentialReferences,
        dryRun,
        approvals,
        timings,
        requestedBy,
        List.of(),
        null);
  }

  public RemediationRequest {
    servers = servers == null ? List.of() : List.copyOf(servers);
    credentialReferences =
        credentialReferences == null ? Map.of() : Sorted.map(credentialReferences);
    approvals = approvals == null ? ApprovalPolicy.standard() : approvals;
    timings = timings == null ? Timings.standard() : timings;
    operatorSteps = operatorSteps == null ? List.of() : List.copyOf(operatorSteps);
  }

  public String credentialReferenceFor(String server) {
    return credentialReferences.getOrDefault(server, credentialReference);
  }
}
