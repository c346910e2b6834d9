package io.abafix.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The {@code abafix} command line. */
@Command(
    name = "abafix",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix demo",
      "  abafix remediate --tenant contoso.onmicrosoft.com --server SERVERA \\",
      "      --server SERVERB --credential-ref \\",
      "      'clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml' \\",
      "      --dry-run"
    },
    version = "abafix 0.1.0",
    description =
        "Fixes Entra Connect Sync application-based authentication, one durable workflow at a time.",
    subcommands = {
      DemoCommand.class,
      RemediateCommand.class,
      CaptureCommand.class,
      RehearseCommand.class,
      StatusCommand.class,
      AuditCommand.class,
      ReportCommand.class,
      DecisionCommand.Approve.class,
      DecisionCommand.Reject.class,
      CancelCommand.class,
      ConfirmCommand.class,
      KeygenCommand.class,
      InitCommand.class,
      BenchCommand.class,
      DiagnoseCommand.class,
      RepairCommand.class,
      SetupCommand.class,
      ListCommand.class,
      CodecServerCommand.class,
      HelpCommand.class
    })
public final class Abafix {

  public static void main(String[] args) {
    // The terminal is for what abafix means to say: the adapters' INFO lines are for workers' logs.
    if (System.getProperty("abafix.log.level") == null
        && System.getenv("ABAFIX_LOG_LEVEL") == null) {
      System.setProperty("abafix.log.level", "WARN");
    }
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests. */
  public static CommandLine commandLine() {
    return commandLine(CommandLine.defaultFactory());
  }

  /** The command line with its commands built by {@code factory}, e.g. with a test's lab. */
  static CommandLine commandLine(CommandLine.IFactory factory) {
    return new CommandLine(new Abafix(), factory)
        .setExecutionExceptionHandler(new ErrorHandler())
        .setCaseInsensitiveEnumValuesAllowed(true);
  }
}
