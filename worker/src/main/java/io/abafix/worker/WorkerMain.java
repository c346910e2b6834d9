package io.abafix.worker;

import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.activities.graph.GraphDirectoryConfig;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code abafix-worker}: one process per worker role.
 *
 * <pre>
 * abafix-worker server --name SERVERA      on each Entra Connect server
 * abafix-worker directory --tenant-id ...  anywhere that reaches Microsoft Graph
 * abafix-worker orchestrator               anywhere
 * </pre>
 *
 * Each role reads the Temporal connection from the standard environment (TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*), polls its task queue and runs until
 * SIGTERM or SIGINT.
 */
@Command(
    name = "abafix-worker",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {"  abafix-worker server --name SERVERA --address temporal.contoso.com:7233"},
    version = "abafix-worker 0.1.0",
    description = "Runs one abafix worker role until stopped.",
    subcommands = {
      ServerCommand.class,
      DirectoryCommand.class,
      OrchestratorCommand.class,
      CommandLine.HelpCommand.class
    })
public final class WorkerMain implements Callable<Integer> {

  public static void main(String[] args) {
    System.exit(commandLine(new WorkerProcess(), LocalMachine.current()).execute(args));
  }

  /**
   * The configured command line. The role commands get their dependencies by constructor; picocli
   * creates one of each while building the model, which loads their classes but nothing they name
   * only in method bodies (such as the Graph SDK behind {@link DirectoryCommand}).
   */
  static CommandLine commandLine(Launcher launcher, LocalMachine machine) {
    return commandLine(launcher, machine, IdTokenVerifier::forEntra, UnaryOperator.identity());
  }

  /**
   * The command line with what only the lab's test entry point changes.
   *
   * @param keys builds the approval verifier for the configured trust: with Entra ID's published
   *     keys in production; the lab's test entry point passes its own key source
   * @param directoryWiring finishes the directory worker's Graph configuration: the identity in
   *     production
   */
  static CommandLine commandLine(
      Launcher launcher,
      LocalMachine machine,
      Function<ApprovalTrust, IdTokenVerifier> keys,
      UnaryOperator<GraphDirectoryConfig> directoryWiring) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          @SuppressWarnings("unchecked")
          public <K> K create(Class<K> cls) throws Exception {
            if (cls == ServerCommand.class) return (K) new ServerCommand(launcher, machine, keys);
            if (cls == DirectoryCommand.class)
              return (K) new DirectoryCommand(launcher, machine, keys, directoryWiring);
            if (cls == OrchestratorCommand.class)
              return (K) new OrchestratorCommand(launcher, machine);
            return defaults.create(cls);
          }
        };
    ErrorHandler errors = new ErrorHandler();
    return new CommandLine(new WorkerMain(), factory)
        .setExecutionExceptionHandler(errors)
        .setParameterExceptionHandler(errors);
  }

  @Override
  public Integer call() {
    throw new UserError(
        "name a role: server, directory or orchestrator (see abafix-worker --help)");
  }
}
