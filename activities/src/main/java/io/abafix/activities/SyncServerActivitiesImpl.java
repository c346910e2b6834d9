package io.abafix.activities;

import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ProvenParameters;
import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.approval.VerifiedApproval;
import io.abafix.activities.internal.Facts;
import io.abafix.activities.internal.Failures;
import io.abafix.activities.internal.Heartbeats;
import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerCaptureResult;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.StepResult;
import io.abafix.activities.model.Versions;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.activities.powershell.CapturedServer;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Runs each step through a {@link SyncServerHost}: inspect, skip when the effect is already there,
 * act, inspect again to verify. The host is PowerShell on a real server, or the lab.
 */
public class SyncServerActivitiesImpl implements SyncServerActivities {
  private static final Pattern MACHINE_ID = Pattern.compile("[0-9a-fA-F]{32}");

  private final SyncServerHost host;
  private final ApprovalGuard approvals;

  /**
   * @param approvals checks the signed approval every destructive step carries
   */
  public SyncServerActivitiesImpl(SyncServerHost host, ApprovalGuard approvals) {
    this(host, approvals, ApprovalGuard.Scheduling::current);
  }

  /**
   * @param currentStep the scheduling of the step being executed: from Temporal's activity info,
   *     which the workflow cannot forge; a test that calls the activities directly names one
   */
  public SyncServerActivitiesImpl(
      SyncServerHost host,
      ApprovalGuard approvals,
      java.util.function.Supplier<ApprovalGuard.Scheduling> currentStep) {
    if (approvals == null) throw new IllegalArgumentException("an approval guard is required");
    this.host = host;
    this.approvals = approvals;
    this.currentStep = currentStep;
  }

  private final java.util.function.Supplier<ApprovalGuard.Scheduling> currentStep;

  /** The step's approval, verified for this scheduling (see {@link ApprovalGuard}). */
  private VerifiedApproval approved(
      StepAuthorization approval, String step, String server, Map<String, String> arguments) {
    return approvals.authorize(
        approval, currentStep.get(), ProvenParameters.step(step, server), server, arguments);
  }

  @Override
  public ServerState inspectServer(String server) {
    checkServer(server);
    return call(host::inspect);
  }

  @Override
  public ServerCaptureResult captureServer(String server) {
    checkServer(server);
    String capture = call(host::capture);
    String account;
    try {
      account = CapturedServer.of(JSON.readTree(capture)).state().connectorAccount();
    } catch (RuntimeException | java.io.IOException unreadable) {
      // The capture is still worth having: rehearsing it names the shape that was not understood.
      account = null;
    }
    return new ServerCaptureResult(server, capture, account);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
      new com.fasterxml.jackson.databind.ObjectMapper();

  @Override
  public StepResult pauseScheduler(String server, StepAuthorization approval) {
    return setScheduler(server, false, approval);
  }

  @Override
  public StepResult resumeScheduler(String server, StepAuthorization approval) {
    return setScheduler(server, true, approval);
  }

  private StepResult setScheduler(String server, boolean enabled, StepAuthorization approval) {
    checkServer(server);
    String step = enabled ? ProvenParameters.RESUME_SCHEDULER : ProvenParameters.PAUSE_SCHEDULER;
    ApprovalGuard.Scheduling at = currentStep.get();
    String key = ProvenParameters.step(step, server);
    // A resume also undoes a pause: the run's compensation has its one use of the approval.
    VerifiedApproval approved =
        enabled
            ? approvals.authorizeUndo(approval, at, key, server, Map.of())
            : approvals.authorize(approval, at, key, server, Map.of());
    ServerState before = call(host::inspect);
    if (before.syncCycleEnabled() == enabled) {
      return result(false, before, before, "scheduler already " + (enabled ? "enabled" : "paused"));
    }
    approved.requireUnspent();
    run(() -> host.setSyncCycleEnabled(enabled));
    ServerState after = call(host::inspect);
    if (after.syncCycleEnabled() != enabled) {
      throw Failures.transientFailure(
          "Set-ADSyncScheduler ran on " + server + " but SyncCycleEnabled is still " + !enabled);
    }
    return result(true, before, after, "SyncCycleEnabled=" + enabled);
  }

  @Override
  public StepResult revertToServiceAccount(
      String server, String credentialReference, StepAuthorization approval) {
    checkServer(server);
    Map<String, String> given = new LinkedHashMap<>();
    given.put("credentialReference", String.valueOf(credentialReference));
    VerifiedApproval approved = approved(approval, ProvenParameters.REVERT_STEP, server, given);
    return revert(server, credentialReference, approved).approvedBy(approved);
  }

  /**
   * The revert itself, once its approval is verified (the tests check its idempotency here): the
   * approval's bound state (the identity it replaces, the account) must be the live one.
   */
  StepResult revert(String server, String credentialReference, VerifiedApproval approved) {
    if (credentialReference == null || credentialReference.isBlank()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "no credential reference for the revert on "
              + server
              + ": configure one (e.g. clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml)",
          FailureTypes.CREDENTIAL_UNAVAILABLE);
    }
    ServerState before = call(host::inspect);
    String account = before.expectedServiceAccountName();
    // The connector reports Sync_X_id12@tenant: a revert already done must be seen as done, since
    // a second one resets the password and restarts the 15-minute propagation.
    if (before.usesServiceAccount(account)) {
      return result(false, before, before, "connector already uses " + account);
    }
    approved.requireState("serviceAccount", account);
    approved.requireState("identityBefore", before.identityLabel());
    approved.requireUnspent();
    requireQuiet(server, before, "the revert");
    run(() -> host.revertToServiceAccount(account, credentialReference));
    ServerState after = call(host::inspect);
    if (!after.usesServiceAccount(account)) {
      throw Failures.transientFailure(
          "Add-ADSyncAADServiceAccount ran on "
              + server
              + " but the connector reports "
              + after.identityType()
              + " "
              + after.serviceAccountName());
    }
    return result(true, before, after, "connector now uses service account " + account);
  }

  @Override
  public io.abafix.activities.model.CredentialCheck checkCredential(
      String server, String credentialReference) {
    checkServer(server);
    try {
      String user = Heartbeats.during(() -> host.credentialUserName(credentialReference));
      return new io.abafix.activities.model.CredentialCheck(
          server, credentialReference, user, null);
    } catch (HostException e) {
      if (e.category() == HostException.Category.CREDENTIAL_UNAVAILABLE
          || e.category() == HostException.Category.PERMANENT) {
        return new io.abafix.activities.model.CredentialCheck(
            server, credentialReference, null, e.getMessage());
      }
      throw Failures.from(e);
    }
  }

  @Override
  public AuthenticationCheck testConnectorAuthentication(String server) {
    checkServer(server);
    // The test is a Delta Import run of the connector: it must not overlap a running cycle, so
    // a running one is waited out (retried) rather than raced.
    if (call(host::inspect).syncCycleInProgress()) {
      throw Failures.transientFailure(
          "a sync cycle is running on " + server + ": the sign-in test waits for it to end");
    }
    return call(host::testConnectorAuthentication);
  }

  @Override
  public StepResult regenerateMachineId(
      String server, String newMachineId, StepAuthorization approval) {
    checkServer(server);
    VerifiedApproval approved =
        approved(
            approval,
            ProvenParameters.REGENERATE_STEP,
            server,
            Map.of("machineIdTo", String.valueOf(newMachineId)));
    return regenerate(server, newMachineId, approved).approvedBy(approved);
  }

  /**
   * The regeneration itself, once its approval is verified: the id it replaces must be the one the
   * approver saw.
   */
  StepResult regenerate(String server, String newMachineId, VerifiedApproval approved) {
    if (newMachineId == null || !MACHINE_ID.matcher(newMachineId).matches()) {
      throw Failures.permanent("a machine id must be 32 hexadecimal characters: " + newMachineId);
    }
    ServerState before = call(host::inspect);
    // Done means the whole postcondition: the id in place and ADSync running. A step killed between
    // Stop-Service and Start-Service leaves the id set and the service stopped: finish the job.
    boolean idInPlace = newMachineId.equalsIgnoreCase(before.machineId());
    if (idInPlace && before.adSyncRunning()) {
      return result(false, before, before, "machine id already " + newMachineId);
    }
    if (!idInPlace) approved.requireState("machineIdFrom", before.machineId());
    approved.requireUnspent();
    if (!idInPlace) requireQuiet(server, before, "stopping ADSync");
    run(() -> host.setMachineIdentifier(newMachineId.toLowerCase(Locale.ROOT)));
    ServerState after = call(host::inspect);
    if (!newMachineId.equalsIgnoreCase(after.machineId()) || !after.adSyncRunning()) {
      throw Failures.transientFailure(
          "machine id on "
              + server
              + " is "
              + after.machineId()
              + ", ADSync running="
              + after.adSyncRunning());
    }
    return result(
        true,
        before,
        after,
        idInPlace
            ? "SyncMachineIdentifier was already " + newMachineId + "; ADSync started"
            : "SyncMachineIdentifier regenerated; ADSync restarted");
  }

  @Override
  public StepResult rotateApplicationCertificate(
      String server, String certificateBefore, StepAuthorization approval) {
    checkServer(server);
    VerifiedApproval approved =
        approved(approval, ProvenParameters.ROTATE_CERTIFICATE, server, Map.of());
    ServerState before = call(host::inspect);
    if (before.identityType() != IdentityType.Application) {
      throw Failures.permanent(
          server + " does not use application-based authentication: nothing to rotate");
    }
    if (certificateBefore != null && !certificateBefore.equalsIgnoreCase(before.certificateId())) {
      return result(false, before, before, "certificate already rotated");
    }
    approved.requireUnspent();
    run(host::rotateApplicationCertificate);
    ServerState after = call(host::inspect);
    return result(true, before, after, "application certificate rotated");
  }

  @Override
  public StepResult configureApplicationAuthentication(
      String server, List<String> retiredAppIds, StepAuthorization approval) {
    checkServer(server);
    List<String> retired = retiredAppIds == null ? List.of() : retiredAppIds;
    VerifiedApproval approved =
        approved(
            approval,
            ProvenParameters.CONFIGURE_ABA,
            server,
            Map.of(
                ProvenParameters.RETIRED_APP_IDS,
                ProvenParameters.list(
                    retired.stream().map(a -> a.toLowerCase(Locale.ROOT)).toList())));
    ServerState before = call(host::inspect);
    if (ownsApp(before, retired)) {
      return result(
          false, before, before, "connector already uses its own app " + before.applicationId());
    }
    approved.requireUnspent();
    run(host::configureApplicationAuthentication);
    ServerState after = call(host::inspect);
    if (!ownsApp(after, retired)) {
      throw Failures.transientFailure(
          "ABA was configured on "
              + server
              + " but the connector reports "
              + after.identityType()
              + " with app "
              + after.applicationId());
    }
    return result(true, before, after, "connector now uses its own app " + after.applicationId());
  }

  /**
   * Refuses to act under a running cycle (transient: it ends by itself), a suspended scheduler or
   * an open wizard (an upgrade or a person is changing the server: look again before going on).
   */
  private static void requireQuiet(String server, ServerState s, String what) {
    if (s.syncCycleInProgress()) {
      // Stopping ADSync or switching identity mid-cycle is what the procedure warns against.
      throw Failures.transientFailure(
          "a sync cycle is running on " + server + ": " + what + " waits for it to end");
    }
    if (s.schedulerSuspended()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the scheduler of "
              + server
              + " is suspended (SchedulerSuspended: an upgrade or the wizard holds it): "
              + what
              + " is refused; finish that work, then run the remediation again",
          FailureTypes.PRECONDITION_FAILED);
    }
    if (s.wizardOpen()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the Entra Connect wizard is open on "
              + server
              + ": "
              + what
              + " is refused while someone may be changing the configuration; close it, then run"
              + " the remediation again",
          FailureTypes.PRECONDITION_FAILED);
    }
  }

  private static boolean ownsApp(ServerState s, List<String> retired) {
    return s.identityType() == IdentityType.Application
        && s.applicationId() != null
        && retired.stream().noneMatch(s.applicationId()::equalsIgnoreCase);
  }

  @Override
  public StepResult awaitSignIn(String server) {
    checkServer(server);
    AuthenticationCheck check = call(host::testConnectorAuthentication);
    if (!check.authenticated()) {
      throw Failures.transientFailure(
          server + " does not sign in yet (" + check.errorCode() + "): looking again");
    }
    return new StepResult(false, Map.of(), Map.of(), "signs in", attempt());
  }

  @Override
  public StepResult awaitSyncCycleEnd(String server) {
    checkServer(server);
    ServerState state = call(host::inspect);
    if (state.syncCycleInProgress()) {
      throw Failures.transientFailure("a sync cycle is still running on " + server);
    }
    return new StepResult(false, Map.of(), Facts.of(state), "no sync cycle running", attempt());
  }

  @Override
  public List<EventLogEntry> readEvents(String server, long afterRecordId, int maxEntries) {
    checkServer(server);
    return call(() -> host.readEvents(afterRecordId, maxEntries));
  }

  private void checkServer(String server) {
    // A step starts with a clean slate: what an earlier, failed step wrote went into its error.
    host.takeDiagnostics();
    if (server == null || !server.equalsIgnoreCase(host.serverName())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "step for "
              + server
              + " reached the worker of "
              + host.serverName()
              + ": check each worker's --name and task queue",
          FailureTypes.WRONG_SERVER);
    }
  }

  private StepResult result(boolean changed, ServerState before, ServerState after, String detail) {
    Map<String, String> afterFacts = new LinkedHashMap<>(Facts.of(after));
    // What the scripts wrote besides their answer (warnings, verbose output) belongs in the audit.
    String stderr = host.takeDiagnostics();
    if (!stderr.isEmpty()) afterFacts.put("stderr", stderr);
    return new StepResult(changed, Facts.of(before), afterFacts, detail, attempt());
  }

  static int attempt() {
    try {
      return Activity.getExecutionContext().getInfo().getAttempt();
    } catch (IllegalStateException notInActivity) {
      return 1;
    }
  }

  /** Runs one host call, heartbeating while it runs (see {@link Heartbeats}). */
  private static <T> T call(Supplier<T> op) {
    try {
      return Heartbeats.during(op);
    } catch (HostException e) {
      throw Failures.from(e);
    }
  }

  private static void run(Runnable op) {
    call(
        () -> {
          op.run();
          return null;
        });
  }

  @Override
  public StepResult installAdSyncTools(String server, String source, StepAuthorization approval) {
    checkServer(server);
    VerifiedApproval approved =
        approved(
            approval,
            ProvenParameters.INSTALL_STEP,
            server,
            Map.of("moduleSource", String.valueOf(source)));
    if (source == null || source.isBlank()) {
      throw Failures.permanent(
          "no ADSyncTools source for "
              + server
              + ": use \"gallery\" or the path of a pre-staged module folder on the server");
    }
    ServerState before = call(host::inspect);
    if (Versions.atLeast(before.adSyncToolsVersion(), MIN_AD_SYNC_TOOLS_VERSION)) {
      return parametersResult(
          false,
          before,
          before,
          "ADSyncTools " + before.adSyncToolsVersion() + " already installed");
    }
    approved.requireUnspent();
    run(() -> host.installAdSyncTools(source));
    ServerState after = call(host::inspect);
    if (!Versions.atLeast(after.adSyncToolsVersion(), MIN_AD_SYNC_TOOLS_VERSION)) {
      throw Failures.permanent(
          "ADSyncTools was installed on "
              + server
              + " from "
              + source
              + " but the newest version there is "
              + after.adSyncToolsVersion()
              + ": "
              + MIN_AD_SYNC_TOOLS_VERSION
              + " or later is needed");
    }
    String from =
        SyncServerHost.GALLERY.equalsIgnoreCase(source) ? "the PowerShell Gallery" : source;
    return parametersResult(
        true,
        before,
        after,
        "ADSyncTools "
            + (before.adSyncToolsVersion() == null ? "(none)" : before.adSyncToolsVersion())
            + " -> "
            + after.adSyncToolsVersion()
            + " from "
            + from);
  }

  @Override
  public StepResult repairConnectorParameters(String server, StepAuthorization approval) {
    checkServer(server);
    VerifiedApproval approved = approved(approval, ProvenParameters.REPAIR_STEP, server, Map.of());
    ServerState before = call(host::inspect);
    AbaParameters params = before.abaParameters();
    if (params != null && params.complete()) {
      return parametersResult(false, before, before, "ABA parameters already present");
    }
    if (before.identityType() != IdentityType.Application) {
      throw ApplicationFailure.newNonRetryableFailure(
          server
              + " does not use application-based authentication ("
              + before.identityType()
              + "): there are no ABA parameters to repair",
          FailureTypes.PRECONDITION_FAILED);
    }
    if (!Versions.atLeast(before.adSyncToolsVersion(), MIN_AD_SYNC_TOOLS_VERSION)) {
      throw ApplicationFailure.newNonRetryableFailure(
          "ADSyncTools "
              + MIN_AD_SYNC_TOOLS_VERSION
              + " or later is needed on "
              + server
              + " (found "
              + before.adSyncToolsVersion()
              + "): install it first",
          FailureTypes.PRECONDITION_FAILED);
    }
    approved.requireUnspent();
    run(host::repairConnectorParameters);
    ServerState after = call(host::inspect);
    List<String> stillBlank =
        after.abaParameters() == null
            ? List.of("ApplicationManagedBy", "CertificateManagedBy", "CertificateId")
            : after.abaParameters().blankNames();
    if (!stillBlank.isEmpty()) {
      throw Failures.permanent(
          "Repair-ADSyncToolsEntraAppParameters ran on "
              + server
              + " but "
              + String.join(", ", stillBlank)
              + " still blank: run the Entra Connect wizard on the server");
    }
    return parametersResult(
        true,
        before,
        after,
        "restored " + String.join(", ", params == null ? List.of("all") : params.blankNames()));
  }

  private static StepResult parametersResult(
      boolean changed, ServerState before, ServerState after, String detail) {
    return new StepResult(
        changed, Facts.withParameters(before), Facts.withParameters(after), detail, attempt());
  }
}
