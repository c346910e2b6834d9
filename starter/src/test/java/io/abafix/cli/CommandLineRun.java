package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of the {@code abafix} command line with its output captured. */
record CommandLineRun(int exitCode, String out, String err) {

  static CommandLineRun of(String... args) {
    return with(CommandLine.defaultFactory(), args);
  }

  /** A run whose commands are built by {@code factory}, e.g. a demo over a lab the test keeps. */
  static CommandLineRun with(CommandLine.IFactory factory, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Abafix.commandLine(factory);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CommandLineRun(code, out.toString(), err.toString());
  }

  /**
   * Refused as bad input is: this exit code, exactly one line on stderr that mentions each of
   * {@code mentions}, and nothing on stdout (where a started run would print its id).
   */
  void assertRefused(int expectedExitCode, String... mentions) {
    assertEquals(expectedExitCode, exitCode, err);
    assertEquals(1, err.lines().count(), "exactly one line on stderr: " + err);
    assertTrue(err.startsWith("abafix: "), err);
    assertEquals("", out, "nothing on stdout");
    for (String m : mentions) assertTrue(err.contains(m), "mentions " + m + ": " + err);
  }
}
