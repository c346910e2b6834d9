package io.abafix.activities.model;

import java.util.List;

/**
 * What the directory worker's own sign-in may do in Microsoft Graph.
 *
 * @param clientId the application (client) id the worker signs in as
 * @param servicePrincipalId the object id of that app's service principal in the tenant (what an
 *     app's owners list names), or null when Graph did not show it
 * @param roles the application permissions its access token carries (the {@code roles} claim), or
 *     null when the token could not be read
 * @param graphBaseUrl the Graph root the worker talks to (for fixes that name a Graph request)
 * @param portal the admin center of the worker's cloud (for fixes that name portal steps)
 */
public record CallerAccess(
    String clientId,
    String servicePrincipalId,
    List<String> roles,
    String graphBaseUrl,
    String portal) {

  public static final String APPLICATION_READ_WRITE_ALL = "Application.ReadWrite.All";
  public static final String APPLICATION_READ_WRITE_OWNED_BY = "Application.ReadWrite.OwnedBy";

  public CallerAccess {
    roles = roles == null ? null : List.copyOf(roles);
  }

  public boolean holds(String permission) {
    return roles != null && roles.stream().anyMatch(permission::equalsIgnoreCase);
  }
}
