package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.IdentityType;
import io.abafix.lab.LabSnapshot;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationResult;
import io.abafix.workflows.plan.PlannedStep;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * The remediation end to end against the lab, through the production adapters: what the fleet looks
 * like afterwards, and what the journal says.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
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
      assertEquals(approver, approval.actor(), step.key() + " approved by " + approver);
    }
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
