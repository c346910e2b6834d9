package io.abafix.lab;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.port.Directory;
import java.util.List;
import java.util.Optional;

/**
 * The simulated tenant behind the production {@link Directory} port. Every method first takes the
 * scenario's directory fault for that step (if any; Graph HTTP faults are left for the fake Graph
 * endpoint) and waits the step's latency. Thread safe.
 */
public final class LabDirectory implements Directory {
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
   * <p>Also removes the app's service principal. Deleting an app already in deleted items does
   * nothing; an unknown id throws {@code PERMANENT} ("not found").
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
  public boolean servicePrincipalExists(String appId) {
    return guard.call("servicePrincipalExists", null, () -> world.servicePrincipalExists(appId));
  }

  /** {@inheritDoc} Idempotent; throws {@code PERMANENT} when no live app has that app id. */
  @Override
  public void createServicePrincipal(String appId) {
    guard.run("createServicePrincipal", null, () -> world.createServicePrincipal(appId));
  }

  /** {@inheritDoc} False for an account the tenant does not know. */
  @Override
  public boolean isGlobalAdministrator(String userPrincipalName) {
    return guard.call(
        "isGlobalAdministrator", null, () -> world.isGlobalAdministrator(userPrincipalName));
  }
}
