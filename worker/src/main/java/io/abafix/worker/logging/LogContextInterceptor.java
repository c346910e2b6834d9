package io.abafix.worker.logging;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Puts the run, tenant, server and step in the MDC for as long as an activity runs, so that every
 * line the adapters log says where it comes from, and logs each attempt's start and end. Workflow
 * code logs through {@code Workflow.getLogger}, whose lines already carry the workflow id.
 */
public final class LogContextInterceptor extends WorkerInterceptorBase {
  private static final Logger log = LoggerFactory.getLogger(LogContextInterceptor.class);

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private ActivityInfo info;

      @Override
      public void init(ActivityExecutionContext context) {
        info = context.getInfo();
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        put(LogContext.RUN, info.getWorkflowId());
        put(
            LogContext.TENANT,
            LogContext.tenant(info.getActivityTaskQueue(), info.getWorkflowId()));
        put(LogContext.SERVER, LogContext.server(info.getActivityTaskQueue()));
        put(LogContext.STEP, info.getActivityType());
        long started = System.nanoTime();
        try {
          log.info("attempt {} started", info.getAttempt());
          ActivityOutput output = super.execute(input);
          log.info("attempt {} done in {} ms", info.getAttempt(), millisSince(started));
          return output;
        } catch (RuntimeException e) {
          log.info(
              "attempt {} failed after {} ms: {}",
              info.getAttempt(),
              millisSince(started),
              e instanceof ApplicationFailure a ? a.getOriginalMessage() : e.toString());
          throw e;
        }
        // The keys stay set after the attempt: the SDK logs an attempt's failure after this
        // returns, on this thread, and that line must name the step too. The next activity this
        // thread runs sets all four again.
      }
    };
  }

  private static void put(String key, String value) {
    if (value == null) MDC.remove(key);
    else MDC.put(key, value);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }
}
