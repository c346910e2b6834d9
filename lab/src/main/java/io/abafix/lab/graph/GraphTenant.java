package io.abafix.lab.graph;

import io.abafix.activities.model.AppRegistration;
import java.util.List;
import java.util.Optional;

/**
 * The tenant as Microsoft Graph holds it, in Graph's own terms: what {@link FakeMicrosoftEntra}
 * reads and writes. It is the lab's model, not abafix's port, so that the fake answers as Microsoft
 * documents (see {@code graph-behaviours.json}) rather than as abafix expects.
 */
public interface GraphTenant {

  List<AppRegistration> listApplications(String displayNamePrefix);

  Optional<AppRegistration> getApplication(String id);

  Optional<AppRegistration> getDeletedApplication(String id);

  /** Soft-deletes the app; its service principal goes to deleted items with it. */
  void deleteApplication(String id);

  /** Restores the app only; its service principal stays in deleted items. */
  void restoreApplication(String id);

  /** The live service principal of an app id. */
  Optional<ServicePrincipal> servicePrincipal(String appId);

  /** A live service principal by its object id. */
  Optional<ServicePrincipal> servicePrincipalById(String id);

  /** The soft-deleted service principal of an app id. */
  Optional<ServicePrincipal> deletedServicePrincipal(String appId);

  /** Restores a soft-deleted service principal: the same object, its app roles with it. */
  void restoreServicePrincipal(String id);

  /** A new service principal for a live app: no app roles. */
  ServicePrincipal createServicePrincipalObject(String appId);

  /** The object ids of an app's owners. */
  List<String> owners(String appObjectId);

  /** A user by user principal name or object id. */
  Optional<User> user(String upnOrId);

  /** The object ids of users and groups eligible (PIM) for the role with this template id. */
  List<String> eligiblePrincipals(String roleTemplateId);

  /** Those of {@code ids} that are groups the user is a member of. */
  List<String> memberOf(String userId, List<String> ids);

  /** The application permissions granted to an app, and its service principal's object id. */
  Client client(String clientId);

  record ServicePrincipal(String id, String appId, List<String> appRoles) {
    public ServicePrincipal {
      appRoles = appRoles == null ? List.of() : List.copyOf(appRoles);
    }
  }

  /**
   * @param activeRoleTemplateIds the role template ids it holds actively, directly or through a
   *     role-assignable group
   */
  record User(String id, String userPrincipalName, List<String> activeRoleTemplateIds) {
    public User {
      activeRoleTemplateIds = List.copyOf(activeRoleTemplateIds);
    }
  }

  record Client(List<String> permissions, String servicePrincipalId) {
    public Client {
      permissions = List.copyOf(permissions);
    }

    public boolean holds(String... any) {
      for (String p : any) {
        if (permissions.stream().anyMatch(p::equalsIgnoreCase)) return true;
      }
      return false;
    }
  }
}
