package io.abafix.lab.graph;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.port.Directory;
import io.abafix.activities.port.HostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The smallest directory that behaves like Entra ID for these tests. */
final class InMemoryDirectory implements Directory {
  private final Map<String, AppRegistration> live = new LinkedHashMap<>();
  private final Map<String, AppRegistration> deleted = new LinkedHashMap<>();
  private final Set<String> servicePrincipals = new HashSet<>();
  private final Set<String> globalAdministrators = new HashSet<>();

  synchronized InMemoryDirectory add(AppRegistration app) {
    live.put(app.id(), app);
    servicePrincipals.add(app.appId());
    return this;
  }

  synchronized InMemoryDirectory globalAdministrator(String upn) {
    globalAdministrators.add(upn.toLowerCase());
    return this;
  }

  @Override
  public synchronized List<AppRegistration> listApplications(String displayNamePrefix) {
    List<AppRegistration> out = new ArrayList<>();
    for (AppRegistration app : live.values()) {
      if (app.displayName().toLowerCase().startsWith(displayNamePrefix.toLowerCase())) out.add(app);
    }
    return out;
  }

  @Override
  public synchronized Optional<AppRegistration> getApplication(String id) {
    return Optional.ofNullable(live.get(id));
  }

  @Override
  public synchronized Optional<AppRegistration> getDeletedApplication(String id) {
    return Optional.ofNullable(deleted.get(id));
  }

  @Override
  public synchronized void deleteApplication(String id) {
    AppRegistration app = live.remove(id);
    if (app == null) throw new HostException(HostException.Category.PERMANENT, "no app " + id);
    deleted.put(id, app);
    // Deleting an app deletes its service principal; restoring the app does not bring it back.
    servicePrincipals.remove(app.appId());
  }

  @Override
  public synchronized void restoreApplication(String id) {
    AppRegistration app = deleted.remove(id);
    if (app == null) throw new HostException(HostException.Category.PERMANENT, "no deleted " + id);
    live.put(id, app);
  }

  @Override
  public synchronized boolean servicePrincipalExists(String appId) {
    return servicePrincipals.contains(appId);
  }

  @Override
  public synchronized void createServicePrincipal(String appId) {
    servicePrincipals.add(appId);
  }

  @Override
  public synchronized boolean isGlobalAdministrator(String userPrincipalName) {
    return globalAdministrators.contains(userPrincipalName.toLowerCase());
  }
}
