package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A report made from an export says which run it is of. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReportFromAuditTest {

  @Test
  @Timeout(120)
  void a_report_from_an_export_names_its_run(@TempDir Path dir) throws Exception {
    Path audit = dir.resolve("audit.jsonl");
    CommandLineRun demo = CommandLineRun.of("demo", "--audit-out", audit.toString());
    assertEquals(0, demo.exitCode(), demo.err());
    String runId =
        new ObjectMapper().readTree(Files.readAllLines(audit).get(0)).get("runId").asText();

    Path html = dir.resolve("r2.html");
    CommandLineRun report =
        CommandLineRun.of(
            "report",
            "--from-audit",
            audit.toString(),
            "--public-key",
            audit + ".pub",
            "--html",
            html.toString());
    assertEquals(0, report.exitCode(), report.err());
    assertTrue(
        report.out().contains("wrote the report of run " + runId + " to " + html), report.out());
  }
}
