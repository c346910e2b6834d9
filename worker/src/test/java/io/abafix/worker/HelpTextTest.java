package io.abafix.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
 * Every command's help renders as written: a description with a bare {@code %} (a Windows variable
 * such as %SystemRoot%) makes picocli print a warning instead of the text it was meant to format.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HelpTextTest {

  @Test
  void every_command_help_renders_without_a_format_warning() {
    CommandLine root = WorkerMain.commandLine((address, role, out) -> 0, LocalMachine.current());
    List<CommandLine> all = new ArrayList<>();
    collect(root, all);
    PrintStream original = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      for (CommandLine c : all) c.getUsageMessage();
    } finally {
      System.setErr(original);
    }
    assertEquals("", err.toString(StandardCharsets.UTF_8), "help of " + all.size() + " commands");
  }

  private static void collect(CommandLine c, List<CommandLine> into) {
    into.add(c);
    c.getSubcommands().values().forEach(s -> collect(s, into));
  }
}
