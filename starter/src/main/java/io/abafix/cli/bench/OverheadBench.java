package io.abafix.cli.bench;

import io.abafix.bench.NoOpActivitiesImpl;
import io.abafix.bench.NoOpWorkflow;
import io.abafix.bench.NoOpWorkflowImpl;
import io.abafix.lab.Lab;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Overhead: what abafix costs per step on top of Temporal. In one JVM, against one Temporal server,
 * runs alternate between abafix's two-server remediation (zero lab latency, production adapters)
 * and a bare workflow of K no-op activities on one task queue, K being the number of activities the
 * remediation scheduled. Each run's wall time (start to result) over K is its time per activity.
 */
final class OverheadBench {
  static final double TARGET = 1.3;

  /**
   * One server's figures. Besides the wall time per activity, each side's time inside its
   * activities (an activity's last attempt, start to close, over K) and history events per activity
   * say where the difference lies: in the steps' own code or between the steps. abafix's wall time
   * leaves out its approver's answer ({@code approverMs}: from the run's request to her signed
   * decision, a person's time); the workflow's handling of the decision, its check on the directory
   * worker included, is counted.
   */
  record Result(
      String server,
      int activities,
      Stats abafixMsPerActivity,
      Stats bareMsPerActivity,
      Stats abafixInActivityMs,
      Stats bareInActivityMs,
      double abafixEventsPerActivity,
      double bareEventsPerActivity,
      Stats approverMs) {
    @com.fasterxml.jackson.annotation.JsonProperty(
        access = com.fasterxml.jackson.annotation.JsonProperty.Access.READ_ONLY)
    public double ratio() {
      return abafixMsPerActivity.median() / bareMsPerActivity.median();
    }
  }

  private OverheadBench() {}

  /** {@code runs} measured runs of each, after one warm-up of each that is not counted. */
  static Result measure(String server, String address, int runs, Consumer<String> progress) {
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkflowClient bareClient = WorkflowClient.newInstance(stubs);
    WorkerFactory bareFactory = WorkerFactory.newInstance(bareClient);
    String queue = "bench-noop-" + UUID.randomUUID().toString().substring(0, 8);
    Worker worker = bareFactory.newWorker(queue);
    worker.registerWorkflowImplementationTypes(NoOpWorkflowImpl.class);
    worker.registerActivitiesImplementations(new NoOpActivitiesImpl());
    bareFactory.start();
    List<Double> abafix = new ArrayList<>();
    List<Double> bare = new ArrayList<>();
    List<Double> abafixIn = new ArrayList<>();
    List<Double> bareIn = new ArrayList<>();
    List<Double> approver = new ArrayList<>();
    double[] events = new double[2];
    int activities = 0;
    // One long-lived deployment, like the bare worker: each run remediates a pair of its own.
    Lab lab =
        Lab.fromScenario(Fleets.pairs(runs + 1, false, 0, Map.of()), System::currentTimeMillis);
    try (LabDeployment deployment = new LabDeployment(lab, address)) {
      for (int i = -1; i < runs; i++) {
        String id = "bench-overhead-" + UUID.randomUUID();
        long wall = abafixRun(deployment, id, lab.tenantDomain(), Fleets.pair(i + 2));
        long person = deployment.approval(id).personMillis();
        long millis = wall - person;
        RunHistory abafixHistory = RunHistory.fetch(deployment.client(), id);
        activities = abafixHistory.activities().size();
        String bareId = "bench-bare-" + UUID.randomUUID();
        double bareMs = bareRun(bareClient, bareId, queue, activities);
        RunHistory bareHistory = RunHistory.fetch(bareClient, bareId);
        if (i >= 0) {
          abafix.add((double) millis / activities);
          bare.add(bareMs / activities);
          abafixIn.add(inActivities(abafixHistory));
          bareIn.add(inActivities(bareHistory));
          approver.add((double) person);
          events[0] = (double) abafixHistory.events() / activities;
          events[1] = (double) bareHistory.events() / bareHistory.activities().size();
          progress.accept(
              String.format(
                  java.util.Locale.ROOT,
                  "overhead %s run %d: abafix %.1f ms/activity, bare %.1f ms/activity (K=%d)",
                  server,
                  i + 1,
                  (double) millis / activities,
                  bareMs / activities,
                  activities));
        }
      }
    } finally {
      bareFactory.shutdownNow();
      bareFactory.awaitTermination(10, TimeUnit.SECONDS);
      stubs.shutdownNow();
    }
    return new Result(
        server,
        activities,
        Stats.of(abafix),
        Stats.of(bare),
        Stats.of(abafixIn),
        Stats.of(bareIn),
        events[0],
        events[1],
        Stats.of(approver));
  }

  /** Wall millis of one remediation of one pair. */
  private static long abafixRun(
      LabDeployment deployment, String id, String tenant, List<String> pair) {
    long start = System.nanoTime();
    LabDeployment.succeeded(
        deployment.start(id, Fleets.request(tenant, pair, Fleets.quick())).join(),
        "the overhead benchmark's remediation");
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static double bareRun(WorkflowClient client, String id, String queue, int activities) {
    NoOpWorkflow run =
        client.newWorkflowStub(
            NoOpWorkflow.class,
            WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build());
    long start = System.nanoTime();
    int done = run.run(queue, activities);
    if (done != activities) throw new IllegalStateException("the bare workflow ran " + done);
    return (System.nanoTime() - start) / 1e6;
  }

  /** Mean milliseconds an activity's last attempt ran, start to close. */
  private static double inActivities(RunHistory h) {
    return h.activities().stream().mapToLong(a -> a.closedAt() - a.startedAt()).sum()
        / (double) h.activities().size();
  }
}
