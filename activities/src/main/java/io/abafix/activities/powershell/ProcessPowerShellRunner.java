package io.abafix.activities.powershell;

import io.abafix.activities.policy.ChildEnvironment;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the shipped scripts as child processes with a fixed command line:
 *
 * <pre>{@code <executable> -NoProfile -NonInteractive -ExecutionPolicy Bypass -File <script path>}
 * </pre>
 *
 * <p>The executable is {@code powershell.exe} (Windows PowerShell 5.1) unless configured otherwise,
 * for example {@code pwsh}. The scripts are copied out of the jar once into a folder private to
 * this process's user and checked against the jar before every run. The JSON input is written to
 * stdin, which is then closed; stdout and stderr are read concurrently so that neither pipe can
 * fill and stall the script. On timeout or interruption the whole process tree is killed. The
 * process gets an allow-listed environment ({@link ChildEnvironment}), never the worker's own.
 *
 * <p>Thread safe: one instance serves every activity thread of a worker.
 */
public final class ProcessPowerShellRunner implements PowerShellRunner {
  /** Windows PowerShell 5.1, present on every supported Entra Connect server. */
  public static final String WINDOWS_POWERSHELL = "powershell.exe";

  /** PowerShell 7, where installed. */
  public static final String POWERSHELL_7 = "pwsh";

  /** The arguments between the executable and the script path; never anything else. */
  public static final List<String> FIXED_ARGUMENTS =
      List.of("-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File");

  private static final Logger log = LoggerFactory.getLogger(ProcessPowerShellRunner.class);

  /** More than any answer needs; the rest is drained and dropped so the pipe never blocks. */
  private static final int STDOUT_LIMIT = 4 * 1024 * 1024;

  private static final int STDERR_LIMIT = 256 * 1024;

  /** How long to wait for the output readers once the process is gone. */
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(5);

  private final String executable;
  private final Path configuredFolder;
  private Path scriptFolder;

  /** Runs the scripts with Windows PowerShell 5.1, extracted to a new private temp folder. */
  public ProcessPowerShellRunner() {
    this(WINDOWS_POWERSHELL);
  }

  /**
   * @param executable {@link #WINDOWS_POWERSHELL}, {@link #POWERSHELL_7}, or a path to either
   */
  public ProcessPowerShellRunner(String executable) {
    this(executable, null);
  }

  /**
   * @param executable {@link #WINDOWS_POWERSHELL}, {@link #POWERSHELL_7}, or a path to either
   * @param scriptFolder where to put the extracted scripts; null for a new private temp folder. A
   *     given folder must be writable only by the worker's account.
   */
  public ProcessPowerShellRunner(String executable, Path scriptFolder) {
    if (executable == null || executable.isBlank()) {
      throw new IllegalArgumentException("the PowerShell executable must be named");
    }
    this.executable = executable;
    this.configuredFolder = scriptFolder;
  }

  /** The executable this runner starts. */
  public String executable() {
    return executable;
  }

  /**
   * The exact command line a run of {@code script} uses. Extracts the scripts when needed.
   *
   * @throws UncheckedIOException when the scripts cannot be written to their folder
   */
  public List<String> commandLine(PowerShellScript script) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(FIXED_ARGUMENTS);
    command.add(extracted(script).toString());
    return List.copyOf(command);
  }

  @Override
  public PowerShellResult run(PowerShellScript script, String stdinJson, Duration timeout) {
    Objects.requireNonNull(script, "script");
    Objects.requireNonNull(stdinJson, "stdinJson");
    Objects.requireNonNull(timeout, "timeout");
    List<String> command = commandLine(script);

    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(command);
      ChildEnvironment.restrict(builder.environment());
      process = builder.start();
    } catch (IOException e) {
      throw new PowerShellRunException(
          PowerShellRunException.Reason.NOT_STARTED,
          "cannot start " + executable + " for " + script.fileName() + ": " + e.getMessage(),
          "",
          "",
          e);
    }
    long started = System.nanoTime();
    Collector stdout = new Collector(process.getInputStream(), STDOUT_LIMIT, script, "stdout");
    Collector stderr = new Collector(process.getErrorStream(), STDERR_LIMIT, script, "stderr");
    stdout.start();
    stderr.start();

    try (OutputStream in = process.getOutputStream()) {
      in.write(stdinJson.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // The script exited (or failed to start PowerShell) before reading its input; its exit code
      // and stderr say why, so carry on and report those.
      log.debug("{}: stdin not fully written: {}", script.fileName(), e.getMessage());
    }

    boolean finished;
    try {
      finished = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      killTree(process);
      Thread.currentThread().interrupt();
      throw new PowerShellRunException(
          PowerShellRunException.Reason.INTERRUPTED,
          script.fileName() + " was interrupted; its processes were killed",
          stdout.text(),
          stderr.text(),
          e);
    }
    if (!finished) {
      killTree(process);
      stdout.awaitEnd(DRAIN_WAIT);
      stderr.awaitEnd(DRAIN_WAIT);
      throw new PowerShellRunException(
          PowerShellRunException.Reason.TIMED_OUT,
          script.fileName() + " did not finish within " + timeout + "; its processes were killed",
          stdout.text(),
          stderr.text(),
          null);
    }
    // A process the script left behind may still hold the pipes open: do not wait for it forever.
    stdout.awaitEnd(DRAIN_WAIT);
    stderr.awaitEnd(DRAIN_WAIT);
    log.debug(
        "{} exited {} after {} ms",
        script.fileName(),
        process.exitValue(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return new PowerShellResult(process.exitValue(), stdout.text(), stderr.text());
  }

  /**
   * Kills the process and everything it started. The descendants are collected first: once the
   * parent is gone they are no longer reachable through it.
   */
  private static void killTree(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.onExit().get(DRAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("process {} did not exit after being killed: {}", process.pid(), e.toString());
      if (e instanceof InterruptedException) Thread.currentThread().interrupt();
    }
  }

  /**
   * The path of {@code script} in the script folder, written from the jar if it is missing or
   * differs. Checked on every run because a long-running worker's temp folder can be swept or
   * tampered with, and a script that is not the shipped one must never run. A script an
   * administrator signed (for an AllSigned execution policy) is the shipped one with an
   * Authenticode block appended: kept as it is, so its signature stays; PowerShell verifies it.
   */
  private final java.util.Set<String> signedLogged = new java.util.HashSet<>();

  /**
   * Writes every shipped script into the script folder now (a signed one is kept), so an
   * administrator can sign them all at once.
   *
   * @return the folder
   */
  public Path writeAll() {
    for (PowerShellScript script : PowerShellScript.values()) extracted(script);
    return scriptFolder();
  }

  private synchronized Path extracted(PowerShellScript script) {
    Path folder = scriptFolder();
    for (String name : List.of(script.fileName(), PowerShellScript.COMMON_FILE)) {
      Path file = folder.resolve(name);
      byte[] shipped = PowerShellScript.readShipped(name);
      try {
        byte[] onDisk = Files.isRegularFile(file) ? Files.readAllBytes(file) : null;
        if (onDisk == null || !ScriptSignature.sameBody(onDisk, shipped)) {
          Files.write(file, shipped);
        } else if (!Arrays.equals(onDisk, shipped) && signedLogged.add(name)) {
          log.info(
              "{} is the shipped script, signed on this server: kept with its signature", file);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
    return folder.resolve(script.fileName());
  }

  private Path scriptFolder() {
    if (scriptFolder != null && Files.isDirectory(scriptFolder)) return scriptFolder;
    try {
      if (configuredFolder != null) {
        scriptFolder = Files.createDirectories(configuredFolder);
      } else if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        scriptFolder =
            Files.createTempDirectory(
                "abafix-ps-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        // On Windows a folder under the user's %TEMP% inherits an ACL that admits only that user,
        // SYSTEM and administrators.
        scriptFolder = Files.createTempDirectory("abafix-ps-");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for the PowerShell scripts", e);
    }
    return scriptFolder;
  }

  /** Reads one output stream to its end on its own thread, keeping at most {@code limit} bytes. */
  private static final class Collector extends Thread {
    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long dropped;

    Collector(InputStream in, int limit, PowerShellScript script, String stream) {
      super("powershell-" + stream + "-" + script.fileName());
      setDaemon(true);
      this.in = in;
      this.limit = limit;
    }

    @Override
    public void run() {
      byte[] buffer = new byte[8192];
      try (in) {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          synchronized (this) {
            int room = Math.max(0, limit - kept.size());
            kept.write(buffer, 0, Math.min(room, n));
            dropped += n - Math.min(room, n);
          }
        }
      } catch (IOException e) {
        // The stream closes under us when the process is killed; what was read so far is kept.
      }
    }

    void awaitEnd(Duration wait) {
      try {
        join(wait.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    synchronized String text() {
      String text = kept.toString(StandardCharsets.UTF_8);
      return dropped == 0 ? text : text + "\n[" + dropped + " more bytes dropped]";
    }
  }
}
