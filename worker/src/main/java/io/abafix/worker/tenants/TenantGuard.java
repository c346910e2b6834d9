package io.abafix.worker.tenants;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.tenant.StepTenant;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;

/**
 * Refuses, before any activity code runs, a step whose header names another tenant than the queue
 * it arrived on, or no tenant at all on a tenant's queue: a permanent {@link
 * FailureTypes#WRONG_TENANT}, with nothing read or changed. A step that passes runs with its tenant
 * in {@link StepTenant#current()}.
 *
 * <p>A tenant-blind queue (a run from before tenant routing) has no tenant to compare with: its
 * steps run as the tenant their header names, if any.
 */
public final class TenantGuard extends WorkerInterceptorBase {
  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private String queue;

      @Override
      public void init(ActivityExecutionContext context) {
        queue = context.getInfo().getActivityTaskQueue();
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        String step = StepTenant.of(input.getHeader().getValues()).orElse(null);
        String mine = TaskQueues.tenantOf(queue);
        if (mine != null && !StepTenant.digest(mine).equals(step)) {
          throw refusal(step, mine, queue);
        }
        return StepTenant.during(mine != null ? mine : step, () -> super.execute(input));
      }
    };
  }

  static ApplicationFailure refusal(String step, String mine, String queue) {
    return ApplicationFailure.newNonRetryableFailure(
        (step == null ? "a step that names no tenant" : "a step for another tenant")
            + " reached "
            + queue
            + ", a worker of tenant "
            + mine
            + ": refused, nothing was read or changed",
        FailureTypes.WRONG_TENANT);
  }
}
