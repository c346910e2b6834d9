package io.abafix.workflows.visibility;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import java.util.Locale;

/**
 * Gives every activity a workflow schedules a one-line summary for the Web UI's timeline, e.g.
 * "Revert to service account on SERVERB", so a run reads as its procedure without opening each
 * event. Server steps take the server from their first argument; the summary goes through the
 * payload codec like every other payload.
 *
 * <p>Register on every worker that hosts workflows ({@code
 * WorkerFactoryOptions.setWorkerInterceptors}). A summary is metadata: it does not take part in
 * replay, so adding or changing it is safe for runs in flight.
 */
public final class ActivitySummaries extends WorkerInterceptorBase {

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outbound) {
        super.init(new Outbound(outbound));
      }
    };
  }

  /** The summary of one call: the activity's name in words, and the server it concerns. */
  static String summary(String activityName, String taskQueue, Object[] args) {
    StringBuilder words = new StringBuilder();
    for (char c : activityName.toCharArray()) {
      if (Character.isUpperCase(c) && words.length() > 0) words.append(' ');
      words.append(words.length() == 0 ? Character.toUpperCase(c) : Character.toLowerCase(c));
    }
    String text = words.toString().replace("ad sync tools", "ADSyncTools");
    if (taskQueue != null
        && taskQueue.toLowerCase(Locale.ROOT).startsWith("abafix-server-")
        && args.length > 0
        && args[0] instanceof String server) {
      return text + " on " + server;
    }
    return text;
  }

  private static final class Outbound extends WorkflowOutboundCallsInterceptorBase {
    Outbound(WorkflowOutboundCallsInterceptor next) {
      super(next);
    }

    @Override
    public <R> ActivityOutput<R> executeActivity(ActivityInput<R> input) {
      ActivityOptions options = input.getOptions();
      if (options.getSummary() != null) return super.executeActivity(input);
      String summary = summary(input.getActivityName(), options.getTaskQueue(), input.getArgs());
      return super.executeActivity(
          new ActivityInput<>(
              input.getActivityName(),
              input.getResultClass(),
              input.getResultType(),
              input.getArgs(),
              ActivityOptions.newBuilder(options).setSummary(summary).build(),
              input.getHeader()));
    }
  }
}
