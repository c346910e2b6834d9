package io.abafix.lab.process;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One OS process a multi-process suite started, and how to start it again with the same command
 * line. Each start writes its output to a log file of its own ({@code NAME-N.log}), which is what
 * the suite reads to know the process is ready.
 */
public final class ChildProcess {
  private final String name;
  private final ProcessBuilder builder;
  private final Path logDirectory;
  private final boolean keepStdinOpen;
  private Process process;
  private Path log;
  private int generation;

  ChildProcess(String name, ProcessBuilder builder, Path logDirectory, boolean keepStdinOpen) {
    this.name = name;
    this.builder = builder;
    this.logDirectory = logDirectory;
    this.keepStdinOpen = keepStdinOpen;
  }

  public String name() {
    return name;
  }

  public Path log() {
    return log;
  }

  public boolean isAlive() {
    return process != null && process.isAlive();
  }

  void begin() throws IOException {
    generation++;
    log = logDirectory.resolve(name + "-" + generation + ".log");
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    process = builder.start();
    if (!keepStdinOpen) process.getOutputStream().close();
  }

  /** SIGKILL, with whatever the process had started (a running script forwarder, say). */
  public void kill() throws InterruptedException {
    if (process == null) return;
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " did not die");
    }
  }

  /** The same command line again, logging to a new file. */
  public void restart() throws IOException {
    begin();
  }

  /** Waits for a worker's "polling ..." line: it has connected and polls its task queue. */
  public void awaitPolling() throws IOException, InterruptedException {
    awaitLine(l -> l.startsWith("polling "), Duration.ofMinutes(1));
  }

  /** The first line of this start's log that {@code wanted} accepts; fails if the process dies. */
  public String awaitLine(Predicate<String> wanted, Duration within)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < end) {
      Optional<String> line = Files.readAllLines(log).stream().filter(wanted).findFirst();
      if (line.isPresent()) return line.get();
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited " + process.exitValue() + ":\n" + tail());
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException(name + " did not get ready within " + within + ":\n" + tail());
  }

  /** The last 40 lines of this start's log. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Closes stdin (how the lab daemon is told to go), then kills. */
  void stop() {
    if (process == null) return;
    try {
      if (keepStdinOpen) {
        try (OutputStream in = process.getOutputStream()) {
          // Closing is the message.
        } catch (IOException ignored) {
          // Already closed.
        }
      }
      kill();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
