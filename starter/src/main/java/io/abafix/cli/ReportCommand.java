package io.abafix.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.cli.report.AuditFile;
import io.abafix.cli.report.Entry;
import io.abafix.cli.report.HtmlReport;
import io.abafix.cli.report.RunReport;
import io.abafix.cli.report.Verification;
import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditSigning;
import io.abafix.workflows.history.RecoveredJournal;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code abafix report}: one HTML page a change board can read, from a run or an export. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix report abafix-remediation-contoso.onmicrosoft.com --html run.html",
      "  abafix report --from-audit audit.jsonl --public-key audit.jsonl.pub \\",
      "      --html run.html"
    },
    description =
        "Write a self-contained HTML report of a run (outcome, a timeline per server, before and"
            + " after, decisions, the audit's verification), from the run itself or from an"
            + " abafix audit export.")
final class ReportCommand implements Callable<Integer> {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;
  @Mixin RunIdOption runId;

  @Parameters(
      paramLabel = "RUN",
      arity = "0..1",
      description = "The run's workflow id (or give --from-audit)")
  String run;

  @Option(
      names = "--from-audit",
      paramLabel = "FILE",
      description = "An abafix audit export (JSON Lines) to report on instead of a run")
  Path fromAudit;

  @Option(
      names = "--public-key",
      paramLabel = "K",
      description =
          "With --from-audit: the orchestrator's audit public key (FILE.pub of keygen"
              + " --audit-signing), to check the export's signed digests")
  Path publicKey;

  @Option(names = "--html", required = true, paramLabel = "FILE", description = "Where to write")
  Path html;

  @Override
  public Integer call() {
    if ((run == null) == (fromAudit == null)) {
      throw new UserError("give either a run id or --from-audit FILE, not both or neither");
    }
    if (runId.runId != null && fromAudit != null) {
      throw new UserError("--run-id picks a run of RUN: give it with a run id, not --from-audit");
    }
    if (publicKey != null && fromAudit == null) {
      throw new UserError("--public-key checks an export: give it with --from-audit FILE");
    }
    RunReport report;
    if (fromAudit != null) {
      AuditFile file;
      try {
        file =
            AuditFile.read(
                fromAudit, publicKey == null ? null : AuditSigning.readPublicKey(publicKey));
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      }
      report = RunReport.of(file.runId(), file.entries(), null, file.verification());
    } else {
      WorkflowClient client = temporal.connect();
      JournalReader.Journal journal = JournalReader.read(client, runId, run);
      if (journal.open()) {
        SharedAppRemediationWorkflow wf =
            runId.stub(client, SharedAppRemediationWorkflow.class, run);
        report =
            RunReport.of(run, entries(journal.entries()), wf.progress().outcome().name(), live());
      } else {
        RecoveredJournal closed = journal.closed();
        report =
            RunReport.of(
                run,
                entries(closed.entries()),
                closed.outcome() != null ? closed.outcome() : closed.closedAs(),
                fromHistory(closed));
      }
    }
    write(report, html);
    spec.commandLine()
        .getOut()
        .println(
            "wrote the report of "
                + (report.runId() == null || report.runId().isBlank()
                    ? (fromAudit != null ? fromAudit.getFileName().toString() : run)
                    : "run " + report.runId())
                + " to "
                + html);
    spec.commandLine().getOut().println("audit: " + report.verification().summary());
    return 0;
  }

  /** The journal as the report reads it. */
  static List<Entry> entries(List<AuditEntry> audit) {
    return audit.stream().map(e -> Entry.of(JSON.valueToTree(e))).toList();
  }

  static Verification live() {
    return Verification.of(
        new Verification.Check(
            "hash chain",
            Verification.State.NOT_CHECKED,
            "read from the run itself, which Temporal keeps; export it with abafix audit RUN"
                + " --out FILE to give it a chain, and report on that file with --from-audit"));
  }

  /**
   * A closed run's journal, read from its history: its chain is the run's own (not checked here, as
   * for a live run), and whether it is whole is a check of its own, FAILED for a terminated run's,
   * naming what could not be recovered.
   */
  static Verification fromHistory(RecoveredJournal closed) {
    Verification.Check chain =
        new Verification.Check(
            "hash chain",
            Verification.State.NOT_CHECKED,
            "read from the run's history in Temporal; export it with abafix audit RUN --out FILE"
                + " and report on that file with --from-audit to check its chain");
    List<String> missing = new ArrayList<>(closed.missing());
    closed.unrecorded().forEach(step -> missing.add(step.describe()));
    Verification.Check whole =
        closed.complete()
            ? new Verification.Check(
                "completeness",
                Verification.State.PASSED,
                "the whole journal, read from " + closed.source().words())
            : new Verification.Check(
                "completeness",
                Verification.State.FAILED,
                "INCOMPLETE: "
                    + closed.entries().size()
                    + " records, read from "
                    + closed.source().words()
                    + "; missing: "
                    + String.join("; ", missing));
    return Verification.of(chain, whole);
  }

  static void write(RunReport report, Path file) {
    write(report, file, false);
  }

  /** The same, marked as the lab's when {@code simulation} (a demo, a rehearsal). */
  static void write(RunReport report, Path file, boolean simulation) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      Files.writeString(
          file, HtmlReport.render(report, Instant.now(), simulation), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + file, e);
    }
  }
}
