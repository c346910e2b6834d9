package io.abafix.lab.graph;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.port.HostException;
import io.abafix.lab.LabDirectory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The smallest tenant that behaves like Entra ID for these tests. */
final class InMemoryDirectory implements GraphTenant {
  private final Map<String, AppRegistration> live = new LinkedHashMap<>();
  private final Map<String, AppRegistration> deleted = new LinkedHashMap<>();
  private final Map<String, ServicePrincipal> servicePrincipals = new LinkedHashMap<>();
  private final Map<String, ServicePrincipal> deletedServicePrincipals = new LinkedHashMap<>();
  private final Set<String> globalAdministrators = new HashSet<>();
  private final Set<String> users = new HashSet<>();
  private final Set<String> owned = new HashSet<>();

  /** The object id of the directory worker's own service principal. */
  static final String WORKER_SP = "sp-directory-worker";

  private List<String> permissions =
      List.of(
          "Application.ReadWrite.All",
          "User.Read.All",
          "RoleManagement.Read.Directory",
          "GroupMember.Read.All");

  synchronized InMemoryDirectory add(AppRegistration app) {
    live.put(app.id(), app);
    servicePrincipals.put(
        app.appId(), new ServicePrincipal("sp-" + app.id(), app.appId(), List.of()));
    return this;
  }

  synchronized InMemoryDirectory globalAdministrator(String upn) {
    globalAdministrators.add(upn.toLowerCase());
    users.add(upn.toLowerCase());
    return this;
  }

  synchronized InMemoryDirectory withUser(String upn) {
    users.add(upn.toLowerCase());
    return this;
  }

  private String workerApp = "";

  /** The client id of the directory worker's app, whose service principal the tenant has. */
  synchronized InMemoryDirectory worker(String clientId) {
    workerApp = clientId;
    return this;
  }

  synchronized InMemoryDirectory permissions(String... granted) {
    permissions = List.of(granted);
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
    ServicePrincipal sp = servicePrincipals.remove(app.appId());
    if (sp != null) deletedServicePrincipals.put(sp.id(), sp);
  }

  @Override
  public synchronized void restoreApplication(String id) {
    AppRegistration app = deleted.remove(id);
    if (app == null) throw new HostException(HostException.Category.PERMANENT, "no deleted " + id);
    live.put(id, app);
  }

  @Override
  public synchronized Optional<ServicePrincipal> servicePrincipal(String appId) {
    if (appId.equals(workerApp))
      return Optional.of(new ServicePrincipal(WORKER_SP, appId, List.of()));
    return Optional.ofNullable(servicePrincipals.get(appId));
  }

  @Override
  public synchronized Optional<ServicePrincipal> servicePrincipalById(String id) {
    return servicePrincipals.values().stream().filter(sp -> sp.id().equals(id)).findFirst();
  }

  @Override
  public synchronized Optional<ServicePrincipal> deletedServicePrincipal(String appId) {
    return deletedServicePrincipals.values().stream()
        .filter(sp -> sp.appId().equals(appId))
        .findFirst();
  }

  /** The deleted service principal of an app is gone for good (hard-deleted or purged). */
  synchronized void purgeDeletedServicePrincipal(String appId) {
    deletedServicePrincipals.values().removeIf(sp -> sp.appId().equals(appId));
  }

  @Override
  public synchronized void restoreServicePrincipal(String id) {
    ServicePrincipal sp = deletedServicePrincipals.remove(id);
    if (sp == null) throw new HostException(HostException.Category.PERMANENT, "no deleted " + id);
    servicePrincipals.put(sp.appId(), sp);
  }

  @Override
  public synchronized ServicePrincipal createServicePrincipalObject(String appId) {
    return servicePrincipals.computeIfAbsent(
        appId, a -> new ServicePrincipal(UUID.randomUUID().toString(), a, List.of()));
  }

  /** The directory worker's service principal becomes an owner of the app. */
  synchronized InMemoryDirectory ownedByWorker(String appObjectId) {
    owned.add(appObjectId);
    return this;
  }

  @Override
  public synchronized List<String> owners(String appObjectId) {
    return owned.contains(appObjectId) ? List.of(WORKER_SP) : List.of();
  }

  @Override
  public synchronized Optional<User> user(String upnOrId) {
    String upn = upnOrId.toLowerCase();
    if (upn.startsWith("user-")) upn = upn.substring("user-".length());
    if (!users.contains(upn)) return Optional.empty();
    return Optional.of(
        new User(
            "user-" + upn,
            upn,
            globalAdministrators.contains(upn)
                ? List.of(LabDirectory.GLOBAL_ADMINISTRATOR_TEMPLATE_ID)
                : List.of()));
  }

  @Override
  public List<String> eligiblePrincipals(String roleTemplateId) {
    return List.of();
  }

  @Override
  public List<String> memberOf(String userId, List<String> ids) {
    return List.of();
  }

  @Override
  public synchronized Client client(String clientId) {
    return new Client(permissions, WORKER_SP);
  }
}
