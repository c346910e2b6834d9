package io.abafix.cli.bench;

import io.abafix.cli.EmbeddedTemporal;
import io.abafix.cli.MultiTenantDemo;
import io.abafix.lab.Lab;
import io.abafix.lab.LabKeys;
import io.abafix.worker.TemporalConnection;
import io.abafix.workflows.codec.PayloadEncryption;
import io.abafix.workflows.model.Outcome;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * N tenants of their own, each seed-pair's SERVERA and SERVERB, through the multi-tenant demo's
 * path ({@link MultiTenantDemo#runLabs}): one embedded Temporal server, one orchestrator, one
 * directory deployment with a worker per tenant (its own sign-in and Graph budget), each tenant's
 * servers on that tenant's queues, and each tenant's approvals signed by its own lab approver. All
 * N remediations start at once.
 */
final class MultiTenantFleet implements TenantFleet {
  /**
   * The labs' keys, made once for every round: what is timed is the runs, and each tenant's own
   * keys would be a minute of CPU at 500 tenants before anything starts.
   */
  private static final java.util.function.Supplier<LabKeys> KEYS = LabKeys.sharedAmong(8);

  @Override
  public String describe() {
    return "N tenants of their own (tenant-0001 ..., each with seed-pair's SERVERA and SERVERB),"
        + " the multi-tenant demo's deployment: one embedded Temporal server, one orchestrator, one"
        + " directory deployment with a worker per tenant, each tenant's servers on its own queues"
        + " (one poller each), each run's plan approved in one signed decision by its tenant's"
        + " lab approver; N remediations started at once. The labs' keys (each lab's Entra ID"
        + " signing key and directory worker certificate, RSA-2048) come from 8 sets made once"
        + " and shared in turn: a 500-tenant round's own 1,000 keys would take over two minutes"
        + " of CPU to make (135 ms each here), and each token still names its own tenant. The wall time runs from the first run's start"
        + " to the last one's end; making the labs, starting and closing the deployment and"
        + " reading the histories come before and after it";
  }

  @Override
  public Run run(int tenants) {
    long began = System.nanoTime();
    List<Lab> labs = new ArrayList<>();
    for (int i = 1; i <= tenants; i++) {
      labs.add(Lab.fromScenario(Fleets.tenantPair(i), System::currentTimeMillis, KEYS.get()));
    }
    long labsMade = System.nanoTime();
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0)) {
      long cpuStart = cpuNanos();
      MultiTenantDemo.Result result =
          MultiTenantDemo.runLabs(
              labs,
              MultiTenantDemo.Options.quiet()
                  .withAddress(temporal.address())
                  // One look a run every so often: N runs' looks share the orchestrator.
                  .withApprovalPoll(Duration.ofMillis(Math.max(200, tenants * 2L))));
      long cpu = (cpuNanos() - cpuStart) / 1_000_000;
      for (MultiTenantDemo.TenantSummary t : result.tenants()) {
        if (t.outcome() != Outcome.SUCCEEDED) {
          throw new IllegalStateException(
              "tenant " + t.tenant() + " ended " + t.outcome() + ": " + t.message());
        }
      }
      WorkflowClient client =
          TemporalConnection.at(temporal.address(), PayloadEncryption.ephemeral());
      try {
        List<RunHistory> histories =
            result.tenants().parallelStream()
                .map(t -> RunHistory.fetch(client, t.runId()))
                .toList();
        List<Integer> events = new ArrayList<>();
        List<Long> runMillis = new ArrayList<>();
        int activities = 0;
        for (RunHistory h : histories) {
          events.add(h.events());
          activities += h.activities().size();
          runMillis.add(h.closedAt() - h.startedAt());
        }
        long wall = result.wallTime().toMillis();
        long labsMillis = (labsMade - began) / 1_000_000;
        long rest = (System.nanoTime() - labsMade) / 1_000_000 - wall;
        return new Run(
            tenants,
            wall,
            cpu,
            activities,
            Stats.of(events),
            Stats.of(runMillis),
            labsMillis,
            Math.max(0, rest));
      } finally {
        client.getWorkflowServiceStubs().shutdownNow();
      }
    }
  }

  /** CPU time this process has spent so far: the server, the deployment and the labs. */
  private static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
