package io.abafix.worker;

import io.abafix.activities.graph.GraphDirectoryConfig;
import java.util.concurrent.Callable;
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
    return commandLine(launcher, machine, UnaryOperator.identity());
  }

  /**
   * The command line with the directory worker's Graph configuration finished by {@code
   * directoryWiring}: only the lab's test entry point passes anything but the identity.
   */
  static CommandLine commandLine(
      Launcher launcher,
      LocalMachine machine,
      UnaryOperator<GraphDirectoryConfig> directoryWiring) {
    CommandLine.IFactory defaults = CommandLine.defaultFactory();
    CommandLine.IFactory factory =
        new CommandLine.IFactory() {
          @Override
          @SuppressWarnings("unchecked")
          public <K> K create(Class<K> cls) throws Exception {
            if (cls == ServerCommand.class) return (K) new ServerCommand(launcher, machine);
            if (cls == DirectoryCommand.class)
              return (K) new DirectoryCommand(launcher, machine, directoryWiring);
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
