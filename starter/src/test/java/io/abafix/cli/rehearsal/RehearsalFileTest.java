package io.abafix.cli.rehearsal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.workflows.plan.RehearsedFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rehearsal's outcome is what its own journal and final state show, not what the file says: a
 * file whose declared outcome they contradict is refused, naming the disagreement.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RehearsalFileTest {
  @TempDir Path dir;

  private Path write(RehearsalFile file) {
    Path path = dir.resolve("fleet.rehearsal.json");
    file.write(path);
    return path;
  }

  private String refusal(RehearsalFile file) {
    Path path = write(file);
    return assertThrows(CaptureRefused.class, () -> RehearsalFile.read(path)).getMessage();
  }

  @Test
  void a_file_whose_journal_and_final_state_show_success_reads_as_succeeded() throws Exception {
    assertTrue(RehearsalFile.read(write(RehearsalFiles.succeeded())).succeeded());
  }

  @Test
  void a_success_declared_over_a_server_left_paused_is_refused_naming_it() throws Exception {
    List<RehearsalFile.ServerEnd> end = new ArrayList<>(RehearsalFiles.allFine());
    end.set(1, new RehearsalFile.ServerEnd("SERVERB", "Application", false, true));
    String why = refusal(RehearsalFiles.of("SUCCEEDED", RehearsalFiles.journal(), end));
    assertTrue(why.contains("says it ended SUCCEEDED, but its own content says otherwise"), why);
    assertTrue(why.contains("SERVERB's scheduler is PAUSED at the end"), why);
  }

  @Test
  void a_failure_declared_over_a_journal_that_succeeded_is_refused_as_edited() throws Exception {
    String why =
        refusal(
            RehearsalFiles.of("COMPENSATED", RehearsalFiles.journal(), RehearsalFiles.allFine()));
    assertTrue(why.contains("says it ended COMPENSATED, but its journal and final state"), why);
  }

  @Test
  void a_failure_its_content_shows_too_reads_as_not_succeeded() throws Exception {
    List<RehearsalFile.ServerEnd> end = new ArrayList<>(RehearsalFiles.allFine());
    end.set(0, new RehearsalFile.ServerEnd("SERVERA", "ServiceAccount", true, false));
    RehearsalFile read =
        RehearsalFile.read(write(RehearsalFiles.of("COMPENSATED", RehearsalFiles.journal(), end)));
    assertFalse(read.succeeded());
  }

  @Test
  void an_edited_journal_is_refused_as_not_holding() throws Exception {
    List<JsonNode> journal = RehearsalFiles.journal();
    // The final verification's outcome edited, its hash left as it was.
    int last = journal.size() - 2;
    ((ObjectNode) journal.get(last)).put("outcome", "FAILED");
    String why = refusal(RehearsalFiles.of("SUCCEEDED", journal, RehearsalFiles.allFine()));
    assertTrue(why.contains("the rehearsal's journal does not hold, record " + (last + 1)), why);
  }

  @Test
  void a_journal_cut_before_its_end_is_refused() throws Exception {
    List<JsonNode> journal = RehearsalFiles.journal();
    String digest = RehearsalFiles.planDigest(journal);
    List<JsonNode> cut = new ArrayList<>(journal.subList(0, journal.size() - 3));
    RehearsalFile file =
        new RehearsalFile(
            RehearsalFile.FORMAT,
            RehearsalFiles.TENANT,
            RehearsalFiles.SERVERS,
            List.of(),
            "SUCCEEDED",
            "2026-12-01T00:00:00Z",
            new RehearsedFleet(digest, List.of(), List.of()),
            cut,
            RehearsalFiles.allFine());
    String why = refusal(file);
    assertTrue(why.contains("without the run's closing signed digest"), why);
  }

  @Test
  void a_journal_of_another_plan_is_refused() throws Exception {
    RehearsalFile ok = RehearsalFiles.succeeded();
    String why =
        refusal(
            new RehearsalFile(
                ok.format(),
                ok.tenant(),
                ok.servers(),
                ok.operatorSteps(),
                ok.outcome(),
                ok.capturedAt(),
                new RehearsedFleet("0123456789ab", List.of(), List.of()),
                ok.journal(),
                ok.finalState()));
    assertTrue(why.contains("not the 0123456789ab the file names"), why);
  }

  @Test
  void a_file_of_the_format_before_journals_is_refused_saying_to_rehearse_again() throws Exception {
    Path old = dir.resolve("old.rehearsal.json");
    Files.writeString(
        old,
        "{\"format\":\"abafix-rehearsal/1\",\"tenant\":\"contoso.onmicrosoft.com\","
            + "\"servers\":[\"SERVERA\"],\"operatorSteps\":[],\"outcome\":\"SUCCEEDED\","
            + "\"capturedAt\":\"2026-12-01T00:00:00Z\",\"fleet\":{\"planDigest\":\"d1\","
            + "\"servers\":[],\"applications\":[]}}");
    String why = assertThrows(CaptureRefused.class, () -> RehearsalFile.read(old)).getMessage();
    assertTrue(why.contains("without the journal its outcome is checked against"), why);
    assertTrue(why.contains("rehearse again"), why);
  }
}
