package io.abafix.worker.logging;

import io.abafix.activities.TaskQueues;
import java.util.Locale;

/** The MDC keys abafix sets, and how they are derived from what Temporal says of an activity. */
public final class LogContext {
  /** The workflow id, e.g. {@code abafix-remediation-contoso.onmicrosoft.com}. */
  public static final String RUN = "run";

  /** The tenant the run is for, from the workflow id. */
  public static final String TENANT = "tenant";

  /** The server the step runs on, or {@code directory} for Graph steps. */
  public static final String SERVER = "server";

  /** The activity, e.g. {@code RevertToServiceAccount}. */
  public static final String STEP = "step";

  /** In the order a line shows them. */
  static final String[] KEYS = {RUN, TENANT, SERVER, STEP};

  private static final String[] RUN_PREFIXES = {
    "abafix-remediation-", "abafix-incident-", "abafix-repair-", "abafix-diagnose-"
  };
  private static final String SERVER_QUEUE = TaskQueues.forServer("");

  private LogContext() {}

  /**
   * The tenant in a workflow id, or null. A repair's and a diagnosis's id put a suffix after the
   * tenant (a server name, a unique id); a tenant is a domain name whose last label has no hyphen,
   * so the suffix starts at the first hyphen after the last dot.
   */
  static String tenant(String workflowId) {
    if (workflowId == null) return null;
    for (String prefix : RUN_PREFIXES) {
      if (!workflowId.startsWith(prefix)) continue;
      String rest = workflowId.substring(prefix.length());
      if (prefix.equals(RUN_PREFIXES[0]) || prefix.equals(RUN_PREFIXES[1])) return rest;
      int dot = rest.lastIndexOf('.');
      int dash = rest.indexOf('-', Math.max(dot, 0));
      return dash < 0 ? rest : rest.substring(0, dash);
    }
    return null;
  }

  /** The server a task queue belongs to, upper case as abafix names servers; or the queue. */
  static String server(String taskQueue) {
    if (taskQueue == null) return null;
    if (taskQueue.equals(TaskQueues.DIRECTORY)) return "directory";
    if (taskQueue.startsWith(SERVER_QUEUE)) {
      return taskQueue.substring(SERVER_QUEUE.length()).toUpperCase(Locale.ROOT);
    }
    return taskQueue;
  }
}
