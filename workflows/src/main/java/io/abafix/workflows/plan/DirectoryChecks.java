package io.abafix.workflows.plan;

import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a remediation's preflight and a diagnosis ask of the directory before any change: the same
 * accounts, under the same workflow version.
 */
public final class DirectoryChecks {
  /** The change id of the runs that prove the directory's prerequisites before any change. */
  public static final String CHANGE_ID = "directory-prerequisites";

  /** The version of those runs. */
  public static final int PROVEN_PREREQUISITES = 1;

  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  private DirectoryChecks() {}

  /**
   * The accounts the Global Administrator check reads: each connector account that names a user
   * (not an application's {@code <appId>@tenant}), and, for a server on application identity, the
   * service account the revert will give it ({@code Sync_<server>_<id12>}), which may already exist
   * from before ABA.
   */
  public static List<String> accountsToCheck(List<ServerState> fleet) {
    Set<String> accounts = new LinkedHashSet<>();
    for (ServerState s : fleet) {
      String account = s.connectorAccount();
      String domain = null;
      if (account != null && !account.isBlank()) {
        int at = account.indexOf('@');
        domain = at < 0 ? null : account.substring(at + 1);
        String local = at < 0 ? account : account.substring(0, at);
        if (!GUID.matcher(local).matches()) accounts.add(account);
      }
      if (s.identityType() == IdentityType.Application && s.machineId() != null && domain != null) {
        accounts.add(s.expectedServiceAccountName() + "@" + domain);
      }
    }
    return List.copyOf(accounts);
  }
}
