package io.abafix.cli;

import io.temporal.testserver.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Temporal's own in-memory server, bound to a loopback port: a real gRPC frontend for a first run
 * and for the demo. It keeps nothing across its own restart.
 */
public final class EmbeddedTemporal implements AutoCloseable {
  private final TestServer.PortBoundTestServer server;
  private final int port;

  // Time skipping stays locked: the demo and the CLI run in real time, like a real cluster.
  private EmbeddedTemporal(TestServer.PortBoundTestServer server, int port) {
    this.server = server;
    this.port = port;
  }

  /** Starts on {@code port}, or on a free port when {@code port} is 0. */
  public static EmbeddedTemporal start(int port) {
    int chosen = port == 0 ? freePort() : port;
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(chosen, true);
    TimerLockEvents.installIn(server)
        .ifPresent(
            why ->
                org.slf4j.LoggerFactory.getLogger(EmbeddedTemporal.class)
                    .warn(
                        "the embedded Temporal server keeps its own lock-event list, whose cost"
                            + " grows with every step it has run: {}",
                        why));
    return new EmbeddedTemporal(server, chosen);
  }

  /**
   * The server's clock, which skips ahead only when asked ({@link SkippedTime#sleep}): what a
   * rehearsal waits out in full (a propagation, a person's delay) takes no real time.
   */
  public SkippedTime time() {
    return new SkippedTime(address());
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.close();
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free loopback port for the embedded Temporal server", e);
    }
  }
}
