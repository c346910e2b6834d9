package io.abafix.workflows.plan;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.ServerState;
import java.util.List;
import java.util.Map;

/**
 * Everything preflight read, in the order the servers were named.
 *
 * @param authentication per server name, whether its connector signs in now
 * @param globalAdministrators connector accounts that hold the Global Administrator role
 */
public record FleetObservation(
    String tenant,
    List<ServerState> servers,
    Map<String, AuthenticationCheck> authentication,
    List<AppRegistration> applications,
    List<String> globalAdministrators) {

  public FleetObservation {
    servers = List.copyOf(servers);
    authentication = Map.copyOf(authentication);
    applications = List.copyOf(applications);
    globalAdministrators = List.copyOf(globalAdministrators);
  }

  public boolean signsIn(String server) {
    AuthenticationCheck check = authentication.get(server);
    return check != null && check.authenticated();
  }
}
