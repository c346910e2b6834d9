package io.abafix.workflows.internal;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.tenant.StepTenant;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.context.ContextPropagator;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Map;

/**
 * Where one run sends its steps: to its tenant's directory and server queues ({@link TaskQueues}),
 * each step carrying the tenant in its header ({@link StepTenant#HEADER}) so that the worker can
 * refuse a step for another tenant.
 *
 * <p>Runs that started before steps were routed by tenant replay with the tenant-blind queues they
 * used: the choice is recorded once per run, by {@code getVersion("tenant-queues")} at the run's
 * start, so an open run never changes queues half way.
 *
 * @param tenantKey the tenant's key, always in the header
 * @param tenantQueues whether the queues carry the key (false only for runs from before)
 */
public record Route(String tenantKey, boolean tenantQueues) {
  /** The change id of tenant routing. */
  public static final String CHANGE = "tenant-queues";

  /** Decides, once at the start of a run, where its steps go. Call it from the workflow method. */
  public static Route of(String tenant) {
    String key;
    try {
      key = TaskQueues.tenantKey(tenant);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.PERMANENT);
    }
    int version = Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1);
    return new Route(key, version >= 1);
  }

  /** A route for tenant queues, outside a workflow (tests, the command line). */
  public static Route tenant(String tenant) {
    return new Route(TaskQueues.tenantKey(tenant), true);
  }

  public String serverQueue(String server) {
    return tenantQueues ? TaskQueues.forServer(tenantKey, server) : TaskQueues.forServer(server);
  }

  public String directoryQueue() {
    return tenantQueues ? TaskQueues.directory(tenantKey) : TaskQueues.DIRECTORY;
  }

  /** Puts the tenant in the header of every activity scheduled with these options. */
  List<ContextPropagator> propagators() {
    return List.of(new TenantHeader(tenantKey));
  }

  /** Writes the digest of a fixed tenant key into the step's header (see StepTenant). */
  private record TenantHeader(String tenantKey) implements ContextPropagator {
    @Override
    public String getName() {
      return StepTenant.HEADER;
    }

    @Override
    public Map<String, Payload> serializeContext(Object context) {
      return Map.of(StepTenant.HEADER, StepTenant.payload((String) context));
    }

    @Override
    public Object deserializeContext(Map<String, Payload> header) {
      return StepTenant.of(header).orElse(null);
    }

    @Override
    public Object getCurrentContext() {
      return tenantKey;
    }

    @Override
    public void setCurrentContext(Object context) {
      // Only written by the workflow; the worker reads the header itself.
    }
  }
}
