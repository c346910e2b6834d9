package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.fail;

import io.abafix.lab.temporal.TemporalDevServer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * The Temporal CLI for the real-server suite. Without it the suite is skipped, and says once how to
 * enable it; in CI ({@code CI=true}) a missing CLI fails the run instead, so that a build machine
 * that lost it cannot pass by skipping.
 */
final class RealTemporal {
  private static boolean told;

  private RealTemporal() {}

  static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** A dev server on a database file in {@code dir}, with abafix's search attributes. */
  static TemporalDevServer start(Path dir) throws Exception {
    return TemporalDevServer.start(cli(), dir.resolve("temporal.db"), dir.resolve("logs"));
  }

  static Path cli() {
    Optional<Path> cli = TemporalDevServer.findCli();
    if (cli.isPresent()) return cli.get();
    if (inCi()) {
      fail(
          "CI=true and no Temporal CLI for the real-server suite: "
              + TemporalDevServer.HOW_TO_ENABLE);
    }
    String line =
        "real-server suite skipped: no Temporal CLI; to run it: " + TemporalDevServer.HOW_TO_ENABLE;
    tellOnce(line);
    Assumptions.abort(line);
    throw new AssertionError("unreachable");
  }

  /**
   * On the build's console: surefire keeps the tests' own output in report files, and a skipped
   * test's reason shows nowhere else.
   */
  private static synchronized void tellOnce(String line) {
    if (told) return;
    told = true;
    @SuppressWarnings("resource") // the process's own stderr stays open
    PrintStream console =
        new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
    console.println("[WARNING] " + line);
  }
}
