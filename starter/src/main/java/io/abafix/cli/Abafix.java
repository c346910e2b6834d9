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
      DiagnoseCommand.class,
      RemediateCommand.class,
      RepairCommand.class,
      StatusCommand.class,
      ListCommand.class,
      DecisionCommand.Approve.class,
      DecisionCommand.Reject.class,
      ConfirmCommand.class,
      CancelCommand.class,
      AuditCommand.class,
      ReportCommand.class,
      CaptureCommand.class,
      RehearseCommand.class,
      HelpCommand.class,
      InitCommand.class,
      KeygenCommand.class,
      SetupCommand.class,
      CodecServerCommand.class,
      BenchCommand.class
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
    CommandLine cl =
        new CommandLine(new Abafix(), factory)
            .setExecutionExceptionHandler(new ErrorHandler())
            .setParameterExceptionHandler(Abafix::badArguments)
            .setCaseInsensitiveEnumValuesAllowed(true);
    cl.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, Abafix::commands);
    return cl;
  }

  /** What deploys or develops abafix, listed apart from what an administrator runs. */
  static final java.util.Set<String> DEPLOYMENT =
      java.util.Set.of("init", "keygen", "setup", "codec-server", "bench");

  private static String commands(CommandLine.Help help) {
    java.util.Map<String, CommandLine.Help> all = help.subcommands();
    java.util.Map<String, CommandLine.Help> administration = new java.util.LinkedHashMap<>();
    java.util.Map<String, CommandLine.Help> deployment = new java.util.LinkedHashMap<>();
    all.forEach(
        (name, h) -> (DEPLOYMENT.contains(name) ? deployment : administration).put(name, h));
    return help.commandList(administration)
        + String.format("%nDeployment and development:%n")
        + help.commandList(deployment);
  }

  /**
   * A mistyped command line: one line that starts with {@code abafix:}, the way to the command's
   * help, exit 2. The whole usage is for {@code --help}, not for a typo.
   */
  private static int badArguments(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    java.io.PrintWriter err = cmd.getErr();
    String message = String.valueOf(e.getMessage());
    err.println("abafix: " + (message.startsWith("Error: ") ? message.substring(7) : message));
    err.println("  see: " + cmd.getCommandSpec().qualifiedName() + " --help");
    err.flush();
    return ErrorHandler.BAD_INPUT;
  }
}
