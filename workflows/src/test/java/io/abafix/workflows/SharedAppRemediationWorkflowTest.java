package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.graph.GraphDirectory;
import io.abafix.activities.graph.GraphDirectoryConfig;
import io.abafix.activities.model.IdentityType;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.LabSnapshot;
import io.abafix.lab.fault.Fault;
import io.abafix.lab.graph.FakeMicrosoftEntra;
import io.abafix.lab.graph.RecordedRequest;
import io.abafix.lab.graph.TestCertificates;
import io.abafix.lab.scenario.Scenario;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.ApprovalPolicy;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.model.Timings;
import io.abafix.workflows.plan.PlannedStep;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The remediation end to end against the lab, through the production adapters: what the fleet looks
 * like afterwards, and what the journal says.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
@Timeout(120)
class SharedAppRemediationWorkflowTest {

  @Test
  void seed_pair_ends_with_each_server_on_an_app_of_its_own() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabSnapshot before = h.lab.snapshot();
      String sharedAppId = before.server("SERVERA").applicationId();
      String sharedObjectId = before.applicationByAppId(sharedAppId).orElseThrow().id();

      LabHarness.Finished run = h.runApprovingEverything(h.request());

      RemediationResult result = run.succeeded();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      LabSnapshot after = h.lab.snapshot();
      assertEachServerOnItsOwnApp(after);
      assertTrue(
          after.deletedApplicationIds().contains(sharedObjectId),
          "the shared app is in deleted items: " + after.deletedApplicationIds());
      assertTrue(after.applicationByAppId(sharedAppId).isEmpty(), "the shared app is not live");
      after.servers().forEach(s -> assertTrue(s.syncCycleEnabled(), s.name() + " syncs again"));
      assertDistinctMachineIds(after);
      assertEveryPlannedStepJournaled(result.plan().steps(), run.audit());
      assertEveryDestructiveStepApprovedBy(LabHarness.APPROVER, result.plan().steps(), run.audit());
    }
  }

  @Test
  void cloned_pair_gives_the_clone_a_new_machine_id_and_leaves_the_original_alone() {
    try (LabHarness h = LabHarness.of("cloned-pair")) {
      LabSnapshot before = h.lab.snapshot();
      String originalId = before.server("SERVERA").machineId();
      assertEquals(originalId, before.server("SERVERB").machineId(), "the scenario is a clone");

      RemediationResult result = h.runApprovingEverything(h.request()).succeeded();

      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      LabSnapshot after = h.lab.snapshot();
      assertEquals(originalId, after.server("SERVERA").machineId(), "SERVERA keeps its id");
      assertNotEquals(originalId, after.server("SERVERB").machineId(), "SERVERB has a new id");
      assertEquals(1, h.lab.effectCount("setMachineIdentifier", "SERVERB"));
      assertEquals(0, h.lab.effectCount("setMachineIdentifier", "SERVERA"));
      assertEachServerOnItsOwnApp(after);
    }
  }

  @Test
  void three_server_fleet_ends_with_three_apps_and_three_machine_ids() {
    try (LabHarness h = LabHarness.of("three-server-fleet")) {
      RemediationResult result = h.runApprovingEverything(h.request()).succeeded();

      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      LabSnapshot after = h.lab.snapshot();
      assertEquals(3, after.servers().size());
      assertEachServerOnItsOwnApp(after);
      assertDistinctMachineIds(after);
      after.servers().forEach(s -> assertTrue(s.syncCycleEnabled(), s.name() + " syncs again"));
    }
  }

  @Test
  void a_dry_run_plans_the_fix_and_changes_nothing() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabSnapshot before = h.lab.snapshot();

      RemediationResult result = h.runApprovingEverything(h.dryRun()).succeeded();

      assertEquals(Outcome.DRY_RUN, result.outcome(), result.message());
      assertFalse(result.plan().steps().isEmpty(), "the plan is there to read");
      assertEquals(before, h.lab.snapshot());
      assertEquals(Map.of(), h.lab.effectCounts());
    }
  }

  @Test
  void a_healthy_fleet_has_nothing_to_do_and_is_not_touched() {
    try (LabHarness h = LabHarness.of("healthy-fleet")) {
      LabSnapshot before = h.lab.snapshot();

      RemediationResult result = h.runApprovingEverything(h.request()).succeeded();

      assertEquals(Outcome.NOTHING_TO_DO, result.outcome(), result.message());
      assertTrue(result.plan().steps().isEmpty());
      assertEquals(before, h.lab.snapshot());
      assertEquals(Map.of(), h.lab.effectCounts());
    }
  }

  @Test
  void a_new_service_account_is_waited_for_with_durable_timers_for_the_documented_15_minutes() {
    Scenario scenario =
        LabHarness.scenario("seed-pair").withTiming(new Scenario.Timing(900L, null, null));
    try (LabHarness h = LabHarness.of(scenario)) {
      LabHarness.Finished run = h.runApprovingEverything(h.request());

      RemediationResult result = run.succeeded();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      for (String server : List.of("SERVERA", "SERVERB")) {
        AuditEntry verify = entry(run.audit(), "VERIFY_SERVICE_ACCOUNT", server);
        assertTrue(verify.attempts() > 1, server + " was checked again: " + verify);
        assertTrue(
            verify.endedAt() - verify.startedAt() >= Duration.ofMinutes(14).toMillis(),
            server + " waited out the propagation: " + verify);
      }
      assertEachServerOnItsOwnApp(h.lab.snapshot());
    }
  }

  // ---- failures, rejections and timeouts: compensation --------------------------------------

  static Stream<Arguments> permanentFaults() {
    return Stream.of(
        arguments(
            "seed-pair", "rotateApplicationCertificate", "SERVERB", "ROTATE_CERTIFICATE@SERVERB"),
        arguments(
            "seed-pair", "revertToServiceAccount", "SERVERA", "REVERT_TO_SERVICE_ACCOUNT@SERVERA"),
        arguments(
            "seed-pair", "revertToServiceAccount", "SERVERB", "REVERT_TO_SERVICE_ACCOUNT@SERVERB"),
        arguments(
            "cloned-pair", "setMachineIdentifier", "SERVERB", "REGENERATE_MACHINE_ID@SERVERB"),
        arguments("seed-pair", "deleteApplication", null, "DELETE_APPLICATIONS@directory"),
        arguments(
            "seed-pair", "configureApplicationAuthentication", "SERVERB", "CONFIGURE_ABA@SERVERB"),
        arguments(
            "three-server-fleet",
            "configureApplicationAuthentication",
            "SERVERA",
            "CONFIGURE_ABA@SERVERA"));
  }

  @ParameterizedTest(name = "{3} in {0}")
  @MethodSource("permanentFaults")
  void a_permanent_failure_leaves_no_server_paused_that_could_sync(
      String scenario, String step, String server, String failedStep) {
    Fault fault = new Fault(step, server, Fault.Kind.PERMANENT, 1, null, null);
    try (LabHarness h = LabHarness.of(LabHarness.scenario(scenario).withFaults(List.of(fault)))) {
      LabSnapshot before = h.lab.snapshot();

      LabHarness.Finished run = h.runApprovingEverything(h.request());

      assertRemediationFailed(run.failed(), failedStep);
      assertEquals(1, h.lab.faults().fired().size(), "the fault fired: " + h.lab.faults().fired());
      assertEquals("FAILED", entry(run.audit(), failedStep).outcome());
      assertLeftSafe(before, h.lab.snapshot());
    }
  }

  @Test
  void a_rejected_app_deletion_compensates_and_names_who_rejected_it() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabSnapshot before = h.lab.snapshot();
      String sharedAppId = before.server("SERVERA").applicationId();

      LabHarness.Finished run =
          h.start(h.request())
              .drive(
                  p ->
                      new ApprovalRequest(
                          p.gate(),
                          p.gate().startsWith("DELETE_APPLICATIONS") ? "bob" : LabHarness.APPROVER,
                          !p.gate().startsWith("DELETE_APPLICATIONS"),
                          "not today",
                          p.digest()));

      assertRemediationFailed(run.failed(), "DELETE_APPLICATIONS@directory");
      AuditEntry rejection = approvalOf("DELETE_APPLICATIONS@directory", run.audit()).orElseThrow();
      assertEquals("REJECTED", rejection.outcome());
      assertEquals("bob@contoso.onmicrosoft.com (verified)", rejection.actor());
      LabSnapshot after = h.lab.snapshot();
      assertTrue(after.applicationByAppId(sharedAppId).isPresent(), "the shared app was kept");
      assertLeftSafe(before, after);
    }
  }

  /** The approvals come before the first pause, so a gate nobody answers stops no sync at all. */
  @Test
  void an_approval_nobody_gives_times_out_before_any_scheduler_is_paused() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabSnapshot before = h.lab.snapshot();

      LabHarness.Finished run =
          h.start(h.request(false, new ApprovalPolicy(true, false, 600), Timings.standard()))
              .drive(LabHarness.Operator.nobody());

      RemediationResult blocked = run.succeeded();
      assertEquals(Outcome.BLOCKED, blocked.outcome(), blocked.message());
      assertTrue(
          blocked.message().contains("REVERT_TO_SERVICE_ACCOUNT@SERVERA")
              && blocked.message().contains("nothing was paused"),
          blocked.message());
      AuditEntry timeout =
          approvalOf("REVERT_TO_SERVICE_ACCOUNT@SERVERA", run.audit()).orElseThrow();
      assertEquals("TIMED_OUT", timeout.outcome());
      assertTrue(
          timeout.endedAt() - timeout.startedAt() >= Duration.ofMinutes(10).toMillis(),
          "waited the whole 10 minutes: " + timeout);
      assertEquals(0, h.lab.effectCount("setSyncCycleEnabled", "SERVERA"), "never paused");
      assertEquals(before, h.lab.snapshot(), "nothing changed");
    }
  }

  // ---- approvals ----------------------------------------------------------------------------

  @Test
  void under_the_two_person_rule_the_requester_cannot_approve_but_someone_else_can() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      // alice signs the start in and asks for two people; she holds the approver role herself.
      LabHarness.Run run =
          h.startAs(
              h.request(false, new ApprovalPolicy(true, true, 3600), Timings.standard()), "alice");
      PendingApproval pending = awaitGate(run);
      DecisionBinding mine = run.bindingOf(pending, true);

      WorkflowUpdateException refused =
          assertThrows(
              WorkflowUpdateException.class,
              () ->
                  run.stub.decide(
                      new ApprovalRequest(
                          pending.gate(),
                          "alice",
                          true,
                          "mine",
                          pending.digest(),
                          ApprovalProof.of(
                              h.lab.identities().idToken("alice", mine.nonce()), mine))));

      assertTrue(
          String.valueOf(rootMessage(refused)).contains("two-person rule"), rootMessage(refused));
      run.waitAWhile();
      assertFalse(run.isDone(), "the run keeps waiting");
      assertEquals(pending, run.stub.progress().pendingApproval());
      RemediationResult result = run.drive(LabHarness.Operator.approvingAs("bob")).succeeded();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      assertEveryDestructiveStepApprovedBy("bob", result.plan().steps(), result.audit());
    }
  }

  // ---- transient trouble ----------------------------------------------------------------------

  @Test
  void transient_failures_are_retried_and_the_journal_counts_the_attempts() {
    List<Fault> faults =
        List.of(
            new Fault("setSyncCycleEnabled", "SERVERA", Fault.Kind.TRANSIENT, 2, null, null),
            new Fault("revertToServiceAccount", "SERVERA", Fault.Kind.TRANSIENT, 2, null, null),
            new Fault("deleteApplication", null, Fault.Kind.TRANSIENT, 2, null, null),
            new Fault(
                "configureApplicationAuthentication",
                "SERVERB",
                Fault.Kind.TRANSIENT,
                2,
                null,
                null));
    try (LabHarness h = LabHarness.of(LabHarness.scenario("seed-pair").withFaults(faults))) {
      LabHarness.Finished run = h.runApprovingEverything(h.request());

      RemediationResult result = run.succeeded();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      assertEquals(List.of(), h.lab.faults().pending(), "every fault fired");
      for (String[] step :
          List.of(
              new String[] {"PAUSE_SCHEDULER", "SERVERA"},
              new String[] {"REVERT_TO_SERVICE_ACCOUNT", "SERVERA"},
              new String[] {"DELETE_APPLICATIONS", PlannedStep.DIRECTORY},
              new String[] {"CONFIGURE_ABA", "SERVERB"})) {
        AuditEntry e = entry(run.audit(), step[0], step[1]);
        assertEquals("DONE", e.outcome(), e.toString());
        assertTrue(e.attempts() > 1, "attempts recorded: " + e);
      }
      assertEachServerOnItsOwnApp(h.lab.snapshot());
    }
  }

  @Test
  void a_step_whose_reply_was_lost_is_not_done_twice() {
    List<Fault> faults =
        List.of(
            new Fault("revertToServiceAccount", "SERVERA", Fault.Kind.CRASH, 1, null, null),
            new Fault("revertToServiceAccount", "SERVERB", Fault.Kind.CRASH, 1, null, null),
            new Fault("setMachineIdentifier", "SERVERB", Fault.Kind.CRASH, 1, null, null),
            new Fault("deleteApplication", null, Fault.Kind.CRASH, 1, null, null),
            new Fault(
                "configureApplicationAuthentication", "SERVERA", Fault.Kind.CRASH, 1, null, null),
            new Fault(
                "configureApplicationAuthentication", "SERVERB", Fault.Kind.CRASH, 1, null, null));
    try (LabHarness h = LabHarness.of(LabHarness.scenario("cloned-pair").withFaults(faults))) {
      String sharedObjectId = h.lab.snapshot().applications().get(0).id();

      RemediationResult result = h.runApprovingEverything(h.request()).succeeded();

      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      assertEquals(List.of(), h.lab.faults().pending(), "every crash happened");
      for (String server : List.of("SERVERA", "SERVERB")) {
        assertEquals(1, h.lab.effectCount("revertToServiceAccount", server), server);
        assertEquals(1, h.lab.effectCount("configureApplicationAuthentication", server), server);
      }
      assertEquals(1, h.lab.effectCount("setMachineIdentifier", "SERVERB"));
      assertEquals(0, h.lab.effectCount("setMachineIdentifier", "SERVERA"));
      assertEquals(1, h.lab.effectCount("deleteApplication", sharedObjectId));
      assertEachServerOnItsOwnApp(h.lab.snapshot());
      assertDistinctMachineIds(h.lab.snapshot());
    }
  }

  @Test
  void a_regeneration_left_half_done_with_adsync_stopped_is_finished_on_the_retry() {
    List<Fault> faults =
        List.of(
            new Fault("setMachineIdentifier", "SERVERB", Fault.Kind.INTERRUPTED, 1, null, null));
    try (LabHarness h = LabHarness.of(LabHarness.scenario("cloned-pair").withFaults(faults))) {
      String clonedId = h.lab.snapshot().server("SERVERB").machineId();

      RemediationResult result = h.runApprovingEverything(h.request()).succeeded();

      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      assertEquals(List.of(), h.lab.faults().pending(), "the step was interrupted");
      var serverB = h.lab.snapshot().server("SERVERB");
      assertTrue(serverB.adSyncRunning(), "ADSync runs again on SERVERB");
      assertFalse(clonedId.equalsIgnoreCase(serverB.machineId()), "SERVERB has a new machine id");
      assertEquals(1, h.lab.effectCount("setMachineIdentifier", "SERVERB"));
      assertEachServerOnItsOwnApp(h.lab.snapshot());
      assertDistinctMachineIds(h.lab.snapshot());
    }
  }

  // ---- Microsoft Graph and workers ------------------------------------------------------------

  /** Real time, so that the Retry-After wait is a real one the fake endpoint can see. */
  @Test
  void graph_throttling_is_waited_out_for_as_long_as_retry_after_asks() {
    Scenario scenario =
        LabHarness.scenario("seed-pair")
            .withTiming(new Scenario.Timing(0L, null, null))
            .withFaults(
                List.of(
                    new Fault(
                        FakeMicrosoftEntra.LIST_APPLICATIONS, null, Fault.Kind.HTTP, 1, 429, 2)));
    try (LabHarness h = LabHarness.builder(scenario).inRealTime().start()) {
      RemediationResult result =
          h.start(
                  h.request(
                      false, new ApprovalPolicy(true, false, 3600), new Timings(120, 1, 120, 30)))
              .drive(LabHarness.Operator.approvingAs(LabHarness.APPROVER))
              .succeeded();

      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      List<RecordedRequest> lists =
          h.adapters.entra().requests(FakeMicrosoftEntra.LIST_APPLICATIONS);
      assertEquals(429, lists.get(0).status());
      assertEquals(200, lists.get(1).status());
      Duration waited = Duration.between(lists.get(0).arrivedAt(), lists.get(1).arrivedAt());
      assertTrue(waited.compareTo(Duration.ofSeconds(2)) >= 0, "waited only " + waited);
    }
  }

  @Test
  void a_directory_certificate_not_registered_in_entra_stops_preflight_at_once(@TempDir Path dir)
      throws IOException {
    Scenario scenario = LabHarness.scenario("seed-pair");
    Path stranger =
        TestCertificates.selfSigned("not registered on the directory worker app")
            .writePem(dir.resolve("stranger.pem"));
    try (LabHarness h =
        LabHarness.builder(scenario)
            .directory(
                adapters ->
                    new GraphDirectory(
                        GraphDirectoryConfig.of(
                                scenario.tenant().domain(),
                                LabAdapters.DIRECTORY_WORKER_CLIENT_ID,
                                stranger)
                            .withIdentityEndpointOverride(adapters.entra().identityEndpoint())
                            .withGraphBaseUrl(adapters.entra().graphBaseUrl())))
            .start()) {
      LabSnapshot before = h.lab.snapshot();
      LabHarness.Run run = h.start(h.request());

      LabHarness.Finished finished =
          run.drive(LabHarness.Operator.approvingAs(LabHarness.APPROVER));

      assertRemediationFailed(finished.failed(), "preflight failed, nothing was changed");
      String message = rootMessage(finished.failed());
      assertTrue(message.contains("AADSTS700027") && message.contains("not registered"), message);
      assertEquals(
          1,
          h.adapters.entra().requests(FakeMicrosoftEntra.TOKEN).size(),
          "no retry of a sign-in that cannot work");
      assertEquals(Outcome.FAILED, run.stub.progress().outcome());
      assertEquals(before, h.lab.snapshot());
      assertEquals(Map.of(), h.lab.effectCounts());
    }
  }

  /**
   * Real time: the time-skipping test server does not skip time while a task waits on a queue that
   * nobody polls, so the schedule-to-start bound is kept to two real seconds instead.
   */
  @Test
  void a_server_whose_worker_is_not_running_is_named_with_its_task_queue() {
    try (LabHarness h =
        LabHarness.builder(LabHarness.scenario("seed-pair"))
            .inRealTime()
            .withoutWorkerFor("SERVERB")
            .start()) {
      LabSnapshot before = h.lab.snapshot();

      LabHarness.Finished run =
          h.runApprovingEverything(
              h.request(false, new ApprovalPolicy(true, false, 3600), new Timings(120, 1, 120, 2)));

      String message = rootMessage(run.failed());
      assertTrue(
          message.contains(
              "no worker is polling "
                  + TaskQueues.forServer(h.lab.tenantDomain(), "SERVERB")
                  + ": start the abafix worker on SERVERB"),
          message);
      assertEquals(before, h.lab.snapshot());
    }
  }

  // ---- assertions shared by the tests -------------------------------------------------------

  /** Every server on Application, on a live app named for it that holds only its certificate. */
  static void assertEachServerOnItsOwnApp(LabSnapshot snapshot) {
    Set<String> appIds = new HashSet<>();
    for (LabSnapshot.Server s : snapshot.servers()) {
      assertEquals(IdentityType.Application, s.identityType(), s.name() + " is on Application");
      assertTrue(s.authenticates(), s.name() + " signs in");
      assertTrue(
          appIds.add(s.applicationId().toLowerCase(Locale.ROOT)), s.name() + "'s app is its own");
      LabSnapshot.Application app =
          snapshot
              .applicationByAppId(s.applicationId())
              .orElseThrow(() -> new AssertionError(s.name() + "'s app is live"));
      assertTrue(
          app.displayName().startsWith("ConnectSyncProvisioning_" + s.name() + "_"),
          app.displayName() + " is named for " + s.name());
      assertEquals(
          List.of(s.certificateThumbprint()),
          app.keyThumbprints(),
          app.displayName() + " holds exactly " + s.name() + "'s certificate");
    }
  }

  static void assertDistinctMachineIds(LabSnapshot snapshot) {
    Set<String> ids =
        snapshot.servers().stream()
            .map(s -> s.machineId().toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    assertEquals(snapshot.servers().size(), ids.size(), "machine ids distinct: " + snapshot);
  }

  static void assertEveryPlannedStepJournaled(List<PlannedStep> steps, List<AuditEntry> audit) {
    assertFalse(steps.isEmpty(), "a plan");
    Set<String> fine = Set.of("DONE", "NO_CHANGE", "SKIPPED");
    for (PlannedStep step : steps) {
      AuditEntry entry =
          audit.stream()
              .filter(e -> e.step().equals(step.step().name()) && e.target().equals(step.target()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(step.key() + " is in the journal"));
      assertTrue(fine.contains(entry.outcome()), step.key() + " ended " + entry.outcome());
    }
  }

  static void assertEveryDestructiveStepApprovedBy(
      String approver, List<PlannedStep> steps, List<AuditEntry> audit) {
    List<PlannedStep> destructive = steps.stream().filter(PlannedStep::destructive).toList();
    assertFalse(destructive.isEmpty(), "destructive steps planned");
    for (PlannedStep step : destructive) {
      AuditEntry approval =
          approvalOf(step.key(), audit)
              .orElseThrow(() -> new AssertionError(step.key() + " has an approval entry"));
      assertEquals("APPROVED", approval.outcome(), step.key());
      // The journal names whom the sign-in proves, never the name typed.
      assertTrue(
          approval.actor().startsWith(approver + "@") && approval.actor().endsWith(" (verified)"),
          step.key() + " approved by " + approval.actor() + ", not the verified " + approver);
    }
  }

  static void assertRemediationFailed(WorkflowFailedException failure, String where) {
    ApplicationFailure cause = assertInstanceOf(ApplicationFailure.class, failure.getCause());
    assertEquals(SharedAppRemediationWorkflowImpl.REMEDIATION_FAILED, cause.getType());
    assertTrue(
        cause.getOriginalMessage().contains(where),
        "the message says where it stopped: " + cause.getOriginalMessage());
  }

  /**
   * What compensation promises: no server that signs in is left paused, every server that synced
   * before syncs again, and no server on Application uses an app that is now deleted.
   */
  static void assertLeftSafe(LabSnapshot before, LabSnapshot after) {
    Map<String, String> appIdByObjectId = new HashMap<>();
    before.applications().forEach(a -> appIdByObjectId.put(a.id(), a.appId()));
    after.applications().forEach(a -> appIdByObjectId.put(a.id(), a.appId()));
    Set<String> deletedAppIds =
        after.deletedApplicationIds().stream()
            .map(appIdByObjectId::get)
            .filter(java.util.Objects::nonNull)
            .map(id -> id.toLowerCase(Locale.ROOT))
            .collect(Collectors.toSet());
    for (LabSnapshot.Server s : after.servers()) {
      if (s.authenticates()) {
        assertTrue(s.syncCycleEnabled(), s.name() + " signs in, so it must not be left paused");
      }
      if (before.server(s.name()).syncCycleEnabled()) {
        assertTrue(s.syncCycleEnabled(), s.name() + " synced before, so it syncs now: " + s);
      }
      if (s.identityType() == IdentityType.Application) {
        assertFalse(
            deletedAppIds.contains(s.applicationId().toLowerCase(Locale.ROOT)),
            s.name() + " uses app " + s.applicationId() + ", which is deleted");
      }
    }
  }

  /** Lets time pass until a gate is pending. */
  static PendingApproval awaitGate(LabHarness.Run run) {
    for (int i = 0; i < 100; i++) {
      PendingApproval pending = run.stub.progress().pendingApproval();
      if (pending != null) return pending;
      assertFalse(run.isDone(), "the run ended before asking for approval");
      run.waitAWhile();
    }
    throw new AssertionError("no approval was asked for");
  }

  static String rootMessage(Throwable t) {
    String message = t.getMessage();
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ApplicationFailure a) message = a.getOriginalMessage();
    }
    return message;
  }

  static AuditEntry entry(List<AuditEntry> audit, String key) {
    int at = key.indexOf('@');
    return entry(audit, key.substring(0, at), key.substring(at + 1));
  }

  static java.util.Optional<AuditEntry> approvalOf(String gate, List<AuditEntry> audit) {
    return audit.stream()
        .filter(e -> e.step().equals("APPROVAL") && gate.equals(e.after().get("gate")))
        .findFirst();
  }

  static AuditEntry entry(List<AuditEntry> audit, String step, String target) {
    return audit.stream()
        .filter(e -> e.step().equals(step) && e.target().equalsIgnoreCase(target))
        .findFirst()
        .orElseThrow(() -> new AssertionError(step + "@" + target + " is in the journal"));
  }

  static void assertNotBlank(String s) {
    assertNotNull(s);
    assertNotEquals("", s.trim());
  }
}
