package io.abafix.cli;

import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.audit.AuditSigning;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code abafix audit RUN}: the run's journal, on screen or as hash-chained JSON Lines. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix audit abafix-remediation-contoso.onmicrosoft.com --out \\",
      "      audit.jsonl"
    },
    description = "Print a run's journal, or export it as hash-chained, signed JSON Lines.",
    subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Callable<Integer> {
  /** Exit code of {@code audit verify} when the file fails. */
  static final int TAMPERED = 7;

  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(paramLabel = "RUN", arity = "0..1", description = "The run's workflow id")
  String run;

  @Option(names = "--out", description = "Write JSON Lines to this file")
  Path out;

  @Option(names = "--jsonl", description = "Print JSON Lines instead of the readable form")
  boolean jsonl;

  @Override
  public Integer call() {
    if (run == null) throw new UserError("name a run: abafix audit RUN, or abafix audit verify");
    List<AuditEntry> entries =
        temporal.connect().newWorkflowStub(SharedAppRemediationWorkflow.class, run).audit();
    PrintWriter w = spec.commandLine().getOut();
    if (out != null) {
      AuditExport.write(entries, out);
      w.println("wrote " + entries.size() + " entries to " + out);
    } else if (jsonl) {
      AuditExport.lines(entries).forEach(w::println);
    } else {
      entries.forEach(e -> w.println(Render.entry(e)));
    }
    return 0;
  }

  /** {@code abafix audit verify FILE --public-key K}: checks an export, offline. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      footerHeading = "%nExample:%n",
      footer = {"  abafix audit verify audit.jsonl --public-key audit-signing.key.pub"},
      description = {
        "Check an exported journal: every record in order and unchanged, every digest signed by"
            + " the orchestrator's key, and the run's closing digest at the end.",
        "Exit 0 when intact, " + TAMPERED + " naming the first bad record otherwise."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The export (abafix audit RUN --out FILE)")
    Path file;

    @Option(
        names = "--public-key",
        required = true,
        paramLabel = "K",
        description = "The orchestrator's audit public key (FILE.pub of keygen --audit-signing)")
    Path publicKey;

    @Override
    public Integer call() {
      PublicKey key;
      List<String> lines;
      try {
        key = AuditSigning.readPublicKey(publicKey);
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      } catch (IOException e) {
        throw new UserError("cannot read " + file + ": " + e.getMessage());
      }
      AuditExport.Verification v = AuditExport.verify(lines, key);
      if (v.intact()) {
        spec.commandLine().getOut().println(file + ": " + v.message());
        return 0;
      }
      spec.commandLine().getErr().println("abafix: " + file + ": " + v.message());
      return TAMPERED;
    }
  }
}
