package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.fail;

import io.abafix.lab.temporal.TemporalDevServer;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Temporal's own server for a suite, or the reason there is none: without the Temporal CLI the
 * suite is skipped with one line saying how to get it, except in CI ({@code CI=true}), where a
 * missing binary fails it.
 */
final class RealTemporal {
  private RealTemporal() {}

  static boolean inCi() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  /** The Temporal CLI, or the test is skipped (fails in CI). */
  static Path cli() {
    Optional<Path> cli = TemporalDevServer.findCli();
    if (cli.isEmpty()) {
      String why = "no Temporal CLI: " + TemporalDevServer.HOW_TO_ENABLE;
      if (inCi()) fail(why);
      Assumptions.abort(why);
    }
    return cli.get();
  }

  /** A dev server on a database file in {@code dir}, with abafix's search attributes. */
  static TemporalDevServer start(Path dir) throws Exception {
    return TemporalDevServer.start(cli(), dir.resolve("temporal.db"), dir.resolve("logs"));
  }
}
