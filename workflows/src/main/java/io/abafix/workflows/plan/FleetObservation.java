package io.abafix.workflows.plan;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.RoleCheck;
import io.abafix.activities.model.ServerState;
import io.abafix.workflows.model.Sorted;
import java.util.List;
import java.util.Map;

/**
 * Everything preflight read, in the order the servers were named.
 *
 * @param authentication per server name, whether its connector signs in now
 * @param globalAdministrators connector accounts that hold the Global Administrator role
 * @param roleChecks how each account was found to hold it, or not, or why that cannot be told;
 *     empty where the observation predates the fuller check
 */
public record FleetObservation(
    String tenant,
    List<ServerState> servers,
    Map<String, AuthenticationCheck> authentication,
    List<AppRegistration> applications,
    List<String> globalAdministrators,
    List<RoleCheck> roleChecks) {

  public FleetObservation(
      String tenant,
      List<ServerState> servers,
      Map<String, AuthenticationCheck> authentication,
      List<AppRegistration> applications,
      List<String> globalAdministrators) {
    this(tenant, servers, authentication, applications, globalAdministrators, List.of());
  }

  public FleetObservation {
    roleChecks = roleChecks == null ? List.of() : List.copyOf(roleChecks);
    servers = List.copyOf(servers);
    authentication = Sorted.map(authentication);
    applications = List.copyOf(applications);
    globalAdministrators = List.copyOf(globalAdministrators);
  }

  /** How {@code account} holds Global Administrator ("active assignment", ...), or null. */
  public String administratorRoute(String account) {
    return roleChecks.stream()
        .filter(c -> c.holdsRole() && c.account().equalsIgnoreCase(account))
        .map(RoleCheck::how)
        .findFirst()
        .orElse(null);
  }

  public boolean signsIn(String server) {
    AuthenticationCheck check = authentication.get(server);
    return check != null && check.authenticated();
  }
}
