package io.abafix.lab.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/**
 * The lab follows the vendor: every behaviour the fake Entra ID and Graph implement is a row of
 * {@code graph-behaviours.json} with Microsoft's page and words, and the fake names its row where
 * it implements it.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class GraphBehavioursTableTest {
  private static final Path FAKES = Path.of("src/main/java/io/abafix/lab/graph");
  private static final Pattern CITE = Pattern.compile("cite\\(\\s*\"([^\"]+)\"\\s*\\)");
  private static final Pattern ROUTE =
      Pattern.compile("new Route\\(\\s*([A-Z_]+|op\\.get\\(\\)),\\s*([^,]+),", Pattern.DOTALL);
  private static final Pattern SIGN_IN_ROW = Pattern.compile("-> \"(signin\\.[^\"]+)\"");

  @Test
  void every_row_names_a_microsoft_source_and_its_words_or_says_what_else_a_tenant_may_do() {
    assertFalse(Behaviours.table().isEmpty());
    for (Behaviours.Row row : Behaviours.table().values()) {
      assertTrue(row.source().startsWith("https://"), row.id() + ": " + row.source());
      assertFalse(row.behaviour().isBlank(), row.id());
      if (row.documented()) {
        assertFalse(row.quote().isBlank(), row.id() + " is documented but quotes nothing");
      } else {
        assertTrue(
            row.variants() != null && !row.variants().isBlank(),
            row.id() + " is not documented and names no variants");
      }
    }
  }

  @Test
  void every_behaviour_the_fakes_cite_has_a_row() throws IOException {
    Set<String> cited = new TreeSet<>();
    for (String source : fakeSources()) {
      Matcher m = CITE.matcher(source);
      while (m.find()) cited.add(m.group(1));
      Matcher q = SIGN_IN_ROW.matcher(source);
      while (q.find()) cited.add(q.group(1));
      Matcher r = ROUTE.matcher(source);
      while (r.find()) {
        String behaviour = r.group(2).strip();
        if (behaviour.startsWith("\"")) cited.add(behaviour.substring(1, behaviour.length() - 1));
      }
    }
    assertTrue(cited.size() > 20, "the fakes cite their rows: " + cited);
    List<String> missing = new ArrayList<>();
    for (String id : cited) if (!Behaviours.table().containsKey(id)) missing.add(id);
    assertEquals(List.of(), missing, "cited without a row in graph-behaviours.json");
  }

  @Test
  void every_route_of_the_fake_names_its_row() throws IOException {
    String fake = Files.readString(FAKES.resolve("FakeMicrosoftEntra.java"));
    Matcher m = ROUTE.matcher(fake);
    int routes = 0;
    while (m.find()) {
      routes++;
      String behaviour = m.group(2).strip();
      assertTrue(
          behaviour.startsWith("\"") || behaviour.startsWith("FakeSignIn.behaviour("),
          "a route without its row: " + m.group());
    }
    assertTrue(routes >= 15, "found the routes: " + routes);
  }

  @Test
  void a_behaviour_without_a_row_cannot_be_served() {
    try {
      Behaviours.cite("graph.something-microsoft-never-said");
    } catch (IllegalStateException expected) {
      assertTrue(expected.getMessage().contains("graph-behaviours.json"));
      return;
    }
    throw new AssertionError("an uncited behaviour was accepted");
  }

  private static List<String> fakeSources() throws IOException {
    try (Stream<Path> files = Files.list(FAKES)) {
      List<String> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        out.add(Files.readString(f));
      }
      return out;
    }
  }
}
