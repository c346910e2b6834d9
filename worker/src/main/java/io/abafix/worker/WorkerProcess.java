package io.abafix.worker;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The production {@link Launcher}: one worker process, polling until SIGTERM or SIGINT (or {@link
 * #stop()}).
 *
 * <p>Before polling it asks Temporal to describe the namespace, so that a wrong address, namespace
 * or credential fails the start with one clear line instead of pollers retrying silently. A worker
 * started before its cluster therefore exits (code 4), and whatever supervises it (the scheduled
 * task, systemd, Kubernetes) starts it again.
 *
 * <p>Stopping lets the activities in flight finish for up to {@link #GRACE}, then interrupts them;
 * an interrupted PowerShell script has its process tree killed, and Temporal retries the step once
 * a worker polls again.
 */
final class WorkerProcess implements Launcher {
  /** How long in-flight activities may run on after a stop request. */
  static final Duration GRACE = Duration.ofSeconds(30);

  private static final Duration STARTUP_CHECK = Duration.ofSeconds(10);
  private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

  private final Object lock = new Object();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean stopRequested;
  private WorkerFactory factory;
  private WorkflowServiceStubs service;
  private String taskQueue;
  private final Function<String, String> environment;

  WorkerProcess() {
    this(System::getenv);
  }

  /**
   * @param environment where the payload key settings are read (the process environment)
   */
  WorkerProcess(Function<String, String> environment) {
    this.environment = environment;
  }

  @Override
  public int run(String addressOverride, Function<WorkerFactory, Worker> role, PrintWriter out) {
    return run(addressOverride, null, role, out);
  }

  @Override
  public int run(
      ConnectionOptions temporal, Function<WorkerFactory, Worker> role, PrintWriter out) {
    if (temporal.metricsPort == null) return run(temporal.address, null, role, out);
    try (MetricsEndpoint metrics =
        MetricsEndpoint.start(temporal.metricsHost, temporal.metricsPort)) {
      out.println("metrics on http://" + temporal.metricsHost + ":" + metrics.port() + "/metrics");
      return run(temporal.address, metrics, role, out);
    }
  }

  private int run(
      String addressOverride,
      MetricsEndpoint metrics,
      Function<WorkerFactory, Worker> role,
      PrintWriter out) {
    WorkflowClient client =
        TemporalConnection.fromEnvironment(
            addressOverride, environment, metrics == null ? null : metrics.scope());
    WorkflowServiceStubs stubs = client.getWorkflowServiceStubs();
    String target = stubs.getOptions().getTarget();
    String namespace = client.getOptions().getNamespace();
    WorkerFactory created;
    Worker worker;
    try {
      checkNamespace(stubs, target, namespace);
      created = Workers.factory(client);
      worker = role.apply(created);
    } catch (RuntimeException e) {
      stubs.shutdownNow();
      throw e;
    }
    Thread hook = new Thread(this::stop, "abafix-worker-shutdown");
    synchronized (lock) {
      if (stopRequested) {
        stubs.shutdownNow();
        return 0;
      }
      factory = created;
      service = stubs;
      taskQueue = worker.getTaskQueue();
      Runtime.getRuntime().addShutdownHook(hook);
      created.start();
    }
    out.println("polling " + worker.getTaskQueue() + " on " + target + "/" + namespace);
    out.flush();

    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is what stopped us; the JVM is exiting.
      }
    }
    return 0;
  }

  /**
   * Stops polling, waits for in-flight activities (see {@link #GRACE}), and lets {@link #run}
   * return. Idempotent; safe from any thread, including a shutdown hook.
   */
  void stop() {
    WorkerFactory f;
    WorkflowServiceStubs s;
    synchronized (lock) {
      if (stopRequested) {
        f = null;
        s = null;
      } else {
        stopRequested = true;
        f = factory;
        s = service;
      }
    }
    if (f != null) {
      log.info(
          "Stopping: no new work from {}; waiting up to {} for work in flight", taskQueue, GRACE);
      f.shutdown();
      f.awaitTermination(GRACE.toSeconds(), TimeUnit.SECONDS);
      if (!f.isTerminated()) {
        log.warn("Work still running after {}: interrupting it; Temporal will retry it", GRACE);
        f.shutdownNow();
        f.awaitTermination(5, TimeUnit.SECONDS);
      }
      s.shutdown();
      s.awaitTermination(5, TimeUnit.SECONDS);
      log.info("Stopped polling {}", taskQueue);
    }
    stopped.countDown();
  }

  /**
   * Asks for the namespace. The answer proves the address, the TLS settings, the credentials and
   * the namespace in one round trip.
   */
  private static void checkNamespace(WorkflowServiceStubs stubs, String target, String namespace) {
    try {
      stubs
          .blockingStub()
          .withDeadlineAfter(STARTUP_CHECK.toMillis(), TimeUnit.MILLISECONDS)
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace(namespace).build());
    } catch (StatusRuntimeException e) {
      Status.Code code = e.getStatus().getCode();
      switch (code) {
        case UNAVAILABLE, DEADLINE_EXCEEDED -> throw new TemporalUnreachableException(target, e);
        case NOT_FOUND ->
            throw new UserError(
                "namespace "
                    + namespace
                    + " does not exist on "
                    + target
                    + ": create it, or set TEMPORAL_NAMESPACE");
        case UNAUTHENTICATED, PERMISSION_DENIED ->
            throw new UserError(
                "Temporal at "
                    + target
                    + " refused this worker ("
                    + code
                    + "): check TEMPORAL_API_KEY or the TEMPORAL_TLS_* client certificate");
        default -> throw e;
      }
    }
  }
}
