package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.lab.LabSnapshot;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RemediationResult;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/**
 * What the directory will need is proven before any approval is asked: a directory worker that
 * could not delete the shared app ends the run BLOCKED with nothing paused.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class DirectoryPrerequisitesTest {

  @Test
  void a_worker_that_does_not_own_the_shared_app_is_blocked_before_anything_is_paused() {
    try (LabHarness h = LabHarness.of("not-owner")) {
      LabSnapshot before = h.lab.snapshot();
      var finished = h.runApprovingEverything(h.request());
      RemediationResult result = finished.succeeded();

      assertEquals(Outcome.BLOCKED, result.outcome(), result.message());
      assertTrue(
          result.message().contains("ConnectSyncProvisioning_SERVERA_3f1c9a2b7d4e")
              && result.message().contains("owners/$ref"),
          "names the app and the fix: " + result.message());
      // Nothing paused, nothing changed, no approval asked.
      assertEquals(before.servers(), h.lab.snapshot().servers());
      assertEquals(before.applications(), h.lab.snapshot().applications());
      assertEquals(java.util.Map.of(), h.lab.effectCounts());
      assertTrue(
          finished.audit().stream().noneMatch(e -> e.step().startsWith("APPROVAL")),
          "no approval was asked: " + finished.audit());
      AuditEntry prerequisites =
          finished.audit().stream()
              .filter(e -> e.step().equals("PREREQUISITES"))
              .findFirst()
              .orElseThrow();
      assertEquals("BLOCKED", prerequisites.outcome());
    }
  }

  @Test
  void an_open_wizard_on_one_server_is_blocked_before_anything_is_paused() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      h.lab.setWizardOpen("SERVERB", true);
      LabSnapshot before = h.lab.snapshot();
      RemediationResult result = h.runApprovingEverything(h.request()).succeeded();

      assertEquals(Outcome.BLOCKED, result.outcome(), result.message());
      assertTrue(
          result.message().contains("SERVERB") && result.message().contains("wizard is open"),
          "names the server and the wizard: " + result.message());
      assertEquals(before.servers(), h.lab.snapshot().servers());
      assertEquals(java.util.Map.of(), h.lab.effectCounts(), "nothing paused or changed");
    }
  }

  @Test
  void a_worker_with_application_read_write_all_proves_its_access_and_the_run_goes_on() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      RemediationResult result = h.runApprovingEverything(h.request()).succeeded();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      assertTrue(
          result.audit().stream()
              .anyMatch(e -> e.step().equals("PREREQUISITES") && e.outcome().equals("DONE")));
    }
  }

  @Test
  void an_eligible_global_administrator_connector_account_is_named_in_the_plan() {
    try (LabHarness h = LabHarness.of("pim-eligible-ga")) {
      RemediationResult result = h.runApprovingEverything(h.request()).succeeded();
      assertEquals(Outcome.SUCCEEDED, result.outcome(), result.message());
      assertTrue(
          result.plan().findings().stream()
              .anyMatch(
                  f ->
                      f.contains("svc-legacy@contoso.onmicrosoft.com")
                          && f.contains("eligible assignment")),
          "the finding names the account and how: " + result.plan().findings());
    }
  }
}
