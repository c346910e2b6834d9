package io.abafix.activities;

import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ProvenParameters;
import io.abafix.activities.approval.RunRef;
import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.approval.VerifiedApproval;
import io.abafix.activities.internal.Failures;
import io.abafix.activities.internal.Heartbeats;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.ApprovedDeletions;
import io.abafix.activities.model.ApprovedDeletions.ApprovedApp;
import io.abafix.activities.model.DirectoryCapture;
import io.abafix.activities.model.DirectoryPrerequisites;
import io.abafix.activities.model.RoleCheck;
import io.abafix.activities.model.StepResult;
import io.abafix.activities.port.Directory;
import io.abafix.activities.port.HostException;
import io.temporal.activity.Activity;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs directory steps through a {@link Directory}: Microsoft Graph, or the lab.
 *
 * <p>Deleting and restoring are guarded here, where the Graph credential is, not only in the
 * planner: an app is touched only when it is a {@code ConnectSyncProvisioning_*} app that the
 * approval names (object id, app id and display name all matching the live app), and a run deletes
 * no more distinct apps than the approval allows. Anything else fails permanently before the
 * request that would change it; when the approval itself does not cover the object id, before any
 * request at all.
 */
public class DirectoryActivitiesImpl implements DirectoryActivities {
  private final Directory directory;
  private final ApprovalGuard approvals;
  private final Supplier<ApprovalGuard.Scheduling> currentStep;

  /** Object ids this worker deleted, by run: the per-run ceiling survives retries and replays. */
  private final Map<String, Set<String>> deletedByRun = new ConcurrentHashMap<>();

  /**
   * @param approvals checks the signed approval every deletion carries
   */
  public DirectoryActivitiesImpl(Directory directory, ApprovalGuard approvals) {
    this(directory, approvals, ApprovalGuard.Scheduling::current);
  }

  /**
   * @param currentStep the scheduling of the step being executed: from Temporal's activity info,
   *     which the workflow cannot forge; a test that calls the activities directly names one
   */
  public DirectoryActivitiesImpl(
      Directory directory,
      ApprovalGuard approvals,
      Supplier<ApprovalGuard.Scheduling> currentStep) {
    if (approvals == null) throw new IllegalArgumentException("an approval guard is required");
    this.directory = directory;
    this.approvals = approvals;
    this.currentStep = currentStep;
  }

  private static final String DELETE =
      ProvenParameters.step(ProvenParameters.DELETE_STEP, ProvenParameters.DIRECTORY);

  /**
   * Refuses, with zero effects, an app whose object id and app id the signed approval does not name
   * together.
   */
  private static void requireSigned(VerifiedApproval proof, AppRegistration app) {
    String pair = app.id() + "=" + app.appId();
    boolean named =
        ProvenParameters.values(proof.bound(), ProvenParameters.APPLICATION_IDS).stream()
            .anyMatch(pair::equalsIgnoreCase);
    if (!named) {
      throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
          "refused to change app "
              + app.displayName()
              + ": the signed approval does not name object "
              + app.id()
              + " with app id "
              + app.appId()
              + ", nothing changed",
          FailureTypes.APPROVAL_REFUSED);
    }
  }

  @Override
  public List<AppRegistration> listProvisioningApplications() {
    return call(() -> directory.listApplications(PROVISIONING_APP_PREFIX));
  }

  @Override
  public DirectoryCapture captureDirectory(List<String> connectorAccounts) {
    List<AppRegistration> apps = listProvisioningApplications();
    List<String> withPrincipal = new java.util.ArrayList<>();
    for (AppRegistration a : apps) {
      if (call(() -> directory.servicePrincipalExists(a.appId()))) withPrincipal.add(a.appId());
    }
    List<String> admins = new java.util.ArrayList<>();
    for (String account : connectorAccounts == null ? List.<String>of() : connectorAccounts) {
      if (isGlobalAdministrator(account)) admins.add(account);
    }
    return new DirectoryCapture(apps, withPrincipal, connectorAccounts, admins);
  }

  @Override
  public StepResult deleteApplication(
      String objectId, StepAuthorization approval, ApprovedDeletions approved) {
    // First the approver's signature, before any request: it names the object ids it allows.
    ApprovalGuard.Scheduling step = currentStep.get();
    RunRef run = step.run();
    VerifiedApproval proof = approvals.authorize(approval, step, DELETE, objectId, Map.of());
    List<String> signedIds =
        ProvenParameters.values(proof.bound(), ProvenParameters.DELETE_APPLICATION);
    if (signedIds.stream().noneMatch(objectId::equalsIgnoreCase)) {
      throw io.temporal.failure.ApplicationFailure.newNonRetryableFailure(
          "refused to delete "
              + objectId
              + ": the signed approval names "
              + signedIds
              + ", nothing changed",
          FailureTypes.APPROVAL_REFUSED);
    }
    int signed = signedIds.size();
    ApprovedApp allowed = approvedApp(objectId, approved);
    int ceiling = Math.min(approved.maxCount(), signed);
    Set<String> deletedHere =
        deletedByRun.computeIfAbsent(run.runId(), r -> ConcurrentHashMap.newKeySet());
    Optional<AppRegistration> live = call(() -> directory.getApplication(objectId));
    if (live.isEmpty()) {
      Optional<AppRegistration> deleted = call(() -> directory.getDeletedApplication(objectId));
      if (deleted.isPresent()) {
        requireMatch(deleted.get(), allowed);
        requireSigned(proof, deleted.get());
        return new StepResult(
                false,
                facts(deleted.get(), "deleted"),
                facts(deleted.get(), "deleted"),
                "already in deleted items",
                SyncServerActivitiesImpl.attempt())
            .approvedBy(proof);
      }
      throw Failures.permanent("no app registration with object id " + objectId + " exists");
    }
    requireMatch(live.get(), allowed);
    requireSigned(proof, live.get());
    proof.requireUnspent();
    synchronized (deletedHere) {
      if (!deletedHere.contains(objectId) && deletedHere.size() >= ceiling) {
        throw Failures.permanent(
            "refused to delete "
                + objectId
                + ": this run already deleted "
                + deletedHere.size()
                + " apps, all its approval allows");
      }
      deletedHere.add(objectId);
    }
    call(
        () -> {
          directory.deleteApplication(objectId);
          return null;
        });
    return new StepResult(
            true,
            facts(live.get(), "live"),
            facts(live.get(), "deleted"),
            "soft-deleted " + live.get().displayName() + " (restorable for 30 days)",
            SyncServerActivitiesImpl.attempt())
        .approvedBy(proof);
  }

  @Override
  public StepResult restoreApplication(
      String objectId, StepAuthorization approval, ApprovedDeletions approved) {
    // A compensation acts under the approval that let this very object be deleted.
    VerifiedApproval proof =
        approvals.authorizeUndo(
            approval, currentStep.get(), DELETE, "restore " + objectId, Map.of());
    ApprovedApp allowed = approvedApp(objectId, approved);
    Optional<AppRegistration> live = call(() -> directory.getApplication(objectId));
    boolean changed = false;
    AppRegistration app;
    if (live.isPresent()) {
      app = live.get();
      requireMatch(app, allowed);
      requireSigned(proof, app);
    } else {
      app =
          call(() -> directory.getDeletedApplication(objectId))
              .orElseThrow(
                  () ->
                      Failures.permanent(
                          "app "
                              + objectId
                              + " is neither live nor in deleted items: it cannot be restored"));
      requireMatch(app, allowed);
      requireSigned(proof, app);
      proof.requireUnspent();
      call(
          () -> {
            directory.restoreApplication(objectId);
            return null;
          });
      changed = true;
    }
    // Graph restores the app but not its service principal: restore that too, the same object,
    // so that its app role assignments (ADSynchronization.ReadWrite.All) come back with it.
    Map<String, String> after = facts(app, "live");
    String detail;
    Optional<String> sp = call(() -> directory.servicePrincipalId(app.appId()));
    if (sp.isPresent()) {
      after.put("servicePrincipalId", sp.get());
      detail = changed ? "restored " + app.displayName() : "already live";
      detail += "; its service principal " + sp.get() + " is live";
    } else {
      Optional<String> deleted = call(() -> directory.deletedServicePrincipalId(app.appId()));
      if (deleted.isPresent()) {
        call(
            () -> {
              directory.restoreServicePrincipal(deleted.get());
              return null;
            });
        changed = true;
        after.put("servicePrincipalId", deleted.get());
        detail =
            "restored "
                + app.displayName()
                + " and its own service principal "
                + deleted.get()
                + " from deleted items, with its app role assignments";
      } else {
        String created = call(() -> directory.createServicePrincipal(app.appId()));
        changed = true;
        after.put("servicePrincipalId", created);
        after.put(SERVICE_PRINCIPAL_RECREATED, "true");
        detail =
            "restored "
                + app.displayName()
                + ", but its service principal was not in deleted items: created a new one ("
                + created
                + ") that holds NONE of the old one's app role assignments, so a server on this"
                + " app cannot sync until an administrator grants the new service principal the"
                + " app role ADSynchronization.ReadWrite.All of the Microsoft Entra AD"
                + " Synchronization Service (and, with password writeback, the password reset"
                + " roles), or reruns the Entra Connect wizard's 'Configure application-based"
                + " authentication' on that server";
      }
    }
    return new StepResult(
        changed,
        facts(app, live.isPresent() ? "live" : "deleted"),
        after,
        detail,
        SyncServerActivitiesImpl.attempt());
  }

  @Override
  public List<RoleCheck> checkGlobalAdministrators(List<String> userPrincipalNames) {
    List<RoleCheck> checks = new ArrayList<>();
    for (String upn : userPrincipalNames == null ? List.<String>of() : userPrincipalNames) {
      checks.add(call(() -> directory.globalAdministrator(upn)));
    }
    return checks;
  }

  @Override
  public List<DirectoryPrerequisites.Missing> checkApplicationAccess(
      List<AppRegistration> toDelete) {
    return call(() -> DirectoryAccess.missing(directory, toDelete));
  }

  @Override
  public boolean isGlobalAdministrator(String userPrincipalName) {
    RoleCheck check = call(() -> directory.globalAdministrator(userPrincipalName));
    if (check.status() == RoleCheck.Status.CANNOT_TELL) throw Failures.permanent(check.describe());
    return check.holdsRole();
  }

  /**
   * The approval's entry for {@code objectId}, checked before any request is sent.
   *
   * @throws io.temporal.failure.ApplicationFailure permanent, when the approval does not name it,
   *     is for another run, or names an app abafix does not own
   */
  private static ApprovedApp approvedApp(String objectId, ApprovedDeletions approved) {
    if (approved == null || approved.runId() == null) {
      throw Failures.permanent("refused to change app " + objectId + ": no approved plan names it");
    }
    String run = currentRunId();
    if (run != null && !run.equals(approved.runId())) {
      throw Failures.permanent(
          "refused to change app "
              + objectId
              + ": the approval is for run "
              + approved.runId()
              + ", not this one");
    }
    if (approved.applications().size() > approved.maxCount()) {
      throw Failures.permanent(
          "refused: the approval names "
              + approved.applications().size()
              + " apps but allows "
              + approved.maxCount());
    }
    ApprovedApp app =
        approved.applications().stream()
            .filter(a -> objectId != null && objectId.equalsIgnoreCase(a.objectId()))
            .findFirst()
            .orElseThrow(
                () ->
                    Failures.permanent(
                        "refused to change app "
                            + objectId
                            + ": the approved plan does not name it"));
    if (app.displayName() == null || !app.displayName().startsWith(PROVISIONING_APP_PREFIX)) {
      throw Failures.permanent(
          "refused to change app "
              + objectId
              + " ("
              + app.displayName()
              + "): abafix changes only "
              + PROVISIONING_APP_PREFIX
              + "* apps");
    }
    return app;
  }

  /** The app Graph returned must be the one that was approved, still named as abafix's. */
  private static void requireMatch(AppRegistration found, ApprovedApp allowed) {
    if (found.displayName() == null
        || !found.displayName().startsWith(PROVISIONING_APP_PREFIX)
        || !found.displayName().equals(allowed.displayName())
        || !String.valueOf(found.appId()).equalsIgnoreCase(allowed.appId())) {
      throw Failures.permanent(
          "refused to change app "
              + found.id()
              + ": it is now "
              + found.displayName()
              + " (app id "
              + found.appId()
              + "), not the approved "
              + allowed.displayName()
              + " (app id "
              + allowed.appId()
              + ")");
    }
  }

  private static String currentRunId() {
    try {
      return Activity.getExecutionContext().getInfo().getRunId();
    } catch (IllegalStateException notInActivity) {
      return null;
    }
  }

  private static Map<String, String> facts(AppRegistration app, String state) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("objectId", app.id());
    m.put("appId", app.appId());
    m.put("displayName", app.displayName());
    m.put("state", state);
    return m;
  }

  /** Runs one host call, heartbeating while it runs (see {@link Heartbeats}). */
  private static <T> T call(Supplier<T> op) {
    try {
      return Heartbeats.during(op);
    } catch (HostException e) {
      throw Failures.from(e);
    }
  }
}
