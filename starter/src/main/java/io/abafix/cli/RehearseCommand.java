package io.abafix.cli;

import io.abafix.cli.rehearsal.CaptureRefused;
import io.abafix.cli.rehearsal.FleetCaptureFile;
import io.abafix.cli.rehearsal.RehearsalFile;
import io.abafix.cli.rehearsal.RehearsalTiming;
import io.abafix.cli.report.RunReport;
import io.abafix.workflows.audit.AuditEntry;
import io.abafix.workflows.model.OperatorTask;
import io.abafix.workflows.model.Outcome;
import io.abafix.workflows.model.PendingApproval;
import io.abafix.workflows.plan.StepName;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix rehearse}: runs the remediation a real run would make, on a lab built from a
 * capture, in one process, and says what the real run will do: its journal, the approvals and
 * operator steps it will wait for, how long each server's sync stays paused, the final state and
 * the plan's digest. Writes the rehearsal for {@code abafix remediate --rehearsed}.
 */
@Command(
    name = "rehearse",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {"  abafix rehearse --capture fleet.json --html rehearsal.html"},
    description =
        "Rehearse the remediation on a lab copy of a captured fleet (abafix capture); exit code 0"
            + " when the real run would succeed.")
final class RehearseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--capture", required = true, description = "The capture (abafix capture)")
  Path capture;

  @Option(
      names = "--operator-step",
      split = ",",
      description =
          "As for abafix remediate (default REVERT_TO_SERVICE_ACCOUNT,ROTATE_CERTIFICATE,CONFIGURE_ABA; NONE automates"
              + " every step); the real run must use the same")
  List<String> operatorSteps;

  @Option(
      names = "--credential-ref",
      defaultValue = "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml",
      description =
          "The credential reference the real run will give (default ${DEFAULT-VALUE}); the lab"
              + " resolves it on every server")
  String credentialReference;

  @Option(
      names = "--out",
      description =
          "Where to write the rehearsal for remediate --rehearsed (default: the capture's name"
              + " with .rehearsal.json)")
  Path out;

  @Option(names = "--html", description = "Also write the run's report (as abafix report does)")
  Path html;

  @Option(
      names = "--approval-delay-minutes",
      defaultValue = "5",
      description = "How long the rehearsal's approver takes to answer (default ${DEFAULT-VALUE})")
  long approvalDelayMinutes;

  @Option(
      names = "--operator-delay-minutes",
      defaultValue = "10",
      description =
          "How long an operator step takes the operator, e.g. the wizard (default"
              + " ${DEFAULT-VALUE})")
  long operatorDelayMinutes;

  @Option(
      names = "--latency-scale",
      defaultValue = "" + RehearsalTiming.DEFAULT_SCALE,
      description =
          "Steps run at 1/this of their typical length (default ${DEFAULT-VALUE}); waits run in"
              + " full on skipped time")
  int latencyScale;

  @Override
  public Integer call() {
    if (latencyScale < 1) throw new UserError("--latency-scale must be 1 or more");
    if (approvalDelayMinutes < 0 || operatorDelayMinutes < 0) {
      throw new UserError("the delays must not be negative");
    }
    List<StepName> steps = RemediateCommand.operatorSteps(operatorSteps);
    Rehearsal.Result r;
    FleetCaptureFile.CapturedFleet fleet;
    try {
      fleet = FleetCaptureFile.read(capture);
      r =
          Rehearsal.run(
              fleet,
              new Rehearsal.Options(
                  credentialReference,
                  steps,
                  Duration.ofMinutes(approvalDelayMinutes),
                  Duration.ofMinutes(operatorDelayMinutes),
                  latencyScale));
    } catch (CaptureRefused e) {
      throw new UserError("cannot rehearse " + capture + ": " + e.getMessage());
    }
    PrintWriter o = spec.commandLine().getOut();
    Path file = out != null ? out : beside(capture);
    print(r, fleet, latencyScale, o);
    if (r.plan() != null && r.outcome() != Outcome.FAILED) {
      toFile(r, fleet).write(file);
      o.println("rehearsal written to " + file + "; run it for real:");
      o.println(
          "  abafix remediate --rehearsed "
              + file
              + " --credential-ref '"
              + credentialReference
              + "' --follow");
    }
    if (html != null) {
      ReportCommand.write(
          RunReport.of(
              r.runId(),
              ReportCommand.entries(r.audit()),
              r.outcome().name(),
              ReportCommand.live()),
          html,
          true);
      o.println("report: " + html);
    }
    o.flush();
    return switch (r.outcome()) {
      case SUCCEEDED -> 0;
      case NOTHING_TO_DO -> ErrorHandler.NOTHING_TO_FIX;
      default -> ErrorHandler.RUN_FAILED;
    };
  }

  static RehearsalFile toFile(Rehearsal.Result r, FleetCaptureFile.CapturedFleet fleet) {
    return RehearsalFile.of(
        fleet.tenant(),
        r.request().servers(),
        r.request().operatorSteps(),
        r.outcome().name(),
        fleet.capturedAt().toString(),
        r.facts(),
        r.audit(),
        r.end());
  }

  /** The default rehearsal file: {@code fleet.json} gives {@code fleet.rehearsal.json}. */
  static Path beside(Path capture) {
    String name = capture.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return capture.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".rehearsal.json");
  }

  static void print(
      Rehearsal.Result r, FleetCaptureFile.CapturedFleet fleet, int scale, PrintWriter o) {
    o.println(
        "rehearsal of "
            + fleet.tenant()
            + " ("
            + String.join(", ", fleet.serverNames())
            + "), captured "
            + fleet.capturedAt()
            + ", on a lab copy of it; nothing real is touched");
    o.println(
        "  steps at 1/"
            + scale
            + " of their typical length; the propagation ("
            + RehearsalTiming.PROPAGATION.toMinutes()
            + " min), approvals and operator steps waited out in full on skipped time");
    o.println("journal:");
    for (AuditEntry e : r.audit()) Render.followed(e).forEach(o::println);
    o.println("approvals the real run will ask for, all before any scheduler is paused:");
    if (r.approvals().isEmpty()) o.println("  none");
    for (PendingApproval a : r.approvals()) o.println("  " + a.gate() + ": " + a.description());
    if (!r.operatorSteps().isEmpty()) {
      o.println("operator steps it will wait for (abafix confirm):");
      for (OperatorTask t : r.operatorSteps()) o.println("  " + t.gate());
    }
    o.println("predicted sync-paused window per server:");
    if (r.predictedPausedMillis().isEmpty()) o.println("  no scheduler is paused");
    r.predictedPausedMillis()
        .forEach(
            (server, millis) ->
                o.println(
                    String.format(
                        "  %-10s about %s (%s here, steps at 1/%d)",
                        server, minutes(millis), minutes(r.pausedMillis().get(server)), scale)));
    o.println("final state:");
    r.finalState().forEach(line -> o.println("  " + line));
    o.println("plan digest: " + (r.planDigest() == null ? "(no plan)" : r.planDigest()));
    o.println(
        "outcome: "
            + r.outcome()
            + ": "
            + r.message()
            + (r.succeeded()
                ? " (the real run would succeed)"
                : " (the real run would not succeed)"));
  }

  private static String minutes(long millis) {
    Duration d = Duration.ofMillis(millis);
    return d.toMinutes() + " min " + d.toSecondsPart() + " s";
  }
}
