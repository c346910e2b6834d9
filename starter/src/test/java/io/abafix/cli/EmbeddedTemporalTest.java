package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class EmbeddedTemporalTest {
  @WorkflowInterface
  public interface Steps {
    @WorkflowMethod
    int run(int steps);
  }

  @ActivityInterface
  public interface Step {
    int next(int i);
  }

  public static final class StepsImpl implements Steps {
    private final Step step =
        Workflow.newActivityStub(
            Step.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build());

    @Override
    public int run(int steps) {
      int done = 0;
      for (int i = 0; i < steps; i++) {
        done = step.next(done);
        Workflow.sleep(Duration.ofMillis(1));
      }
      return done;
    }
  }

  @Test
  void its_clock_finds_each_lock_event_by_identity_rather_than_by_a_scan() throws Exception {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      assertInstanceOf(TimerLockEvents.class, lockEventsOf(temporal));
    }
  }

  @Test
  void runs_with_timers_and_activities_stay_balanced_on_it() {
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      WorkflowServiceStubs stubs =
          WorkflowServiceStubs.newServiceStubs(
              WorkflowServiceStubsOptions.newBuilder().setTarget(temporal.address()).build());
      try {
        WorkflowClient client = WorkflowClient.newInstance(stubs);
        WorkerFactory factory = WorkerFactory.newInstance(client);
        Worker worker = factory.newWorker("embedded-test");
        worker.registerWorkflowImplementationTypes(StepsImpl.class);
        worker.registerActivitiesImplementations((Step) i -> i + 1);
        factory.start();
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
          Steps run =
              client.newWorkflowStub(
                  Steps.class, WorkflowOptions.newBuilder().setTaskQueue("embedded-test").build());
          runs.add(WorkflowClient.execute(run::run, 10));
        }
        for (CompletableFuture<Integer> run : runs) assertEquals(10, run.join());
        factory.shutdownNow();
      } finally {
        stubs.shutdownNow();
      }
    }
  }

  private static Object lockEventsOf(EmbeddedTemporal temporal) throws Exception {
    Object server = read(temporal, "server");
    Object starter = read(server, "testServicesStarter");
    Object clock = read(starter, "selfAdvancingTimer");
    return read(clock, "lockEvents");
  }

  private static Object read(Object from, String name) throws Exception {
    Field f = from.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return f.get(from);
  }
}
