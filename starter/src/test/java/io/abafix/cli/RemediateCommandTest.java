package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** {@code abafix remediate}: bad input is refused before anything is started. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RemediateCommandTest {

  @Test
  void a_server_name_windows_could_not_have_is_refused_in_one_line_with_exit_code_2() {
    CommandLineRun run =
        CommandLineRun.of(
            "remediate", "--tenant", "contoso.onmicrosoft.com", "--server", "SERVER;A");

    assertEquals(2, run.exitCode(), run.err());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().startsWith("abafix: "), run.err());
    assertTrue(run.err().contains("SERVER;A"), run.err());
    assertEquals("", run.out(), "nothing was started");
  }
}
