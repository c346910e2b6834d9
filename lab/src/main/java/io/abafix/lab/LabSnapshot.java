package io.abafix.lab;

import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.IdentityType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An immutable picture of the whole lab at one instant, for assertions and the demo.
 *
 * @param servers every server, in scenario order
 * @param applications the live app registrations, by display name
 * @param deletedApplicationIds object ids of the apps in deleted items
 */
public record LabSnapshot(
    List<Server> servers, List<Application> applications, List<String> deletedApplicationIds) {

  public LabSnapshot {
    servers = List.copyOf(servers);
    applications = List.copyOf(applications);
    deletedApplicationIds = List.copyOf(deletedApplicationIds);
  }

  /**
   * One server.
   *
   * @param applicationId the app id in use, when on Application
   * @param serviceAccountName the account in use, when on ServiceAccount
   * @param authenticates whether the connector's identity signs in right now
   */
  public record Server(
      String name,
      IdentityType identityType,
      String applicationId,
      String serviceAccountName,
      String machineId,
      String certificateThumbprint,
      boolean stagingMode,
      boolean syncCycleEnabled,
      boolean syncCycleInProgress,
      boolean adSyncRunning,
      AbaParameters abaParameters,
      boolean authenticates) {}

  /**
   * One live app registration.
   *
   * @param id the object id
   * @param keyThumbprints the thumbprints of its keys
   * @param servicePrincipalId the object id of its live service principal, or null when it has none
   * @param servicePrincipalRoles the app roles that service principal holds
   */
  public record Application(
      String id,
      String appId,
      String displayName,
      List<String> keyThumbprints,
      String servicePrincipalId,
      List<String> servicePrincipalRoles) {
    public Application {
      keyThumbprints = List.copyOf(keyThumbprints);
      servicePrincipalRoles =
          servicePrincipalRoles == null ? List.of() : List.copyOf(servicePrincipalRoles);
    }

    public boolean servicePrincipal() {
      return servicePrincipalId != null;
    }
  }

  /** The server of that name (any case); throws IllegalArgumentException for an unknown name. */
  public Server server(String name) {
    return servers.stream()
        .filter(s -> s.name().equals(name.toUpperCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no server " + name + " in the snapshot"));
  }

  /** The live app with that app (client) id. */
  public Optional<Application> applicationByAppId(String appId) {
    return applications.stream().filter(a -> a.appId().equalsIgnoreCase(appId)).findFirst();
  }
}
