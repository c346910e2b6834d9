package io.abafix.worker;

import io.abafix.activities.TaskQueues;
import io.abafix.activities.model.ServerNames;
import io.abafix.activities.policy.ServerWorkerPolicy;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.activities.powershell.PowerShellScript;
import io.abafix.activities.powershell.PowerShellSyncServerHost;
import io.abafix.activities.powershell.ProcessPowerShellRunner;
import io.abafix.worker.watch.TemporalIncidentReporter;
import io.abafix.worker.watch.WatcherOptions;
import io.abafix.workflows.incident.IncidentConfig;
import io.temporal.worker.Worker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix-worker server --name SERVERA}: the per-server worker. It runs on the Entra Connect
 * server it is named for, polls {@code abafix-server-<name>}, and runs the shipped PowerShell
 * scripts there. It never touches Microsoft Graph, and never loads its classes.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = {
      "Run the steps of one Entra Connect server, on that server, with PowerShell.",
      "Polls abafix-server-<name>. Run it as a dedicated account that is a local administrator"
          + " and a member of ADSyncAdmins."
    })
final class ServerCommand implements Callable<Integer> {
  /**
   * The longest a script may run. The workflows give a server step ten minutes (StartToClose, in
   * the workflows module's StepOptions): a script allowed longer would still be running when
   * Temporal gives its attempt up and schedules the next one.
   */
  static final int MAX_SCRIPT_TIMEOUT_MINUTES = 10;

  private static final Set<String> POWERSHELL_NAMES =
      Set.of("powershell.exe", "powershell", "pwsh", "pwsh.exe");

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions temporal;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "SERVER",
      description = "This server's computer name, as the remediation names it")
  String name;

  @Option(
      names = "--powershell",
      paramLabel = "EXE",
      defaultValue = ProcessPowerShellRunner.WINDOWS_POWERSHELL,
      description =
          "powershell.exe (Windows PowerShell 5.1, the default), pwsh, or the path to either")
  String powershell;

  @Option(
      names = "--script-timeout-minutes",
      paramLabel = "N",
      description =
          "Time limit for every script, 1 to "
              + MAX_SCRIPT_TIMEOUT_MINUTES
              + " (default: each script's own)")
  Integer scriptTimeoutMinutes;

  @Option(
      names = "--watch-tenant",
      paramLabel = "TENANT",
      description =
          "Also watch this server's event log and state and report AADSTS700027 (event 906), blank"
              + " ABA parameters and certificate expiry (1011/1012) to TENANT's incident workflow")
  String watchTenant;

  @Option(
      names = "--fleet",
      split = ",",
      paramLabel = "SERVER",
      description =
          "With --watch-tenant: every Entra Connect server of the tenant, for the diagnosis")
  List<String> fleet;

  @Option(
      names = "--credential-ref",
      paramLabel = "REF",
      description =
          "With --watch-tenant: the credential reference a remediation the incident starts uses")
  String credentialReference;

  @Option(
      names = "--watch-interval-seconds",
      defaultValue = "60",
      paramLabel = "N",
      description = "With --watch-tenant: how often to look (default ${DEFAULT-VALUE})")
  long watchIntervalSeconds;

  @Option(
      names = "--watch-state",
      paramLabel = "FILE",
      description =
          "With --watch-tenant: where the watcher remembers what it reported (default:"
              + " C:\\ProgramData\\abafix\\watcher-<server>.json, or ./watcher-<server>.json off Windows)")
  Path watchState;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "What this worker allows: module folders with their files' SHA-256, the pinned"
              + " Gallery version, and the credential names it maps to CLIXML files (JSON; see"
              + " README). Without it, no module source and no credential reference is accepted")
  Path policyFile;

  private final Launcher launcher;
  private final LocalMachine machine;

  ServerCommand(Launcher launcher, LocalMachine machine) {
    this.launcher = launcher;
    this.machine = machine;
  }

  @Override
  public Integer call() {
    String server = ServerNames.check(name);
    checkPowerShell();
    Map<PowerShellScript, Duration> timeouts = timeouts();
    WatcherOptions watch = watchOptions(server);
    checkThisIsTheServer(server);
    ServerWorkerPolicy policy = policy();

    ProcessPowerShellRunner runner = new ProcessPowerShellRunner(powershell);
    SyncServerHost host = new PowerShellSyncServerHost(server, runner, timeouts, policy);
    return launcher.run(
        temporal.address,
        f -> {
          Worker worker = Workers.server(f, host);
          if (watch != null) {
            IncidentConfig incident =
                new IncidentConfig(watch.tenant(), fleet, credentialReference, null, null, null);
            // Runs on its own thread beside the worker, for as long as the process lives.
            Workers.watcher(
                    host, new TemporalIncidentReporter(f.getWorkflowClient(), incident), watch)
                .start();
          }
          return worker;
        },
        spec.commandLine().getOut());
  }

  /** The watcher's settings, or null when this worker does not watch. Checked before starting. */
  private ServerWorkerPolicy policy() {
    if (policyFile == null) return ServerWorkerPolicy.none();
    try {
      return ServerWorkerPolicy.load(policyFile);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  private WatcherOptions watchOptions(String server) {
    if (watchTenant == null) {
      if (fleet != null || credentialReference != null || watchState != null) {
        throw new UserError("--fleet, --credential-ref and --watch-state go with --watch-tenant");
      }
      return null;
    }
    if (!watchTenant.matches("[A-Za-z0-9.-]+")) {
      throw new UserError("--watch-tenant " + watchTenant + " is not a domain name");
    }
    if (fleet == null || fleet.isEmpty()) {
      throw new UserError("--watch-tenant needs --fleet: every Entra Connect server of the tenant");
    }
    try {
      ServerNames.checkFleet(fleet);
    } catch (IllegalArgumentException e) {
      throw new UserError("--fleet: " + e.getMessage());
    }
    if (fleet.stream().noneMatch(server::equalsIgnoreCase)) {
      throw new UserError("--fleet must include this server, " + server);
    }
    if (watchIntervalSeconds < 5) {
      throw new UserError("--watch-interval-seconds must be at least 5");
    }
    Path state =
        watchState != null
            ? watchState
            : machine.isWindows()
                ? Path.of(
                    "C:\\ProgramData\\abafix",
                    "watcher-" + server.toLowerCase(Locale.ROOT) + ".json")
                : Path.of("watcher-" + server.toLowerCase(Locale.ROOT) + ".json");
    return new WatcherOptions(watchTenant, Duration.ofSeconds(watchIntervalSeconds), state, null);
  }

  private void checkPowerShell() {
    boolean isPath = powershell.contains("/") || powershell.contains("\\");
    if (isPath) {
      Path exe = Path.of(powershell);
      if (!Files.isRegularFile(exe) || !Files.isExecutable(exe)) {
        throw new UserError("--powershell " + powershell + " is not an executable file");
      }
    } else if (!POWERSHELL_NAMES.contains(powershell.toLowerCase(Locale.ROOT))) {
      throw new UserError(
          "--powershell must be powershell.exe, pwsh, or the path to either (got "
              + powershell
              + ")");
    }
  }

  private Map<PowerShellScript, Duration> timeouts() {
    Map<PowerShellScript, Duration> timeouts = new EnumMap<>(PowerShellScript.class);
    if (scriptTimeoutMinutes == null) return timeouts;
    if (scriptTimeoutMinutes < 1 || scriptTimeoutMinutes > MAX_SCRIPT_TIMEOUT_MINUTES) {
      throw new UserError(
          "--script-timeout-minutes must be 1 to "
              + MAX_SCRIPT_TIMEOUT_MINUTES
              + ", the time the workflows give one server step (got "
              + scriptTimeoutMinutes
              + ")");
    }
    for (PowerShellScript s : PowerShellScript.values()) {
      timeouts.put(s, Duration.ofMinutes(scriptTimeoutMinutes));
    }
    return timeouts;
  }

  /**
   * A server worker started under another server's name would change the wrong server. The scripts
   * refuse too, but only once a step runs; refusing here keeps the worker from polling at all.
   */
  private void checkThisIsTheServer(String server) {
    var err = spec.commandLine().getErr();
    if (!machine.isWindows()) {
      err.println(
          "abafix-worker: warning: this is not Windows. The server role runs PowerShell scripts"
              + " that need Entra Connect on this machine: every step sent to "
              + TaskQueues.forServer(server)
              + " will fail here.");
      err.flush();
      return;
    }
    String computer = machine.computerName();
    if (computer == null || !computer.equalsIgnoreCase(server)) {
      throw new UserError(
          "this computer is "
              + (computer == null ? "unnamed (COMPUTERNAME is not set)" : computer)
              + ", not "
              + server
              + ": run the worker for "
              + server
              + " on "
              + server
              + " itself, with --name %COMPUTERNAME%");
    }
  }
}
