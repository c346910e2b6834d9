package io.abafix.cli;

import io.abafix.workflows.SharedAppRemediationWorkflow;
import io.abafix.workflows.audit.AuditEntry;
import java.io.PrintWriter;
import java.nio.file.Path;
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
    description = "Print a run's journal, or export it as hash-chained JSON Lines.")
final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin TemporalOptions temporal;

  @Parameters(paramLabel = "RUN", description = "The run's workflow id")
  String run;

  @Option(names = "--out", description = "Write JSON Lines to this file")
  Path out;

  @Option(names = "--jsonl", description = "Print JSON Lines instead of the readable form")
  boolean jsonl;

  @Override
  public Integer call() {
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
}
