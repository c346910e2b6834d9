package io.abafix.activities;

import io.abafix.activities.graph.GraphPermissions;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.CallerAccess;
import io.abafix.activities.model.DirectoryPrerequisites;
import io.abafix.activities.port.Directory;
import io.abafix.activities.port.HostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether the directory worker may delete and later restore each app, proven from what Graph shows
 * of its own sign-in: {@code Application.ReadWrite.All} in its token's roles, or {@code
 * Application.ReadWrite.OwnedBy} with its service principal among the app's owners. One rule for
 * preflight ({@link DirectoryActivities#checkApplicationAccess}) and the diagnosis.
 */
public final class DirectoryAccess {
  private DirectoryAccess() {}

  /**
   * What is missing, one entry per app, each with its fix; empty when all is proven.
   *
   * @throws HostException when Graph could not be asked (TRANSIENT) or refused to show the worker's
   *     own sign-in
   */
  public static List<DirectoryPrerequisites.Missing> missing(
      Directory directory, List<AppRegistration> toDelete) {
    if (toDelete == null || toDelete.isEmpty()) return List.of();
    CallerAccess me = directory.callerAccess();
    if (me.holds(CallerAccess.APPLICATION_READ_WRITE_ALL)) return List.of();
    List<DirectoryPrerequisites.Missing> missing = new ArrayList<>();
    for (AppRegistration app : toDelete) {
      String subject = "app " + app.displayName() + " (object id " + app.id() + ")";
      String fix =
          GraphPermissions.ownerFix(
              me.graphBaseUrl(), me.portal(), app.id(), me.servicePrincipalId(), me.clientId());
      if (me.roles() == null) {
        missing.add(
            new DirectoryPrerequisites.Missing(
                subject,
                "the directory worker cannot read which permissions its token holds, so it cannot"
                    + " prove that it may delete and restore this app",
                fix));
        continue;
      }
      if (!me.holds(CallerAccess.APPLICATION_READ_WRITE_OWNED_BY)) {
        missing.add(
            new DirectoryPrerequisites.Missing(
                subject,
                "the directory worker's app "
                    + me.clientId()
                    + " holds neither "
                    + CallerAccess.APPLICATION_READ_WRITE_ALL
                    + " nor "
                    + CallerAccess.APPLICATION_READ_WRITE_OWNED_BY
                    + " (its token's roles: "
                    + (me.roles().isEmpty() ? "none" : String.join(", ", me.roles()))
                    + "), so Graph would refuse to delete or restore it",
                GraphPermissions.grantFix(
                    me.portal(), me.clientId(), CallerAccess.APPLICATION_READ_WRITE_ALL)));
        continue;
      }
      List<String> owners;
      try {
        owners = directory.applicationOwners(app.id());
      } catch (HostException e) {
        // Refused to read them (403): not proven either way.
        if (e.category() != HostException.Category.PERMANENT) throw e;
        owners = null;
      }
      if (owners == null
          || me.servicePrincipalId() == null
          || owners.stream().noneMatch(me.servicePrincipalId()::equalsIgnoreCase)) {
        missing.add(
            new DirectoryPrerequisites.Missing(
                subject,
                "the directory worker holds "
                    + CallerAccess.APPLICATION_READ_WRITE_OWNED_BY
                    + " but is not an owner of this app (the Entra Connect wizard creates it with"
                    + " no owner abafix controls), so Graph would refuse the delete with 403"
                    + " after both servers were paused and reverted",
                fix));
      }
    }
    return missing;
  }
}
