package io.abafix.activities;

import io.abafix.activities.internal.Failures;
import io.abafix.activities.internal.Heartbeats;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.DirectoryCapture;
import io.abafix.activities.model.StepResult;
import io.abafix.activities.port.Directory;
import io.abafix.activities.port.HostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** Runs directory steps through a {@link Directory}: Microsoft Graph, or the lab. */
public class DirectoryActivitiesImpl implements DirectoryActivities {
  private final Directory directory;

  public DirectoryActivitiesImpl(Directory directory) {
    this.directory = directory;
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
  public StepResult deleteApplication(String objectId) {
    Optional<AppRegistration> live = call(() -> directory.getApplication(objectId));
    if (live.isEmpty()) {
      Optional<AppRegistration> deleted = call(() -> directory.getDeletedApplication(objectId));
      if (deleted.isPresent()) {
        return new StepResult(
            false,
            facts(deleted.get(), "deleted"),
            facts(deleted.get(), "deleted"),
            "already in deleted items",
            SyncServerActivitiesImpl.attempt());
      }
      throw Failures.permanent("no app registration with object id " + objectId + " exists");
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
        SyncServerActivitiesImpl.attempt());
  }

  @Override
  public StepResult restoreApplication(String objectId) {
    Optional<AppRegistration> live = call(() -> directory.getApplication(objectId));
    boolean changed = false;
    AppRegistration app;
    if (live.isPresent()) {
      app = live.get();
    } else {
      app =
          call(() -> directory.getDeletedApplication(objectId))
              .orElseThrow(
                  () ->
                      Failures.permanent(
                          "app "
                              + objectId
                              + " is neither live nor in deleted items: it cannot be restored"));
      call(
          () -> {
            directory.restoreApplication(objectId);
            return null;
          });
      changed = true;
    }
    // Graph restores the app but not its service principal; without one nothing can sign in.
    if (!call(() -> directory.servicePrincipalExists(app.appId()))) {
      call(
          () -> {
            directory.createServicePrincipal(app.appId());
            return null;
          });
      changed = true;
    }
    return new StepResult(
        changed,
        facts(app, live.isPresent() ? "live" : "deleted"),
        facts(app, "live"),
        changed ? "restored " + app.displayName() + " and its service principal" : "already live",
        SyncServerActivitiesImpl.attempt());
  }

  @Override
  public boolean isGlobalAdministrator(String userPrincipalName) {
    return call(() -> directory.isGlobalAdministrator(userPrincipalName));
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
