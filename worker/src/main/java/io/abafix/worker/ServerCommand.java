package io.abafix.worker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.activities.TaskQueues;
import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.activities.model.ServerNames;
import io.abafix.activities.policy.ServerWorkerPolicy;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.activities.powershell.PowerShellScript;
import io.abafix.activities.powershell.PowerShellSyncServerHost;
import io.abafix.activities.powershell.ProcessPowerShellRunner;
import io.abafix.activities.powershell.ServerCapture;
import io.abafix.worker.watch.TemporalIncidentReporter;
import io.abafix.worker.watch.WatcherOptions;
import io.abafix.workflows.incident.IncidentConfig;
import io.temporal.worker.Worker;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix-worker server --name SERVERA}: the per-server worker. It runs on the Entra Connect
 * server it is named for, polls {@code abafix-server-<name>@<tenant>}, and runs the shipped
 * PowerShell scripts there. It never touches Microsoft Graph, and never loads its classes.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix-worker server --name SERVERA --tenant contoso.onmicrosoft.com --watch-tenant \\",
      "      contoso.onmicrosoft.com --fleet SERVERA,SERVERB --credential-ref \\",
      "      'clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml'"
    },
    description = {
      "Run the steps of one Entra Connect server, on that server, with PowerShell.",
      "Polls abafix-server-<name>@<tenant>. Run it as a dedicated account that is a local administrator"
          + " and a member of ADSyncAdmins."
    })
final class ServerCommand implements Callable<Integer> {
  /**
   * The longest a script may run. The workflows give a server step ten minutes (StartToClose, in
   * the workflows module's StepOptions): a script allowed longer would still be running when
   * Temporal gives its attempt up and schedules the next one.
   */
  static final int MAX_SCRIPT_TIMEOUT_MINUTES = 10;

  /**
   * Windows PowerShell 5.1 under the system folder. By absolute path, never a name looked up on
   * PATH; ADSync loads in Windows PowerShell, and PowerShell 7 ({@code pwsh}) would need {@code
   * -UseWindowsPowerShell}, so it is not offered.
   */
  static final String WINDOWS_POWERSHELL = "System32\\WindowsPowerShell\\v1.0\\powershell.exe";

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions temporal;
  @Mixin ApprovalOptions approvals;

  @Option(
      names = "--name",
      required = true,
      paramLabel = "SERVER",
      description = "This server's computer name, as the remediation names it")
  String name;

  @Option(
      names = "--tenant",
      paramLabel = "TENANT",
      description =
          "The tenant this server syncs, as requests name it (its tenant id or initial domain):"
              + " the worker takes that tenant's steps only (default: --watch-tenant)")
  String tenant;

  @Option(
      names = "--drain-tenant-blind-queue",
      description =
          "Also poll abafix-server-<name>, the queue of runs started before queues carried the"
              + " tenant, until they have finished")
  boolean drainTenantBlindQueue;

  @Option(
      names = "--powershell",
      paramLabel = "PATH",
      description =
          "The absolute path of the PowerShell to run the scripts with (default: the 64-bit Windows"
              + " PowerShell 5.1, %%SystemRoot%%\\System32\\WindowsPowerShell\\v1.0\\powershell.exe)")
  String powershell;

  @Option(
      names = "--certificate-sha256",
      paramLabel = "HASH",
      description =
          "The SHA-256 hash (64 hex) of the certificate provided for ABA on this server (BYOC, in"
              + " the LOCAL_MACHINE store): lets certificate rotation and ABA configuration run"
              + " unattended. Without it those steps are operator steps, and automating them is"
              + " refused. Not the SHA-1 thumbprint.")
  String certificateSha256;

  @Option(
      names = "--script-folder",
      paramLabel = "DIR",
      description =
          "Where the scripts are written before they run (default: scripts beside the worker's"
              + " jar, in its install folder; never %%TEMP%%). Only the worker's account and"
              + " administrators may write there.")
  Path scriptFolder;

  @Option(
      names = "--capture",
      paramLabel = "FILE",
      description = {
        "Run only the read-only scripts (Get-AbafixServerState.ps1, and Get-AbafixEvents.ps1 for"
            + " the newest "
            + ServerCapture.EVENTS
            + " entries), write what they answered to FILE (format "
            + ServerCapture.FORMAT
            + ": each script's input, exit code, stdout and stderr) and exit. Changes nothing and"
            + " does not connect to Temporal.",
        "The file holds the server's name, machine id, versions, scheduler settings, the Entra"
            + " connector's name, user name (an app id or Sync_...@tenant) and ABA parameters, and"
            + " the newest Directory Synchronization event messages; no password or key"
            + " (encrypted connector parameters are never written). Read it before sharing it; the"
            + " docs/server-side.md says how to turn it into a fixture."
      })
  Path capture;

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
      names = "--check",
      description = {
        "Check this worker's whole configuration and exit, without connecting to Temporal: the"
            + " server's name, the PowerShell (absolute, 64-bit Windows PowerShell), the policy"
            + " file and every credential file it names (readable by this account), whose"
            + " approvals it trusts and their signing keys (the sign-in host reachable), its"
            + " approval ledger, the scripts (all written into the script folder, where an"
            + " administrator can sign them), and the ADSync module (a read-only script on this"
            + " server).",
        "Prints one line per check, ok or what to do; exits 0 when all pass, 2 otherwise."
            + " The installer runs it last."
      })
  boolean check;

  @Option(
      names = "--policy",
      paramLabel = "FILE",
      description =
          "What this worker allows: module folders with their files' SHA-256, the pinned"
              + " Gallery version, and the credential names it maps to CLIXML files (JSON; see"
              + " docs/deployment.md). Without it, no module source and no credential reference is accepted")
  Path policyFile;

  private final Launcher launcher;
  private final LocalMachine machine;
  private final Function<ApprovalTrust, IdTokenVerifier> keys;

  ServerCommand(
      Launcher launcher, LocalMachine machine, Function<ApprovalTrust, IdTokenVerifier> keys) {
    this.launcher = launcher;
    this.machine = machine;
    this.keys = keys;
  }

  @Override
  public Integer call() {
    if (check) return check();
    String server = ServerNames.check(name);
    Map<PowerShellScript, Duration> timeouts = timeouts();
    WatcherOptions watch = watchOptions(server);
    String hash = certificateHash();
    if (machine.isWindows()) checkThisIsTheServer(server);
    String executable = powerShell();
    if (!machine.isWindows()) checkThisIsTheServer(server);
    ServerWorkerPolicy policy = policy();

    ProcessPowerShellRunner runner = new ProcessPowerShellRunner(executable, scripts());
    if (capture != null) return capture(server, runner);
    // A capture changes nothing, so it needs no tenant or approver trust; a worker does.
    String tenantKey = tenant(watch);
    ApprovalGuard guard = approvals.guard(keys, "server-" + name);
    SyncServerHost host = new PowerShellSyncServerHost(server, runner, timeouts, hash, policy);
    return launcher.run(
        temporal,
        f -> {
          Worker worker = Workers.server(f, tenantKey, host, guard);
          if (drainTenantBlindQueue) Workers.serverDraining(f, host, guard);
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

  /** One check of {@code --check}: null when it passes, else what to do. */
  private interface Check {
    String run() throws Exception;
  }

  /**
   * {@code --check}: each part of the configuration on its own line, all of them even when one
   * fails, so one run names everything to fix.
   */
  private int check() {
    var out = spec.commandLine().getOut();
    int failed = 0;
    String[] server = new String[1];
    String[] executable = new String[1];
    ServerWorkerPolicy[] policy = new ServerWorkerPolicy[1];
    Map<String, Check> checks = new java.util.LinkedHashMap<>();
    checks.put(
        "server name",
        () -> {
          server[0] = ServerNames.check(name);
          checkThisIsTheServer(server[0]);
          return null;
        });
    checks.put(
        "PowerShell",
        () -> {
          executable[0] = powerShell();
          return machine.isWindows() || powershell != null
              ? null
              : "not Windows: the scripts need Windows PowerShell 5.1 and Entra Connect's ADSync"
                  + " module, on the server itself";
        });
    checks.put(
        "policy",
        () -> {
          if (policyFile == null) {
            return "no --policy FILE: this worker would accept no credential reference and no"
                + " module source, so every revert and ADSyncTools install would be refused;"
                + " the installer writes one (see docs/deployment.md, the policy file)";
          }
          policy[0] = policy();
          List<String> unreadable = new java.util.ArrayList<>();
          policy[0]
              .credentialFiles()
              .forEach(
                  (ref, file) -> {
                    if (!machine.readable(file)) unreadable.add(ref + " -> " + file);
                  });
          return unreadable.isEmpty()
              ? null
              : "credential files this account cannot read: "
                  + String.join(", ", unreadable)
                  + " (write each as this worker's account, on this server: Get-Credential |"
                  + " Export-Clixml FILE)";
        });
    checks.put(
        "approvers",
        () -> {
          approvals.guard(keys, "server-" + name);
          return null;
        });
    checks.put(
        "scripts",
        () -> {
          Path folder =
              new ProcessPowerShellRunner(
                      executable[0] == null ? "powershell" : executable[0], scripts())
                  .writeAll();
          spec.commandLine().getOut().println("      written to " + folder + " (sign them there)");
          return null;
        });
    checks.put(
        "ADSync module",
        () -> {
          if (executable[0] == null || !machine.isWindows()) return "not checked: no PowerShell";
          new PowerShellSyncServerHost(
                  server[0] == null ? name : server[0],
                  new ProcessPowerShellRunner(executable[0], scripts()),
                  timeouts(),
                  null,
                  policy[0] == null ? ServerWorkerPolicy.none() : policy[0])
              .inspect();
          return null;
        });
    for (Map.Entry<String, Check> c : checks.entrySet()) {
      String problem;
      try {
        problem = c.getValue().run();
      } catch (UserError | HostException | IllegalArgumentException e) {
        problem = e.getMessage();
      } catch (Exception e) {
        problem = e.getClass().getSimpleName() + ": " + e.getMessage();
      }
      if (problem == null) {
        out.println("ok    " + c.getKey());
      } else {
        failed++;
        out.println("FAIL  " + c.getKey() + ": " + problem);
      }
    }
    out.flush();
    return failed == 0 ? 0 : ErrorHandler.BAD_INPUT;
  }

  /** What this worker's configuration allows; nothing when it names no policy file. */
  private ServerWorkerPolicy policy() {
    if (policyFile == null) return ServerWorkerPolicy.none();
    try {
      return ServerWorkerPolicy.load(machine.file(policyFile.toString()));
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
  }

  /** The tenant whose steps this worker takes: --tenant, else --watch-tenant. */
  private String tenant(WatcherOptions watch) {
    String named = tenant != null ? tenant : watch == null ? null : watch.tenant();
    if (named == null) {
      throw new UserError(
          "--tenant is missing: name the tenant this server syncs (its tenant id or initial"
              + " domain, as requests name it)");
    }
    if (tenant != null && watch != null && !tenant.equalsIgnoreCase(watch.tenant())) {
      throw new UserError(
          "--tenant " + tenant + " and --watch-tenant " + watch.tenant() + " name two tenants");
    }
    try {
      TaskQueues.tenantKey(named);
    } catch (IllegalArgumentException e) {
      throw new UserError("--tenant: " + e.getMessage());
    }
    return named;
  }

  /** The watcher's settings, or null when this worker does not watch. Checked before starting. */
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

  /**
   * The PowerShell executable, by absolute path. On Windows a 32-bit Java would start the SysWOW64
   * PowerShell, where HKLM\\SOFTWARE is redirected: refused.
   */
  private String powerShell() {
    if (powershell == null) {
      if (!machine.isWindows()) {
        // Off Windows nothing can run the scripts; the warning below says so.
        return "powershell.exe";
      }
      if (machine.env("PROCESSOR_ARCHITEW6432") != null) {
        throw new UserError(
            "this is a 32-bit Java on 64-bit Windows: its PowerShell sees a redirected"
                + " HKLM\\SOFTWARE. Run the worker with a 64-bit Java");
      }
      String root = machine.env("SystemRoot");
      if (root == null) throw new UserError("SystemRoot is not set: name --powershell PATH");
      return root + "\\" + WINDOWS_POWERSHELL;
    }
    if (!machine.isAbsolute(powershell) || !machine.executable(powershell)) {
      throw new UserError(
          "--powershell must be the absolute path of an executable file, not "
              + powershell
              + (machine.isAbsolute(powershell) ? " (no such executable)" : " (a relative path)")
              + ": give it as the installer does, e.g. %SystemRoot%\\"
              + WINDOWS_POWERSHELL
              + ", or leave it out for that default");
    }
    String lower = powershell.toLowerCase(Locale.ROOT).replace('/', '\\');
    if (machine.isWindows() && lower.contains("\\syswow64\\")) {
      throw new UserError(
          "--powershell "
              + powershell
              + " is the 32-bit PowerShell: it sees a redirected HKLM\\SOFTWARE and no ADSync"
              + " module; use %SystemRoot%\\"
              + WINDOWS_POWERSHELL);
    }
    String file = lower.substring(lower.lastIndexOf('\\') + 1);
    if (file.equals("pwsh") || file.equals("pwsh.exe")) {
      throw new UserError(
          "--powershell: PowerShell 7 loads the ADSync module only through Windows PowerShell;"
              + " use Windows PowerShell 5.1 (the default)");
    }
    return powershell;
  }

  private String certificateHash() {
    if (certificateSha256 == null) return null;
    try {
      return PowerShellSyncServerHost.requireSha256(certificateSha256);
    } catch (HostException e) {
      throw new UserError("--certificate-sha256: " + e.getMessage());
    }
  }

  /** The scripts' folder: given, or {@code scripts} in the worker's install folder. */
  private Path scripts() {
    if (scriptFolder != null) return scriptFolder;
    try {
      Path code =
          Path.of(ServerCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // Beside the jar (install folder), or beside target/classes when run from a build.
      return code.toAbsolutePath().getParent().resolve("scripts");
    } catch (URISyntaxException | RuntimeException e) {
      throw new UserError("cannot tell the worker's install folder: name --script-folder DIR");
    }
  }

  private int capture(String server, ProcessPowerShellRunner runner) {
    ObjectNode captured = ServerCapture.capture(server, runner, Instant.now());
    try {
      Files.writeString(capture, ServerCapture.text(captured), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UserError("cannot write " + capture + ": " + e.getMessage());
    }
    var out = spec.commandLine().getOut();
    out.println(
        "abafix-worker: captured "
            + captured.get("runs").size()
            + " read-only scripts of "
            + server
            + " to "
            + capture);
    out.flush();
    return 0;
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
              + "@<tenant> will fail here.");
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
