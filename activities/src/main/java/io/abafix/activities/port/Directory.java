package io.abafix.activities.port;

import io.abafix.activities.model.AppRegistration;
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

  /** Soft-deletes an app registration ({@code DELETE /applications/{id}}). */
  void deleteApplication(String id);

  /** Restores a soft-deleted app ({@code POST /directory/deletedItems/{id}/restore}). */
  void restoreApplication(String id);

  /** Whether a service principal exists for the app id. */
  boolean servicePrincipalExists(String appId);

  /** Creates the service principal for an app id (restoring an app does not restore it). */
  void createServicePrincipal(String appId);

  /** Whether the user holds the Global Administrator directory role. */
  boolean isGlobalAdministrator(String userPrincipalName);
}
