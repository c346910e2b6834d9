package io.abafix.workflows;

import static io.abafix.workflows.SharedAppRemediationWorkflowTest.assertDistinctMachineIds;
import static io.abafix.workflows.SharedAppRemediationWorkflowTest.assertEachServerOnItsOwnApp;
import static io.abafix.workflows.SharedAppRemediationWorkflowTest.assertLeftSafe;
import static io.abafix.workflows.SharedAppRemediationWorkflowTest.assertRemediationFailed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.abafix.activities.port.Directory;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.fault.Fault;
import io.abafix.lab.fault.FaultInjector;
import io.abafix.lab.graph.FakeMicrosoftEntra;
import io.abafix.lab.graph.RecordedRequest;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.plan.PlannedStep;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fault matrix: transient failures everywhere at once, and a permanent failure at every
 * operation a run performs, one at a time. Each case runs the whole remediation against the lab
 * through the production adapters and checks what the fleet looks like afterwards.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(120)
class SharedAppRemediationWorkflowFaultTest {

  /** Operations that only read: the run performs each first during preflight. */
  private static final Set<String> READS =
      Set.of(
          "inspect",
          "testConnectorAuthentication",
          "readEvents",
          "listApplications",
          "isGlobalAdministrator",
          FakeMicrosoftEntra.GET_USER,
          FakeMicrosoftEntra.ROLE_ELIGIBILITY,
          FakeMicrosoftEntra.CHECK_MEMBER_OBJECTS,
          FakeMicrosoftEntra.SERVICE_PRINCIPAL_EXISTS,
          FakeMicrosoftEntra.LIST_OWNERS,
          FakeMicrosoftEntra.TOKEN);

  /**
   * Every operation a fault can hit on a server, and on the directory: the ports' methods, sorted
   * so that a seed draws the same counts for the same operations on every run.
   */
  private static final List<String> SERVER_OPERATIONS = operations(SyncServerHost.class);

  private static final List<String> DIRECTORY_OPERATIONS = operations(Directory.class);

  // ---- transient failures -------------------------------------------------------------------

  /** Fixed seeds, so that a failure reproduces; the scenario varies with them. */
  static Stream<Arguments> seeds() {
    return Stream.of(
        arguments("seed-pair", 11L),
        arguments("cloned-pair", 23L),
        arguments("three-server-fleet", 37L),
        arguments("seed-pair", 41L),
        arguments("cloned-pair", 53L));
  }

  /**
   * Each operation fails one to three times before it works (retries are bounded at eight server
   * and ten directory attempts, and one activity makes at most two faulty calls).
   */
  @ParameterizedTest(name = "{0} with seed {1}")
  @MethodSource("seeds")
  void transient_failures_in_every_operation_still_end_with_each_server_on_its_own_app(
      String scenario, long seed) {
    Random random = new Random(seed);
    Scenario base = LabHarness.scenario(scenario);
    List<Fault> faults = new ArrayList<>();
    for (Scenario.Server server : base.servers()) {
      for (String operation : SERVER_OPERATIONS) {
        faults.add(transientFault(operation, server.name(), random));
      }
    }
    for (String operation : DIRECTORY_OPERATIONS) {
      faults.add(transientFault(operation, null, random));
    }
    try (LabHarness h = LabHarness.of(base.withFaults(faults))) {
      RemediationResult result = h.runApprovingEverything(h.request()).succeeded();

      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      LabSnapshot after = h.lab.snapshot();
      assertEachServerOnItsOwnApp(after);
      assertDistinctMachineIds(after);
      after.servers().forEach(s -> assertTrue(s.syncCycleEnabled(), s.name() + " syncs again"));
      List<FaultInjector.Step> reached = h.lab.faults().reached();
      for (Fault left : h.lab.faults().pending()) {
        assertFalse(
            reached.contains(new FaultInjector.Step(left.step(), left.server())),
            "every fault on an operation the run used fired until used up; left: " + left);
      }
      int expected =
          faults.stream()
              .filter(f -> reached.contains(new FaultInjector.Step(f.step(), f.server())))
              .mapToInt(Fault::times)
              .sum();
      assertEquals(expected, h.lab.faults().fired().size(), "every injected failure happened");
    }
  }

  private static Fault transientFault(String operation, String server, Random random) {
    return new Fault(operation, server, Fault.Kind.TRANSIENT, 1 + random.nextInt(3), null, null);
  }

  // ---- permanent failures -------------------------------------------------------------------

  private static final Map<String, FaultInjector> CLEAN_RUNS = new ConcurrentHashMap<>();

  /**
   * One case per operation a clean run performs, on each server it performs it on, derived from
   * that run rather than listed by hand, so a new step joins the matrix by itself. An operation
   * that changes a server fails at each of its calls in turn (the pause and, later, the resume are
   * both {@code setSyncCycleEnabled}); a read fails at its first call, which is in preflight.
   */
  static Stream<Arguments> everyOperation() {
    List<Arguments> cases = new ArrayList<>();
    for (String scenario : List.of("seed-pair", "cloned-pair")) {
      FaultInjector clean = CLEAN_RUNS.computeIfAbsent(scenario, s -> cleanRun(s));
      for (FaultInjector.Step step : clean.reached()) {
        boolean changesAServer = step.server() != null && !READS.contains(step.name());
        int calls = changesAServer ? clean.timesReached(step) : 1;
        for (int call = 1; call <= calls; call++) {
          String target = step.server() == null ? PlannedStep.DIRECTORY : step.server();
          cases.add(arguments(scenario, step.name(), target, call));
        }
      }
    }
    return cases.stream();
  }

  private static FaultInjector cleanRun(String scenario) {
    try (LabHarness h = LabHarness.of(scenario)) {
      RemediationResult result = h.runApprovingEverything(h.request()).succeeded();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      return h.lab.faults();
    }
  }

  @ParameterizedTest(name = "{0}: {1} on {2}, call {3}")
  @MethodSource("everyOperation")
  void a_permanent_failure_at_any_operation_ends_with_the_compensation_goal_met(
      String scenario, String operation, String target, int call) {
    String server = PlannedStep.DIRECTORY.equals(target) ? null : target;
    try (LabHarness h = LabHarness.of(scenario)) {
      h.lab
          .faults()
          .addAfter(call - 1, new Fault(operation, server, Fault.Kind.PERMANENT, 1, null, null));
      LabSnapshot before = h.lab.snapshot();

      LabHarness.Finished run = h.runApprovingEverything(h.request());

      assertEquals(1, h.lab.faults().fired().size(), "the fault fired: " + h.lab.faults().fired());
      if (operation.equals("credentialUserName")) {
        // The revert's credential, proven before any change: a server that cannot open it is a
        // missing prerequisite, named, with nothing paused.
        RemediationResult blocked = run.succeeded();
        assertEquals(Outcome.BLOCKED, blocked.outcome(), blocked.message());
        assertTrue(blocked.message().contains("credential"), blocked.message());
        assertEquals(before, h.lab.snapshot());
        assertEquals(Map.of(), h.lab.effectCounts());
        return;
      }
      if (READS.contains(operation)) {
        assertRemediationFailed(run.failed(), "preflight failed, nothing was changed");
        assertEquals(before, h.lab.snapshot());
        assertEquals(Map.of(), h.lab.effectCounts());
        return;
      }
      assertRemediationFailed(run.failed(), "compensation ran");
      assertTrue(
          run.audit().stream().anyMatch(e -> e.outcome().equals("FAILED")),
          "the journal names the failed step: " + steps(run.audit()));
      assertLeftSafe(before, h.lab.snapshot());
    }
  }

  private static List<String> steps(List<AuditEntry> audit) {
    return audit.stream().map(e -> e.step() + "@" + e.target() + "=" + e.outcome()).toList();
  }

  // ---- Microsoft Graph unavailable ------------------------------------------------------------

  /** Real time, so that the Retry-After wait is a real one the fake endpoint can see. */
  @Test
  void graph_unavailable_is_waited_out_for_as_long_as_retry_after_asks() {
    Scenario scenario =
        LabHarness.scenario("seed-pair")
            .withTiming(new Scenario.Timing(0L, null, null))
            .withFaults(
                List.of(
                    new Fault(
                        FakeMicrosoftEntra.DELETE_APPLICATION, null, Fault.Kind.HTTP, 1, 503, 2)));
    try (LabHarness h = LabHarness.builder(scenario).inRealTime().start()) {
      RemediationResult result =
          h.start(
                  h.request(
                      false, new ApprovalPolicy(true, false, 3600), new Timings(120, 1, 120, 30)))
              .drive(LabHarness.Operator.approvingAs(LabHarness.APPROVER))
              .succeeded();

      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      List<RecordedRequest> deletes =
          h.adapters.entra().requests(FakeMicrosoftEntra.DELETE_APPLICATION);
      assertEquals(503, deletes.get(0).status());
      assertTrue(deletes.get(1).status() < 300, "then deleted: " + deletes.get(1));
      Duration waited = Duration.between(deletes.get(0).arrivedAt(), deletes.get(1).arrivedAt());
      assertTrue(waited.compareTo(Duration.ofSeconds(2)) >= 0, "waited only " + waited);
      assertEachServerOnItsOwnApp(h.lab.snapshot());
    }
  }

  // ---- helpers ------------------------------------------------------------------------------

  private static List<String> operations(Class<?> port) {
    Set<String> names = new TreeSet<>();
    Arrays.stream(port.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .map(Method::getName)
        .filter(n -> !n.equals("serverName"))
        // A capture for a rehearsal is no step of a run: leaving it out keeps each seed's draws.
        .filter(n -> !n.equals("capture"))
        .forEach(names::add);
    return List.copyOf(names);
  }
}
