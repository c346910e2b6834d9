package io.abafix.cli.bench;

import io.abafix.cli.EmbeddedTemporal;
import io.abafix.lab.Lab;
import io.abafix.workflows.model.RemediationResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * N tenants as N server pairs of one lab, each pair on an app of its own with distinct server
 * names, on one embedded Temporal server and one deployment (orchestrator, directory worker, a
 * worker per server, all in this process), each pair remediated by a run of its own, all started at
 * once. Every run's preflight lists all N pairs' apps, as one Graph tenant holding them would
 * answer.
 */
final class PairedLabFleet implements TenantFleet {
  @Override
  public String describe() {
    return "N server pairs with distinct names in one lab tenant (its Graph listing in one page), one"
        + " embedded Temporal server, one"
        + " deployment in this process (orchestrator, directory worker, one worker per server polling"
        + " with one poller), N remediations started at once";
  }

  @Override
  public Run run(int tenants) {
    Lab lab =
        Lab.fromScenario(Fleets.pairs(tenants, false, 0, Map.of()), System::currentTimeMillis);
    try (EmbeddedTemporal temporal = EmbeddedTemporal.start(0);
        LabDeployment deployment =
            new LabDeployment(lab, temporal.address(), true, 3 * tenants + 10)) {
      Map<String, CompletableFuture<RemediationResult>> runs = new LinkedHashMap<>();
      Map<String, Long> finished = new java.util.concurrent.ConcurrentHashMap<>();
      long start = System.nanoTime();
      long cpuStart = cpuNanos();
      for (int i = 1; i <= tenants; i++) {
        String id = "bench-fleet-" + tenants + "-" + i;
        CompletableFuture<RemediationResult> result =
            deployment.start(
                id, Fleets.request(lab.tenantDomain(), Fleets.pair(i), Fleets.quick()));
        result.thenRun(() -> finished.put(id, System.nanoTime()));
        runs.put(id, result);
      }
      for (var e : runs.entrySet()) LabDeployment.succeeded(e.getValue().join(), e.getKey());
      long wall = (System.nanoTime() - start) / 1_000_000;
      long cpu = (cpuNanos() - cpuStart) / 1_000_000;
      List<Integer> events = new ArrayList<>();
      List<Long> runMillis = new ArrayList<>();
      int activities = 0;
      for (String id : runs.keySet()) {
        RunHistory h = RunHistory.fetch(deployment.client(), id);
        events.add(h.events());
        activities += h.activities().size();
        runMillis.add(h.closedAt() - h.startedAt());
      }
      return new Run(tenants, wall, cpu, activities, Stats.of(events), Stats.of(runMillis));
    }
  }

  static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
