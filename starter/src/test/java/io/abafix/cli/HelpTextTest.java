package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command's help renders as written, at the width it is printed: no picocli format warning,
 * and no example line (the footer) so long that picocli breaks it mid-token, which would hand a
 * person a command that does not run when pasted.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HelpTextTest {

  private static List<CommandLine> all() {
    List<CommandLine> all = new ArrayList<>();
    collect(Abafix.commandLine(), all);
    return all;
  }

  private static void collect(CommandLine c, List<CommandLine> into) {
    into.add(c);
    c.getSubcommands().values().forEach(s -> collect(s, into));
  }

  @Test
  void every_command_help_renders_without_a_format_warning() {
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      for (CommandLine c : all()) c.getUsageMessage();
    } finally {
      System.setErr(original);
    }
    assertEquals("", err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void no_example_is_broken_at_the_width_help_is_printed() {
    List<String> broken = new ArrayList<>();
    for (CommandLine c : all()) {
      int width = c.getUsageHelpWidth();
      for (String line : c.getCommandSpec().usageMessage().footer()) {
        String shown = String.format(line);
        for (String part : shown.split("\\R")) {
          if (part.length() > width) {
            broken.add(c.getCommandName() + " (" + part.length() + " > " + width + "): " + part);
          }
        }
      }
    }
    assertTrue(broken.isEmpty(), String.join("\n", broken));
  }

  @Test
  void the_administrators_commands_come_first_and_deployment_apart() {
    String help = Abafix.commandLine().getUsageMessage();
    int apart = help.indexOf("Deployment and development:");
    assertTrue(apart > 0, help);
    for (String admin : List.of("demo", "remediate", "status", "approve", "cancel", "report")) {
      int at = help.indexOf("\n  " + admin + " ");
      assertTrue(at > 0 && at < apart, admin + " among the administrator's commands:\n" + help);
    }
    for (String dev : Abafix.DEPLOYMENT) {
      assertTrue(help.indexOf("\n  " + dev + " ") > apart, dev + " listed apart:\n" + help);
    }
  }

  @Test
  void a_mistyped_command_line_is_one_line_that_starts_with_abafix() {
    for (String[] args :
        List.of(
            new String[] {"diagnose"}, new String[] {"demo", "--bogus"}, new String[] {"nope"})) {
      CommandLineRun run = CommandLineRun.of(args);
      assertEquals(ErrorHandler.BAD_INPUT, run.exitCode(), run.err());
      List<String> lines = run.err().strip().lines().toList();
      assertTrue(lines.get(0).startsWith("abafix: "), run.err());
      assertTrue(lines.size() <= 2, "no usage dump for a typo:\n" + run.err());
    }
  }
}
