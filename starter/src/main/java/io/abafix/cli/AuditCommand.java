package io.abafix.cli;

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

/**
 * {@code abafix audit RUN}: the run's journal, on screen or as hash-chained JSON Lines. A closed
 * run's is read from Temporal's history, with no worker up; a terminated run's as far as it went,
 * and the output says what is missing.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix audit abafix-remediation-contoso.onmicrosoft.com --out \\",
      "      audit.jsonl"
    },
    description = {
      "Print a run's journal, or export it as hash-chained, signed JSON Lines.",
      "A closed run's journal is read from Temporal's history, with no worker up; a terminated"
          + " run's as far as it went, followed by INCOMPLETE and what could not be recovered (on"
          + " stderr with --jsonl)."
    },
    subcommands = AuditCommand.Verify.class)
final class AuditCommand implements Callable<Integer> {
  /** Exit code of {@code audit verify} when the file fails. */
  static final int TAMPERED = 7;

  /**
   * Exit code of {@code audit verify} without a key, when every other check passed: the file is
   * consistent, and nothing says who wrote it.
   */
  static final int NOT_VERIFIED = 8;

  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;
  @Mixin RunIdOption runId;

  @Parameters(paramLabel = "RUN", arity = "0..1", description = "The run's workflow id")
  String run;

  @Option(names = "--out", description = "Write JSON Lines to this file")
  Path out;

  @Option(names = "--jsonl", description = "Print JSON Lines instead of the readable form")
  boolean jsonl;

  @Override
  public Integer call() {
    if (run == null) throw new UserError("name a run: abafix audit RUN, or abafix audit verify");
    JournalReader.Journal journal = JournalReader.read(temporal.connect(), runId, run);
    List<AuditEntry> entries = journal.entries();
    List<String> incomplete = JournalReader.incompleteness(journal.closed());
    PrintWriter w = spec.commandLine().getOut();
    if (out != null) {
      AuditExport.write(entries, out);
      w.println("wrote " + entries.size() + " entries to " + out);
      incomplete.forEach(w::println);
    } else if (jsonl) {
      AuditExport.lines(entries).forEach(w::println);
      // Standard output stays JSON Lines; what is missing is said beside it.
      incomplete.forEach(spec.commandLine().getErr()::println);
    } else {
      entries.forEach(e -> w.println(Render.entry(e)));
      incomplete.forEach(w::println);
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
        "Exit 0 when intact, "
            + TAMPERED
            + " naming the first bad record otherwise. Without --public-key every check but the"
            + " signatures runs, and a file that passes them exits "
            + NOT_VERIFIED
            + ": signatures NOT VERIFIED, nothing proven."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The export (abafix audit RUN --out FILE)")
    Path file;

    @Option(
        names = "--public-key",
        paramLabel = "K",
        description =
            "The orchestrator's audit public key (FILE.pub of keygen --audit-signing): without it"
                + " the signatures are not verified")
    Path publicKey;

    @Option(
        names = "--expect-workflow",
        paramLabel = "ID",
        description =
            "Fail unless the journal is the one of this workflow id (a file and key swapped"
                + " together still name their own run)")
    String expectWorkflow;

    @Option(
        names = "--expect-key-id",
        paramLabel = "KEY_ID",
        description =
            "Fail unless the journal was signed by the key with this id (or its first 12 or more"
                + " characters), as the orchestrator printed it: a journal re-signed with another"
                + " key passes with that key's .pub, not with this")
    String expectKeyId;

    @Override
    public Integer call() {
      if (expectKeyId != null && publicKey == null) {
        throw new UserError(
            "--expect-key-id is checked against the key the signatures verify with: give"
                + " --public-key K too");
      }
      PublicKey key;
      List<String> lines;
      try {
        key = publicKey == null ? null : AuditSigning.readPublicKey(publicKey);
        // A blank line (an editor's trailing newline) is no record and no tampering.
        lines =
            Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
      } catch (IllegalArgumentException e) {
        throw new UserError(e.getMessage());
      } catch (IOException e) {
        throw new UserError("cannot read " + file + ": " + e.getMessage());
      }
      AuditExport.Verification v = AuditExport.verify(lines, key);
      if (!v.intact()) {
        spec.commandLine().getErr().println("abafix: " + file + ": " + v.message());
        return TAMPERED;
      }
      AuditExport.Signer claimed =
          AuditExport.signerOfLines(lines)
              .orElse(new AuditExport.Signer("(unnamed)", "(unnamed)", null));
      String mismatch = null;
      if (expectWorkflow != null && !expectWorkflow.trim().equals(claimed.workflowId())) {
        mismatch =
            "it is the journal of workflow "
                + claimed.workflowId()
                + ", not the expected "
                + expectWorkflow.trim();
      } else if (key != null && expectKeyId != null) {
        String keyId = AuditSigning.keyId(key);
        if (expectKeyId.trim().length() < 12
            || !keyId.startsWith(expectKeyId.trim().toLowerCase(java.util.Locale.ROOT))) {
          mismatch = "it was signed by key " + keyId + ", not the expected " + expectKeyId.trim();
        }
      }
      if (mismatch != null) {
        spec.commandLine().getErr().println("abafix: " + file + ": " + mismatch);
        return TAMPERED;
      }
      if (key == null) {
        // Whose journal it claims to be, and nothing about who wrote it: the message says so.
        spec.commandLine()
            .getOut()
            .println(
                file
                    + ": "
                    + v.message()
                    + "; it names workflow "
                    + claimed.workflowId()
                    + ", run "
                    + claimed.runId());
        return NOT_VERIFIED;
      }
      // The key that verified the signatures is the signer, whatever the digests call it.
      AuditExport.Signer signer =
          new AuditExport.Signer(claimed.workflowId(), claimed.runId(), AuditSigning.keyId(key));
      spec.commandLine()
          .getOut()
          .println(
              file
                  + ": "
                  + v.message()
                  + "; "
                  + signer.describe()
                  + " ("
                  + publicKey.getFileName()
                  + ")");
      return 0;
    }
  }
}
