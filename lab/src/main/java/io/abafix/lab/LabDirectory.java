package io.abafix.lab;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.CallerAccess;
import io.abafix.activities.model.RoleCheck;
import io.abafix.activities.port.Directory;
import io.abafix.lab.graph.GraphTenant;
import java.util.List;
import java.util.Optional;

/**
 * The simulated tenant, seen two ways: as Microsoft Graph holds it ({@link GraphTenant}, what the
 * fake Graph endpoint serves) and behind the production {@link Directory} port (for tests that read
 * the fleet without HTTP). Every method first takes the scenario's directory fault for that step
 * (if any; Graph HTTP faults are left for the fake Graph endpoint) and waits the step's latency.
 * Thread safe.
 */
public final class LabDirectory implements Directory, GraphTenant {
  /** The role template id of Global Administrator, the same in every tenant. */
  public static final String GLOBAL_ADMINISTRATOR_TEMPLATE_ID =
      "62e90394-69f5-4237-9190-012177145e10";

  private final LabWorld world;
  private final PortGuard guard;

  LabDirectory(LabWorld world, PortGuard guard) {
    this.world = world;
    this.guard = guard;
  }

  /** {@inheritDoc} Live apps only; the prefix matches regardless of case, as in Graph. */
  @Override
  public List<AppRegistration> listApplications(String displayNamePrefix) {
    return guard.call("listApplications", null, () -> world.listApplications(displayNamePrefix));
  }

  @Override
  public Optional<AppRegistration> getApplication(String id) {
    return guard.call("getApplication", null, () -> world.getApplication(id));
  }

  @Override
  public Optional<AppRegistration> getDeletedApplication(String id) {
    return guard.call("getDeletedApplication", null, () -> world.getDeletedApplication(id));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Moves the app's service principal to deleted items too. Deleting an app already in deleted
   * items does nothing; an unknown id throws {@code PERMANENT} ("not found").
   */
  @Override
  public void deleteApplication(String id) {
    guard.run("deleteApplication", null, () -> world.deleteApplication(id));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Restores the app only, not its service principal. Restoring a live app does nothing; an id
   * in neither place throws {@code PERMANENT}.
   */
  @Override
  public void restoreApplication(String id) {
    guard.run("restoreApplication", null, () -> world.restoreApplication(id));
  }

  @Override
  public Optional<ServicePrincipal> servicePrincipal(String appId) {
    if (LabAdapters.DIRECTORY_WORKER_CLIENT_ID.equalsIgnoreCase(appId)) {
      // The directory worker's own app has a service principal in the tenant too.
      return Optional.of(
          new ServicePrincipal(world.directoryWorkerServicePrincipalId(), appId, List.of()));
    }
    return guard.call(
        "servicePrincipalExists",
        null,
        () -> world.servicePrincipal(appId).map(LabDirectory::view));
  }

  @Override
  public Optional<ServicePrincipal> servicePrincipalById(String id) {
    return world.servicePrincipalById(id).map(LabDirectory::view);
  }

  @Override
  public Optional<ServicePrincipal> deletedServicePrincipal(String appId) {
    return guard.call(
        "deletedServicePrincipal",
        null,
        () -> world.deletedServicePrincipal(appId).map(LabDirectory::view));
  }

  @Override
  public void restoreServicePrincipal(String id) {
    guard.run("restoreServicePrincipal", null, () -> world.restoreServicePrincipal(id));
  }

  @Override
  public Optional<String> servicePrincipalId(String appId) {
    return servicePrincipal(appId).map(ServicePrincipal::id);
  }

  @Override
  public Optional<String> deletedServicePrincipalId(String appId) {
    return deletedServicePrincipal(appId).map(ServicePrincipal::id);
  }

  /** {@inheritDoc} Idempotent; throws {@code PERMANENT} when no live app has that app id. */
  @Override
  public String createServicePrincipal(String appId) {
    return guard.call("createServicePrincipal", null, () -> world.createServicePrincipal(appId).id);
  }

  @Override
  public GraphTenant.ServicePrincipal createServicePrincipalObject(String appId) {
    return guard.call(
        "createServicePrincipal", null, () -> view(world.createServicePrincipal(appId)));
  }

  @Override
  public List<String> owners(String appObjectId) {
    return world.owners(appObjectId);
  }

  @Override
  public List<String> applicationOwners(String appObjectId) {
    return owners(appObjectId);
  }

  @Override
  public Optional<User> user(String upnOrId) {
    SimAccount a = world.account(upnOrId);
    if (a == null) return Optional.empty();
    return Optional.of(
        new User(
            LabWorld.userId(a.userPrincipalName()),
            a.userPrincipalName(),
            world.activeRoles(a).stream().map(LabDirectory::templateId).toList()));
  }

  @Override
  public List<String> eligiblePrincipals(String roleTemplateId) {
    return GLOBAL_ADMINISTRATOR_TEMPLATE_ID.equalsIgnoreCase(roleTemplateId)
        ? world.eligiblePrincipals(LabWorld.GLOBAL_ADMINISTRATOR)
        : List.of();
  }

  @Override
  public List<String> memberOf(String userId, List<String> ids) {
    SimAccount a = world.account(userId);
    return a == null ? List.of() : world.memberOf(a, ids);
  }

  @Override
  public Client client(String clientId) {
    return new Client(
        world.directoryWorker().permissions(), world.directoryWorkerServicePrincipalId());
  }

  @Override
  public CallerAccess callerAccess() {
    Client me = client(LabAdapters.DIRECTORY_WORKER_CLIENT_ID);
    return new CallerAccess(
        LabAdapters.DIRECTORY_WORKER_CLIENT_ID,
        me.servicePrincipalId(),
        me.permissions(),
        "lab",
        "the lab");
  }

  /** {@inheritDoc} Active, eligible, directly or through a group, as the lab's tenant holds it. */
  @Override
  public RoleCheck globalAdministrator(String userPrincipalName) {
    return guard.call(
        "isGlobalAdministrator",
        null,
        () -> {
          Optional<User> user = user(userPrincipalName);
          if (user.isEmpty()) return RoleCheck.doesNotHold(userPrincipalName, "no such account");
          if (user.get().activeRoleTemplateIds().contains(GLOBAL_ADMINISTRATOR_TEMPLATE_ID)) {
            return RoleCheck.holds(userPrincipalName, "active assignment");
          }
          List<String> eligible = eligiblePrincipals(GLOBAL_ADMINISTRATOR_TEMPLATE_ID);
          if (eligible.contains(user.get().id())
              || !memberOf(user.get().id(), eligible).isEmpty()) {
            return RoleCheck.holds(
                userPrincipalName, "eligible assignment (Privileged Identity Management)");
          }
          return RoleCheck.doesNotHold(userPrincipalName, "no active or eligible assignment");
        });
  }

  /** The template id of a built-in role named in a scenario. */
  static String templateId(String roleName) {
    if (LabWorld.GLOBAL_ADMINISTRATOR.equalsIgnoreCase(roleName)) {
      return GLOBAL_ADMINISTRATOR_TEMPLATE_ID;
    }
    return java.util
        .UUID
        .nameUUIDFromBytes(
            ("role:" + roleName.toLowerCase(java.util.Locale.ROOT))
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toString();
  }

  private static ServicePrincipal view(LabWorld.SimServicePrincipal sp) {
    return new ServicePrincipal(sp.id, sp.appId, sp.appRoles);
  }
}
