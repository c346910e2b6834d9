package io.abafix.activities.approval;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;

/** The run a step belongs to, as the worker itself sees it. */
public record RunRef(String namespace, String workflowId, String runId) {

  /** The run of the activity executing on this thread, from Temporal's activity info. */
  public static RunRef ofCurrentActivity() {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    return new RunRef(info.getNamespace(), info.getWorkflowId(), info.getRunId());
  }
}
