package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Every command's help ends with an example, and every example is a command line that parses. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HelpExamplesTest {

  @Test
  void every_command_has_an_example_in_its_help_and_the_example_parses() {
    List<List<String>> commands = new ArrayList<>();
    walk(Abafix.commandLine(), new ArrayList<>(), commands);
    assertTrue(commands.size() >= 12, "the walk reached every command: " + commands);
    for (List<String> path : commands) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      StringWriter out = new StringWriter();
      CommandLine cli = Abafix.commandLine();
      cli.setOut(new PrintWriter(out, true));
      assertEquals(0, cli.execute(args.toArray(String[]::new)), "abafix " + args);
      String help = out.toString();
      String prefix = ("  abafix " + String.join(" ", path)).stripTrailing();
      List<String> examples = examples(help, prefix);
      assertFalse(examples.isEmpty(), "an example of `abafix " + path + "` in:\n" + help);
      for (String example : examples) {
        List<String> words = Shell.words(example.strip());
        assertEquals("abafix", words.get(0));
        assertDoesNotThrow(
            () ->
                Abafix.commandLine()
                    .parseArgs(words.subList(1, words.size()).toArray(String[]::new)),
            example);
      }
    }
  }

  /** The examples after "Example:" that start with {@code prefix}, continuation lines joined. */
  static List<String> examples(String help, String prefix) {
    List<String> examples = new ArrayList<>();
    StringBuilder current = null;
    boolean inExamples = false;
    for (String line : help.lines().toList()) {
      if (line.equals("Example:")) inExamples = true;
      if (!inExamples) continue;
      if (current != null) {
        current.append(' ').append(line.strip());
      } else if (line.startsWith(prefix + " ") || line.equals(prefix)) {
        current = new StringBuilder(line.strip());
      }
      if (current != null && current.toString().endsWith("\\")) {
        current.setLength(current.length() - 1);
      } else if (current != null) {
        examples.add(current.toString().replaceAll("\\s+", " "));
        current = null;
      }
    }
    return examples;
  }

  /** Every command below {@code cli} except picocli's own {@code help}. */
  static void walk(CommandLine cli, List<String> path, List<List<String>> into) {
    into.add(List.copyOf(path));
    cli.getSubcommands()
        .forEach(
            (name, sub) -> {
              if (sub.getCommand() instanceof CommandLine.HelpCommand) return;
              if (!sub.getCommandName().equals(name)) return; // An alias.
              List<String> next = new ArrayList<>(path);
              next.add(name);
              walk(sub, next, into);
            });
  }

  /** Splits a shell line into words: single and double quotes, no escapes inside single ones. */
  static final class Shell {
    static List<String> words(String line) {
      List<String> words = new ArrayList<>();
      StringBuilder word = null;
      char quote = 0;
      for (char c : line.toCharArray()) {
        if (quote != 0) {
          if (c == quote) quote = 0;
          else word.append(c);
        } else if (c == '\'' || c == '"') {
          quote = c;
          if (word == null) word = new StringBuilder();
        } else if (Character.isWhitespace(c)) {
          if (word != null) words.add(word.toString());
          word = null;
        } else {
          if (word == null) word = new StringBuilder();
          word.append(c);
        }
      }
      if (word != null) words.add(word.toString());
      return words;
    }
  }
}
