package io.abafix.worker.logging;

import io.abafix.activities.TaskQueues;

/** The MDC keys abafix sets, and how they are derived from what Temporal says of an activity. */
public final class LogContext {
  /** The workflow id, e.g. {@code abafix-remediation-contoso.onmicrosoft.com}. */
  public static final String RUN = "run";

  /** The tenant the step is for, from its task queue (or, before tenant queues, the run id). */
  public static final String TENANT = "tenant";

  /** The server the step runs on, or {@code directory} for Graph steps. */
  public static final String SERVER = "server";

  /** The activity, e.g. {@code RevertToServiceAccount}. */
  public static final String STEP = "step";

  /** In the order a line shows them. */
  static final String[] KEYS = {RUN, TENANT, SERVER, STEP};

  private LogContext() {}

  /**
   * The tenant in a workflow id, or null. A repair's and a diagnosis's id put a suffix after the
   * tenant (a server name, a unique id); a tenant is a domain name whose last label has no hyphen,
   * so the suffix starts at the first hyphen after the last dot.
   */
  static String tenant(String workflowId) {
    return io.abafix.workflows.WorkflowIds.tenantOf(workflowId);
  }

  /** The server a task queue belongs to, upper case as abafix names servers; or the queue. */
  static String server(String taskQueue) {
    String target = TaskQueues.targetOf(taskQueue);
    return target != null ? target : taskQueue;
  }

  /** The tenant a step is for: its queue's, else the one in its run's id. */
  static String tenant(String taskQueue, String workflowId) {
    String key = TaskQueues.tenantOf(taskQueue);
    return key != null ? key : tenant(workflowId);
  }
}
