package io.abafix.cli.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Worker JVMs started from their shipped bundles, with the same JVM and the same flags and the same
 * way of starting ({@code java -cp BUNDLE MAIN}) for abafix's and the bare worker, and what the
 * benchmark reads of them: how long until a worker says it polls, and its resident memory.
 */
final class WorkerProcesses {
  private WorkerProcesses() {}

  /** A started worker JVM and how long it took to poll. */
  record Started(Process process, Path log, long startToPollingMillis) {
    long rssKb() {
      return WorkerProcesses.rssKb(process.pid());
    }

    /** Closes stdin (how the bare worker is told to stop), then SIGTERM, then SIGKILL. */
    void stop() throws InterruptedException {
      try (OutputStream in = process.getOutputStream()) {
        // Closing is the message.
      } catch (IOException alreadyClosed) {
        // Gone already.
      }
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  /**
   * Starts {@code java FLAGS -cp CLASSPATH MAIN ARGS} with {@code env} (and no TEMPORAL_ or ABAFIX_
   * settings of this process's own), logging to {@code log}, and waits for its {@code polling }
   * line. Each jar's manifest brings its {@code lib/} folder, as under {@code java -jar}.
   */
  static Started start(
      List<String> jvmFlags,
      List<Path> classpath,
      String mainClass,
      List<String> args,
      Map<String, String> env,
      Path log)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(
        String.join(java.io.File.pathSeparator, classpath.stream().map(Path::toString).toList()));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TEMPORAL_") || k.startsWith("ABAFIX_"));
    pb.environment().putAll(env);
    long begun = System.nanoTime();
    Process process = pb.start();
    long deadline = begun + Duration.ofMinutes(2).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)
          && Files.readAllLines(log).stream().anyMatch(l -> l.startsWith("polling "))) {
        return new Started(process, log, (System.nanoTime() - begun) / 1_000_000);
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            mainClass
                + " exited "
                + process.exitValue()
                + " before polling:\n"
                + Files.readString(log));
      }
      Thread.sleep(5);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        mainClass + " did not poll within 2 minutes:\n" + Files.readString(log));
  }

  /** VmRSS of a process, kB, from /proc. */
  static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the memory of process " + pid + ": " + e, e);
    }
    throw new IllegalStateException("no VmRSS for process " + pid);
  }

  /** Bytes of a bundle: its jar and every file in its lib folder. */
  static long bundleBytes(Path jar) throws IOException {
    long total = Files.size(jar);
    Path lib = jar.resolveSibling("lib");
    try (var files = Files.list(lib)) {
      for (Path f : (Iterable<Path>) files::iterator) total += Files.size(f);
    }
    return total;
  }

  /** Bytes of the jars in a bundle's lib folder whose names start with {@code prefix}. */
  static long libBytes(Path jar, String prefix) throws IOException {
    long total = 0;
    try (var files = Files.list(jar.resolveSibling("lib"))) {
      for (Path f : (Iterable<Path>) files::iterator) {
        if (f.getFileName().toString().startsWith(prefix)) total += Files.size(f);
      }
    }
    return total;
  }

  /** How many jars a bundle's lib folder holds. */
  static int libJars(Path jar) throws IOException {
    try (var files = Files.list(jar.resolveSibling("lib"))) {
      return (int) files.count();
    }
  }
}
