package io.abafix.lab.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The processes of one multi-process suite: JVMs on the suite's own classpath (the lab daemon, the
 * workers with their real command lines), each logging to {@code logDirectory}. Closing stops them
 * in the reverse of the order they started in.
 */
public final class ProcessGroup implements AutoCloseable {
  private final Path logDirectory;
  private final List<ChildProcess> children = new ArrayList<>();

  public ProcessGroup(Path logDirectory) {
    this.logDirectory = logDirectory;
  }

  /**
   * A JVM on this JVM's classpath running {@code mainClass ARGS}, without the Temporal and abafix
   * settings of this one's environment, plus {@code environment}.
   *
   * @param keepStdinOpen for a process that runs until its stdin closes (the lab daemon), so that
   *     it cannot outlive this JVM
   */
  public ChildProcess java(
      String name,
      String mainClass,
      List<String> args,
      Map<String, String> environment,
      boolean keepStdinOpen)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // These JVMs live for seconds to minutes: start them quickly rather than run them fast.
    command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(command).directory(logDirectory.toFile());
    Map<String, String> env = pb.environment();
    env.keySet().removeIf(k -> k.startsWith("TEMPORAL_") || k.startsWith("ABAFIX_"));
    env.putAll(environment);
    ChildProcess child = new ChildProcess(name, pb, logDirectory, keepStdinOpen);
    children.add(child);
    child.begin();
    return child;
  }

  /** The tail of every process's latest log, for a failure message. */
  public String logs() {
    StringBuilder s = new StringBuilder();
    for (ChildProcess c : children) {
      s.append("\n--- ").append(c.log()).append('\n').append(c.tail());
    }
    return s.toString();
  }

  @Override
  public void close() {
    for (int i = children.size() - 1; i >= 0; i--) children.get(i).stop();
  }
}
