package io.abafix.cli.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.workflows.plan.RehearsedFleet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Rehearsal files for tests, over the journal of a seed-pair run that succeeded (the report's test
 * export): its plan digest, its servers, each of them fine at the end.
 */
public final class RehearsalFiles {
  public static final String TENANT = "contoso.onmicrosoft.com";
  public static final List<String> SERVERS = List.of("SERVERA", "SERVERB");
  private static final ObjectMapper JSON = new ObjectMapper();

  private RehearsalFiles() {}

  /** The journal's records, one JSON object each. */
  public static List<JsonNode> journal() throws Exception {
    List<JsonNode> records = new ArrayList<>();
    Path file = Path.of(RehearsalFiles.class.getResource("/report/seed-pair-audit.jsonl").toURI());
    for (String line : Files.readAllLines(file)) records.add(JSON.readTree(line));
    return records;
  }

  /** The plan digest the journal's PLAN record holds. */
  public static String planDigest(List<JsonNode> journal) {
    return journal.stream()
        .filter(n -> n.path("step").asText().equals("PLAN"))
        .findFirst()
        .orElseThrow()
        .path("after")
        .path("digest")
        .asText();
  }

  /** Every server on its own app, scheduler enabled, signing in. */
  public static List<RehearsalFile.ServerEnd> allFine() {
    return SERVERS.stream()
        .map(s -> new RehearsalFile.ServerEnd(s, "Application", true, true))
        .toList();
  }

  /** A file that says {@code outcome} over the journal and {@code end}. */
  public static RehearsalFile of(
      String outcome, List<JsonNode> journal, List<RehearsalFile.ServerEnd> end) {
    return new RehearsalFile(
        RehearsalFile.FORMAT,
        TENANT,
        SERVERS,
        List.of(),
        outcome,
        "2026-12-01T00:00:00Z",
        new RehearsedFleet(planDigest(journal), List.of(), List.of()),
        journal,
        end);
  }

  /** A file of a rehearsal that succeeded, consistent with itself. */
  public static RehearsalFile succeeded() throws Exception {
    return of("SUCCEEDED", journal(), allFine());
  }
}
