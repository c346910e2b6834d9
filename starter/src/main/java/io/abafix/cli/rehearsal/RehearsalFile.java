package io.abafix.cli.rehearsal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.abafix.cli.AuditExport;
import io.abafix.lab.LabSnapshot;
import io.abafix.workflows.WorkflowIds;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditJournal;
import io.abafix.workflows.plan.RehearsedFleet;
import io.abafix.workflows.plan.StepName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a rehearsal leaves for the real run, format {@value #FORMAT}: the tenant, the servers, the
 * operator steps it ran with, its outcome, {@code fleet} (the plan's digest and the facts it rests
 * on: machine ids, identities, certificates, the apps' ids and keys), the rehearsal's journal as
 * {@code abafix audit --out} exports it (hash-chained, with its digests), and each server's state
 * at the end. {@code abafix remediate --rehearsed FILE} sends {@code fleet} with the request; the
 * run's preflight compares.
 *
 * <p>The outcome is not taken on the file's word: {@link #read} derives it from the journal and the
 * final state, and refuses a file whose declared outcome they contradict.
 */
public record RehearsalFile(
    String format,
    String tenant,
    List<String> servers,
    List<String> operatorSteps,
    String outcome,
    String capturedAt,
    RehearsedFleet fleet,
    List<JsonNode> journal,
    List<ServerEnd> finalState) {

  public static final String FORMAT = "abafix-rehearsal/2";

  /** The format before the file held its journal: its outcome cannot be checked. */
  static final String UNCHECKED_FORMAT = "abafix-rehearsal/1";

  /** Outcomes of journal records that no succeeded run has. */
  private static final Set<String> FAILING = Set.of("FAILED", "COMPENSATED", "REJECTED");

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  /**
   * A server as the rehearsal left it.
   *
   * @param schedulerEnabled whether its sync scheduler runs again
   * @param signsIn whether its connector's identity signs in
   */
  public record ServerEnd(
      String server, String identityType, boolean schedulerEnabled, boolean signsIn) {

    public static List<ServerEnd> of(LabSnapshot end) {
      return end.servers().stream()
          .map(
              s ->
                  new ServerEnd(
                      s.name(),
                      String.valueOf(s.identityType()),
                      s.syncCycleEnabled(),
                      s.authenticates()))
          .toList();
    }
  }

  public RehearsalFile {
    servers = servers == null ? List.of() : List.copyOf(servers);
    operatorSteps = operatorSteps == null ? List.of() : List.copyOf(operatorSteps);
    journal = journal == null ? List.of() : List.copyOf(journal);
    finalState = finalState == null ? List.of() : List.copyOf(finalState);
  }

  /**
   * The file for a rehearsal that ran: its journal as the export's records.
   *
   * @param audit the rehearsal's journal
   * @param end the lab after the rehearsal
   */
  public static RehearsalFile of(
      String tenant,
      List<String> servers,
      List<StepName> operatorSteps,
      String outcome,
      String capturedAt,
      RehearsedFleet fleet,
      List<AuditEntry> audit,
      LabSnapshot end) {
    List<JsonNode> journal = new ArrayList<>();
    for (String line : AuditExport.lines(audit)) {
      try {
        journal.add(JSON.readTree(line));
      } catch (IOException e) {
        throw new IllegalStateException("an exported journal line is JSON", e);
      }
    }
    return new RehearsalFile(
        FORMAT,
        tenant,
        servers,
        operatorSteps.stream().map(StepName::name).toList(),
        outcome,
        capturedAt,
        fleet,
        journal,
        ServerEnd.of(end));
  }

  /** Whether the rehearsed run succeeded: after {@link #read}, what its journal shows too. */
  public boolean succeeded() {
    return "SUCCEEDED".equals(outcome);
  }

  public void write(Path file) {
    try {
      Files.writeString(file, JSON.writeValueAsString(this) + System.lineSeparator());
    } catch (IOException e) {
      throw new CaptureRefused("cannot write " + file + ": " + e.getMessage());
    }
  }

  /**
   * Reads a rehearsal and holds its declared outcome to its own content.
   *
   * @throws CaptureRefused naming what is wrong with the file: unreadable, of another format, a
   *     journal that does not hold (edited, cut) or is not of this tenant's plan, or an outcome its
   *     journal and final state contradict
   */
  public static RehearsalFile read(Path file) {
    RehearsalFile r;
    String text;
    try {
      text = Files.readString(file);
      String format = JSON.readTree(text).path("format").asText();
      if (UNCHECKED_FORMAT.equals(format)) {
        throw new CaptureRefused(
            "rehearsal "
                + file
                + " was written by an earlier abafix, without the journal its outcome is checked"
                + " against: rehearse again (abafix rehearse --capture FILE)");
      }
      r = JSON.readValue(text, RehearsalFile.class);
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      int nl = m.indexOf('\n');
      throw new CaptureRefused(
          "rehearsal " + file + " is not readable: " + (nl < 0 ? m : m.substring(0, nl)));
    }
    if (r == null || !FORMAT.equals(r.format())) {
      throw new CaptureRefused(
          "rehearsal " + file + ": format is not " + FORMAT + " (made by abafix rehearse)");
    }
    if (r.fleet() == null || r.fleet().planDigest() == null || r.servers().isEmpty()) {
      throw new CaptureRefused("rehearsal " + file + ": no plan digest or no servers");
    }
    String unlike = r.failure();
    if (r.succeeded() && unlike != null) {
      throw new CaptureRefused(
          "rehearsal "
              + file
              + " says it ended SUCCEEDED, but its own content says otherwise: "
              + unlike
              + "; rehearse again");
    }
    if (!r.succeeded() && unlike == null) {
      throw new CaptureRefused(
          "rehearsal "
              + file
              + " says it ended "
              + r.outcome()
              + ", but its journal and final state show a run that succeeded: the file was"
              + " edited; rehearse again");
    }
    return r;
  }

  /**
   * Why the file's own content shows a rehearsal that did not succeed, or null when it succeeded.
   *
   * @throws CaptureRefused when the journal does not hold, or is not of this tenant and plan
   */
  private String failure() {
    if (journal.isEmpty()) throw new CaptureRefused("rehearsal of " + tenant + ": no journal");
    List<String> lines = journal.stream().map(JsonNode::toString).toList();
    AuditExport.Verification chain = AuditExport.verify(lines, null);
    if (!chain.intact()) {
      throw new CaptureRefused(
          "the rehearsal's journal does not hold, " + chain.message() + "; rehearse again");
    }
    String workflow =
        AuditExport.signerOfLines(lines).map(AuditExport.Signer::workflowId).orElse("(unnamed)");
    if (!workflow.equals(WorkflowIds.remediation(tenant))) {
      throw new CaptureRefused(
          "the rehearsal's journal is of " + workflow + ", not of tenant " + tenant);
    }
    List<JsonNode> records =
        journal.stream().filter(n -> !AuditJournal.DIGEST.equals(n.path("step").asText())).toList();
    String planned =
        records.stream()
            .filter(n -> n.path("step").asText().equals("PLAN"))
            .map(n -> n.path("after").path("digest").asText())
            .findFirst()
            .orElse(null);
    if (!fleet.planDigest().equals(planned)) {
      throw new CaptureRefused(
          "the rehearsal's journal planned digest "
              + planned
              + ", not the "
              + fleet.planDigest()
              + " the file names");
    }
    for (JsonNode n : records) {
      if (FAILING.contains(n.path("outcome").asText())) {
        return "its journal's record "
            + n.path("seq").asInt()
            + " ("
            + n.path("step").asText()
            + " on "
            + n.path("target").asText()
            + ") is "
            + n.path("outcome").asText();
      }
    }
    JsonNode last = records.get(records.size() - 1);
    if (!last.path("step").asText().equals(StepName.FINAL_VERIFICATION.name())
        || !last.path("outcome").asText().equals("DONE")) {
      return "its journal ends at "
          + last.path("step").asText()
          + " "
          + last.path("outcome").asText()
          + ", not at a FINAL_VERIFICATION that passed";
    }
    for (String server : servers) {
      ServerEnd end =
          finalState.stream()
              .filter(s -> s.server().equalsIgnoreCase(server))
              .findFirst()
              .orElse(null);
      if (end == null) return "its final state does not show " + server;
      if (!end.schedulerEnabled()) return server + "'s scheduler is PAUSED at the end";
      if (!end.signsIn()) return server + " DOES NOT SIGN IN at the end";
    }
    return null;
  }
}
