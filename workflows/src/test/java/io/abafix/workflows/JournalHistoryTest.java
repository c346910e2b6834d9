package io.abafix.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.workflows.audit.AuditChain;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.history.JournalHistory;
import io.abafix.workflows.history.RecoveredJournal;
import io.abafix.workflows.history.RecoveredJournal.Source;
import io.abafix.workflows.model.ApprovalRequest;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.RunJournal;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * A closed run's journal is read from its history alone ({@link JournalHistory}), with no worker: a
 * compensated run's from its failure's details, a cancelled run's from the record it keeps as it
 * ends, a completed run's from its result, and a terminated run's, as far as it went, by replaying
 * its history; the last says what it could not recover.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class JournalHistoryTest {

  @Test
  void a_compensated_run_carries_its_closed_journal_in_its_failure_details() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Finished finished = h.start(h.request()).drive(rejectingTheDeletion());
      ApplicationFailure failure =
          assertInstanceOf(ApplicationFailure.class, finished.failed().getCause());
      RunJournal details = failure.getDetails().get(0, RunJournal.class);
      assertEquals(Outcome.COMPENSATED, details.outcome());
      assertEquals(finished.audit(), details.audit(), "the whole journal, as the query gives it");
      assertClosed(details.audit());

      RecoveredJournal read = read(h);
      assertEquals(Source.FAILURE_DETAILS, read.source());
      assertEquals("FAILED", read.closedAs());
      assertEquals("COMPENSATED", read.outcome());
      assertTrue(read.message().startsWith("remediation stopped at"), read.message());
      assertEquals(finished.audit(), read.entries());
      assertTrue(read.complete(), read.missing() + " " + read.unrecorded());
    }
  }

  @Test
  void a_cancelled_run_keeps_its_closed_journal_in_a_record_before_it_ends() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run = h.start(h.request());
      run.driveUntil(
          LabHarness.Operator.approvingAs("bob"),
          () -> "VERIFY_SERVICE_ACCOUNT@SERVERA".equals(run.stub.progress().current()));
      run.cancel("change freeze");
      LabHarness.Finished finished = run.drive(LabHarness.Operator.nobody());
      assertInstanceOf(CanceledFailure.class, finished.failed().getCause());

      RecoveredJournal read = read(h);
      assertEquals(Source.CANCELLATION_RECORD, read.source());
      assertEquals("CANCELED", read.closedAs());
      assertEquals("CANCELED", read.outcome());
      assertTrue(read.message().contains("cancelled (change freeze"), read.message());
      assertEquals(finished.audit(), read.entries());
      assertClosed(read.entries());
      assertTrue(read.complete(), read.missing() + " " + read.unrecorded());
    }
  }

  @Test
  void a_completed_run_gives_the_journal_of_its_result() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Finished finished = h.runApprovingEverything(h.request());
      RecoveredJournal read = read(h);
      assertEquals(Source.RESULT, read.source());
      assertEquals("SUCCEEDED", read.outcome());
      assertEquals(finished.succeeded().audit(), read.entries());
      assertTrue(read.complete(), read.missing().toString());
    }
  }

  @Test
  void a_terminated_run_gives_its_journal_so_far_and_says_what_it_could_not_recover() {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      LabHarness.Run run = h.start(h.request());
      run.driveUntil(
          LabHarness.Operator.approvingAs("bob"),
          () -> "VERIFY_SERVICE_ACCOUNT@SERVERA".equals(run.stub.progress().current()));
      List<AuditEntry> sofar = run.stub.audit();
      String id = WorkflowIds.remediation(h.lab.tenantDomain());
      h.client.newUntypedWorkflowStub(id).terminate("stuck, by hand");

      RecoveredJournal read = read(h);
      assertEquals(Source.REPLAY, read.source());
      assertEquals("TERMINATED", read.closedAs());
      assertEquals("stuck, by hand", read.message());
      assertEquals(sofar, read.entries(), "every record the run had made");
      assertTrue(
          read.entries().stream()
              .anyMatch(e -> e.step().equals("PAUSE_SCHEDULER") && e.target().equals("SERVERA")),
          read.entries().toString());
      assertFalse(read.complete());
      assertTrue(
          read.missing().get(0).startsWith("the run was terminated at ")
              && read.missing().get(0).contains("(\"stuck, by hand\")")
              && read.missing().get(0).contains("did not end its journal, compensate or sign"),
          read.missing().toString());
      assertTrue(
          read.unrecorded().stream().anyMatch(s -> s.inFlight() && "SERVERA".equals(s.target())),
          "the step under way on SERVERA: " + read.unrecorded());
    }
  }

  /**
   * Runs from before runs kept their journal in their history (and before they signed it) are read
   * by replaying their history: every record, chained under the run's own id.
   */
  @Test
  void a_run_from_before_the_journal_was_kept_is_read_by_replaying_its_history() throws Exception {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      for (String name : List.of("seed-pair-cancelled-mid-run", "seed-pair-deletion-rejected")) {
        Path file =
            Path.of(
                JournalHistoryTest.class
                    .getResource("/histories/SharedAppRemediationWorkflow/" + name + ".json")
                    .toURI());
        WorkflowExecutionHistory history =
            WorkflowExecutionHistory.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        RecoveredJournal read = JournalHistory.read(h.client, history, null);
        assertEquals(Source.REPLAY, read.source(), name);
        String runId =
            history
                .getEvents()
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getOriginalExecutionRunId();
        String prev = AuditChain.GENESIS;
        for (AuditEntry e : read.entries()) {
          assertEquals(runId, e.runId(), name);
          assertEquals(prev, e.prev(), name + ": " + e);
          assertEquals(AuditChain.hashOf(withoutHash(e)), e.hash(), name + ": " + e);
          prev = e.hash();
        }
        String ending = name.contains("cancelled") ? "CANCEL_REQUESTED" : "APPROVAL:REJECTED";
        assertTrue(
            read.entries().stream()
                .anyMatch(
                    e -> ending.equals(e.step()) || ending.equals(e.step() + ":" + e.outcome())),
            name + ": how it ended is in it: " + read.entries());
        assertEquals(
            List.of(
                "the journal has no signed digest: the run is from before abafix signed journals"),
            read.missing(),
            name);
      }
    }
  }

  /** A stored history of each way a run keeps its journal reads it from there, not by replay. */
  @Test
  void a_stored_history_of_a_run_that_kept_its_journal_is_read_from_where_it_kept_it()
      throws Exception {
    try (LabHarness h = LabHarness.of("seed-pair")) {
      for (var kept :
          java.util.Map.of(
                  "seed-pair-deletion-rejected-journal-kept", Source.FAILURE_DETAILS,
                  "seed-pair-cancelled-journal-kept", Source.CANCELLATION_RECORD)
              .entrySet()) {
        Path file =
            Path.of(
                JournalHistoryTest.class
                    .getResource(
                        "/histories/SharedAppRemediationWorkflow/" + kept.getKey() + ".json")
                    .toURI());
        RecoveredJournal read =
            JournalHistory.read(
                h.client,
                WorkflowExecutionHistory.fromJson(Files.readString(file, StandardCharsets.UTF_8)),
                null);
        assertEquals(kept.getValue(), read.source(), kept.getKey());
        assertClosed(read.entries());
        assertTrue(read.complete(), kept.getKey() + ": " + read.missing());
      }
    }
  }

  private static RecoveredJournal read(LabHarness h) {
    return JournalHistory.read(h.client, WorkflowIds.remediation(h.lab.tenantDomain()), null);
  }

  private static LabHarness.Operator rejectingTheDeletion() {
    return p -> {
      boolean delete = p.gate().startsWith("DELETE_APPLICATIONS");
      return new ApprovalRequest(
          p.gate(), delete ? "bob" : LabHarness.APPROVER, !delete, "not today", p.digest());
    };
  }

  private static AuditEntry withoutHash(AuditEntry e) {
    return new AuditEntry(
        e.runId(),
        e.seq(),
        e.step(),
        e.target(),
        e.executor(),
        e.actor(),
        e.startedAt(),
        e.endedAt(),
        e.attempts(),
        e.outcome(),
        e.before(),
        e.after(),
        e.detail(),
        e.prev(),
        null);
  }

  /** The journal ends with the run's closing signed digest. */
  private static void assertClosed(List<AuditEntry> audit) {
    AuditEntry last = audit.get(audit.size() - 1);
    assertEquals(AuditJournal.DIGEST, last.step(), last.toString());
    assertEquals("true", last.after().get("closing"), last.toString());
  }
}
