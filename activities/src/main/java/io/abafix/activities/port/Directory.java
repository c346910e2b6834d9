package io.abafix.activities.port;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.CallerAccess;
import io.abafix.activities.model.RoleCheck;
import java.util.List;
import java.util.Optional;

/**
 * The Microsoft Entra directory as abafix uses it. One implementation calls Microsoft Graph; the
 * lab provides another. Every method may throw {@link HostException}.
 */
public interface Directory {

  /** App registrations whose display name starts with {@code prefix}, every page. */
  List<AppRegistration> listApplications(String displayNamePrefix);

  /** One live app by object id, or empty when it does not exist (or is deleted). */
  Optional<AppRegistration> getApplication(String id);

  /** One soft-deleted app by object id, or empty. */
  Optional<AppRegistration> getDeletedApplication(String id);

  /**
   * Soft-deletes an app registration ({@code DELETE /applications/{id}}); Graph moves its service
   * principal to deleted items with it.
   */
  void deleteApplication(String id);

  /**
   * Restores a soft-deleted app ({@code POST /directory/deletedItems/{id}/restore}). Its service
   * principal stays in deleted items: see {@link #restoreServicePrincipal}.
   */
  void restoreApplication(String id);

  /** The object id of the live service principal of an app id, or empty. */
  Optional<String> servicePrincipalId(String appId);

  /** Whether a live service principal exists for the app id. */
  default boolean servicePrincipalExists(String appId) {
    return servicePrincipalId(appId).isPresent();
  }

  /**
   * The object id of a soft-deleted service principal of an app id ({@code GET
   * /directory/deletedItems/microsoft.graph.servicePrincipal?$filter=appId eq '...'}), or empty.
   */
  Optional<String> deletedServicePrincipalId(String appId);

  /**
   * Restores a soft-deleted service principal, the same object with its app role assignments
   * ({@code POST /directory/deletedItems/{id}/restore}).
   */
  void restoreServicePrincipal(String id);

  /**
   * Creates a new service principal for an app id and returns its object id. A new object holds
   * none of the app role assignments an earlier one held; prefer {@link #restoreServicePrincipal}.
   */
  String createServicePrincipal(String appId);

  /** The object ids of an app registration's owners ({@code GET /applications/{id}/owners}). */
  List<String> applicationOwners(String appObjectId);

  /** What the caller's own sign-in may do: its application permissions and service principal. */
  CallerAccess callerAccess();

  /**
   * Whether the user holds the Global Administrator role: active or eligible, directly or through a
   * role-assignable group; {@link RoleCheck.Status#CANNOT_TELL} when Graph did not let it see.
   */
  RoleCheck globalAdministrator(String userPrincipalName);

  /**
   * Whether the user holds the Global Administrator role.
   *
   * @throws HostException PERMANENT when it cannot tell: "cannot tell" is never "no"
   */
  default boolean isGlobalAdministrator(String userPrincipalName) {
    RoleCheck check = globalAdministrator(userPrincipalName);
    if (check.status() == RoleCheck.Status.CANNOT_TELL) {
      throw new HostException(HostException.Category.PERMANENT, check.describe());
    }
    return check.holdsRole();
  }
}
