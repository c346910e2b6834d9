package io.abafix.activities;

import java.util.Locale;

/** Task-queue names, in one place so that workers and workflows cannot disagree. */
public final class TaskQueues {
  /** Hosts the workflows. */
  public static final String ORCHESTRATOR = "abafix-orchestrator";

  /** Microsoft Graph work: listing, deleting and restoring app registrations. */
  public static final String DIRECTORY = "abafix-directory";

  private static final String SERVER_PREFIX = "abafix-server-";

  private TaskQueues() {}

  /**
   * The queue polled by the worker on one Entra Connect server, e.g. {@code abafix-server-servera}.
   */
  public static String forServer(String serverName) {
    return SERVER_PREFIX + serverName.toLowerCase(Locale.ROOT);
  }
}
