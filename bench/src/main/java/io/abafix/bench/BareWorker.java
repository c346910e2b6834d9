package io.abafix.bench;

import ch.qos.logback.classic.Level;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/**
 * A bare Temporal worker process, the baseline of the footprint benchmark: it connects, checks the
 * namespace (as abafix's worker does before it polls), polls one task queue with {@link
 * NoOpActivities}, prints {@code polling <queue> on <address>}, and runs until its stdin closes.
 *
 * <p>Usage: {@code java -jar abafix-bench.jar ADDRESS QUEUE}.
 */
public final class BareWorker {
  private BareWorker() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: BareWorker ADDRESS QUEUE");
      System.exit(2);
    }
    // Warnings only, as abafix's worker logs.
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(Level.WARN);
    String address = args[0];
    String queue = args[1];
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    stubs
        .blockingStub()
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
    WorkerFactory factory = WorkerFactory.newInstance(WorkflowClient.newInstance(stubs));
    Worker worker = factory.newWorker(queue);
    worker.registerActivitiesImplementations(new NoOpActivitiesImpl());
    factory.start();
    System.out.println("polling " + queue + " on " + address);
    System.out.flush();
    // Closing stdin is how the benchmark says stop; reading until then keeps the JVM alive.
    while (System.in.read() >= 0) {
      // Nothing to read: the benchmark writes nothing.
    }
    factory.shutdownNow();
    stubs.shutdownNow();
  }
}
