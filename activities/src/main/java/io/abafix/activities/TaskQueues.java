package io.abafix.activities;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Task-queue names, in one place so that workers and workflows cannot disagree.
 *
 * <p>The directory's and the servers' queues carry the tenant's key after an {@code @}: {@code
 * abafix-directory@contoso.onmicrosoft.com}, {@code abafix-server-servera@contoso.onmicrosoft.com}.
 * Two tenants whose servers have the same names then never share a queue, and a directory worker
 * signed in to one tenant never sees another's steps. The tenant-blind names ({@link #DIRECTORY},
 * {@link #forServer(String)}) remain for the runs that started before tenants had queues of their
 * own (see {@code Route} in the workflows).
 */
public final class TaskQueues {
  /** Hosts the workflows: one orchestrator serves every tenant. */
  public static final String ORCHESTRATOR = "abafix-orchestrator";

  /** The tenant-blind directory queue of runs started before tenant routing. */
  public static final String DIRECTORY = "abafix-directory";

  private static final String SERVER_PREFIX = "abafix-server-";
  private static final String TENANT_SEPARATOR = "@";

  /** A tenant key: a lower-case tenant id (GUID) or domain. Never holds the separator. */
  private static final Pattern KEY = Pattern.compile("[a-z0-9](?:[a-z0-9._-]{0,253}[a-z0-9])?");

  private TaskQueues() {}

  /**
   * The stable key a tenant's queues carry: the tenant as the request names it (its tenant id or
   * its initial domain), lower-cased.
   *
   * @throws IllegalArgumentException for a tenant that is blank or holds anything but letters,
   *     digits, dots, dashes and underscores
   */
  public static String tenantKey(String tenant) {
    String key = tenant == null ? "" : tenant.trim().toLowerCase(Locale.ROOT);
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "tenant '"
              + tenant
              + "' is not a tenant id or domain (letters, digits, '.', '-' and '_' only)");
    }
    return key;
  }

  /**
   * The queue of one tenant's Graph steps, e.g. {@code abafix-directory@contoso.onmicrosoft.com}.
   */
  public static String directory(String tenant) {
    return DIRECTORY + TENANT_SEPARATOR + tenantKey(tenant);
  }

  /**
   * The queue polled by the worker on one Entra Connect server of one tenant, e.g. {@code
   * abafix-server-servera@contoso.onmicrosoft.com}.
   */
  public static String forServer(String tenant, String serverName) {
    return forServer(serverName) + TENANT_SEPARATOR + tenantKey(tenant);
  }

  /**
   * The tenant-blind queue of one server, e.g. {@code abafix-server-servera}: only runs started
   * before tenant routing send steps there.
   */
  public static String forServer(String serverName) {
    return SERVER_PREFIX + serverName.toLowerCase(Locale.ROOT);
  }

  /** The tenant key a queue carries, or null for a tenant-blind queue. */
  public static String tenantOf(String taskQueue) {
    if (taskQueue == null) return null;
    int at = taskQueue.lastIndexOf(TENANT_SEPARATOR);
    return at < 0 ? null : taskQueue.substring(at + 1);
  }

  /** The server a server queue is for (upper case), "directory" for a directory queue, or null. */
  public static String targetOf(String taskQueue) {
    if (taskQueue == null) return null;
    int at = taskQueue.lastIndexOf(TENANT_SEPARATOR);
    String bare = at < 0 ? taskQueue : taskQueue.substring(0, at);
    if (bare.equals(DIRECTORY)) return "directory";
    if (bare.startsWith(SERVER_PREFIX)) {
      return bare.substring(SERVER_PREFIX.length()).toUpperCase(Locale.ROOT);
    }
    return null;
  }
}
