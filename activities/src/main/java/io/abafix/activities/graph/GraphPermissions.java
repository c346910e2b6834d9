package io.abafix.activities.graph;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * The one statement of what the directory worker's app may need in Microsoft Graph: each call, the
 * least privileged application permission that allows it, and Microsoft's page that says so. The
 * permission table in docs/security.md, the worker's help, the 403 hint and preflight's fixes all
 * come from here.
 */
public final class GraphPermissions {
  public static final String APPLICATION_READ_WRITE_ALL = "Application.ReadWrite.All";
  public static final String APPLICATION_READ_WRITE_OWNED_BY = "Application.ReadWrite.OwnedBy";
  public static final String USER_READ_ALL = "User.Read.All";
  public static final String ROLE_MANAGEMENT_READ = "RoleManagement.Read.Directory";
  public static final String GROUP_MEMBER_READ_ALL = "GroupMember.Read.All";

  /** One Graph call abafix makes and what it needs. */
  public record Row(String call, String purpose, String leastPrivilege, String source) {}

  public static final List<Row> TABLE =
      List.of(
          new Row(
              "GET /applications?$filter=startswith(displayName,'ConnectSyncProvisioning_')",
              "list the sync apps",
              APPLICATION_READ_WRITE_OWNED_BY + " (lists every app) or Application.Read.All",
              "https://learn.microsoft.com/graph/api/application-list"),
          new Row(
              "DELETE /applications/{id}",
              "soft-delete a shared app",
              APPLICATION_READ_WRITE_OWNED_BY
                  + " with the worker's service principal an owner of the app, else "
                  + APPLICATION_READ_WRITE_ALL,
              "https://learn.microsoft.com/graph/api/application-delete"),
          new Row(
              "POST /directory/deletedItems/{id}/restore",
              "restore an app, then its service principal (compensation)",
              APPLICATION_READ_WRITE_OWNED_BY + " (owned app) or " + APPLICATION_READ_WRITE_ALL,
              "https://learn.microsoft.com/graph/api/directory-deleteditems-restore"),
          new Row(
              "GET /directory/deletedItems/microsoft.graph.servicePrincipal?$filter=appId eq '...'",
              "find the deleted app's service principal",
              APPLICATION_READ_WRITE_OWNED_BY + " or Application.Read.All",
              "https://learn.microsoft.com/graph/api/directory-deleteditems-list"),
          new Row(
              "GET /servicePrincipals?$filter=appId eq '...', POST /servicePrincipals",
              "find a service principal; create one only when none can be restored",
              APPLICATION_READ_WRITE_OWNED_BY + " (owned app) or " + APPLICATION_READ_WRITE_ALL,
              "https://learn.microsoft.com/graph/api/serviceprincipal-post-serviceprincipals"),
          new Row(
              "GET /applications/{id}/owners",
              "prove, in preflight, that the worker owns each app it will delete",
              APPLICATION_READ_WRITE_OWNED_BY + " or Application.Read.All",
              "https://learn.microsoft.com/graph/api/application-list-owners"),
          new Row(
              "GET /users/{upn}",
              "the Global Administrator check: the connector account",
              USER_READ_ALL,
              "https://learn.microsoft.com/graph/api/user-get"),
          new Row(
              "GET /users/{id}/transitiveMemberOf/microsoft.graph.directoryRole",
              "the Global Administrator check: active roles, direct or through groups",
              ROLE_MANAGEMENT_READ + " (without it, roles come back with limited information)",
              "https://learn.microsoft.com/graph/api/user-list-transitivememberof"),
          new Row(
              "GET /roleManagement/directory/roleEligibilityScheduleInstances",
              "the Global Administrator check: eligible (PIM) assignments",
              ROLE_MANAGEMENT_READ,
              "https://learn.microsoft.com/graph/api/rbacapplication-list-roleeligibilityscheduleinstances"),
          new Row(
              "POST /users/{id}/checkMemberObjects",
              "the Global Administrator check: eligibility through a group",
              GROUP_MEMBER_READ_ALL,
              "https://learn.microsoft.com/graph/api/directoryobject-checkmemberobjects"));

  private GraphPermissions() {}

  /** Every permission abafix needs, in one line (a constant, for help texts). */
  public static final String SUMMARY =
      APPLICATION_READ_WRITE_ALL
          + " (or "
          + APPLICATION_READ_WRITE_OWNED_BY
          + " with the worker's service principal added as an owner of each"
          + " ConnectSyncProvisioning_* app before each run), "
          + USER_READ_ALL
          + ", "
          + ROLE_MANAGEMENT_READ
          + " and "
          + GROUP_MEMBER_READ_ALL
          + ", as Microsoft Graph application permissions with admin consent";

  /** {@link #SUMMARY}. */
  public static String summary() {
    return SUMMARY;
  }

  /** Where an administrator grants permissions and adds owners, per cloud. */
  public enum Cloud {
    GLOBAL("https://entra.microsoft.com"),
    US_GOV("https://entra.microsoft.us"),
    CHINA("https://entra.microsoftonline.cn");

    private final String portal;

    Cloud(String portal) {
      this.portal = portal;
    }

    public String portal() {
      return portal;
    }

    /** The cloud of a Graph root; a root of none (the lab's loopback) reads as global. */
    static Cloud of(URI graphBaseUrl) {
      String host =
          graphBaseUrl == null || graphBaseUrl.getHost() == null
              ? ""
              : graphBaseUrl.getHost().toLowerCase(Locale.ROOT);
      if (host.endsWith(".microsoft.us")) return US_GOV;
      if (host.endsWith(".chinacloudapi.cn")) return CHINA;
      return GLOBAL;
    }
  }

  /**
   * What an administrator does so that the worker may delete and restore one app: an owner added
   * through Graph (the admin center's Owners page adds people only), or the broader permission.
   */
  public static String ownerFix(
      String graphBaseUrl, String portal, String appObjectId, String workerSpId, String clientId) {
    String sp = workerSpId == null ? "<object id of the worker's service principal>" : workerSpId;
    return "add the directory worker's service principal "
        + sp
        + " as an owner of the app: POST "
        + graphBaseUrl
        + "/applications/"
        + appObjectId
        + "/owners/$ref with body {\"@odata.id\": \""
        + graphBaseUrl
        + "/directoryObjects/"
        + sp
        + "\"} (as an Application Administrator, e.g. in Graph Explorer); or grant app "
        + clientId
        + " the application permission "
        + APPLICATION_READ_WRITE_ALL
        + " with admin consent ("
        + portal
        + " > App registrations > the worker's app > API permissions)";
  }

  /** What an administrator does to grant one application permission. */
  public static String grantFix(String portal, String clientId, String permission) {
    return "grant app "
        + clientId
        + " the Microsoft Graph application permission "
        + permission
        + " and grant admin consent ("
        + portal
        + " > App registrations > the worker's app > API permissions > Add a permission >"
        + " Microsoft Graph > Application permissions)";
  }
}
