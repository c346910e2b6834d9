package io.abafix.lab.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The table of what the fake Entra ID and Graph do and which Microsoft page says so ({@code
 * graph-behaviours.json} beside this class). The fake names a row wherever it implements that
 * behaviour, so a behaviour without a source cannot be served.
 */
final class Behaviours {
  static final String RESOURCE = "graph-behaviours.json";

  /** One behaviour and its source. */
  record Row(
      String id,
      String behaviour,
      String source,
      String quote,
      boolean documented,
      String variants) {}

  private static final Map<String, Row> TABLE = load();

  private Behaviours() {}

  /**
   * @return {@code id}
   * @throws IllegalStateException when the table has no such row
   */
  static String cite(String id) {
    if (!TABLE.containsKey(id)) {
      throw new IllegalStateException(
          "the fake implements '" + id + "', which has no row in " + RESOURCE);
    }
    return id;
  }

  static Map<String, Row> table() {
    return TABLE;
  }

  private static Map<String, Row> load() {
    try (InputStream in = Behaviours.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException(RESOURCE + " is missing");
      Map<String, Row> rows = new LinkedHashMap<>();
      for (JsonNode r : new ObjectMapper().readTree(in).path("behaviours")) {
        Row row =
            new Row(
                r.path("id").asText(),
                r.path("behaviour").asText(),
                r.path("source").asText(),
                r.path("quote").asText(),
                r.path("documented").asBoolean(false),
                r.path("variants").asText(null));
        if (rows.put(row.id(), row) != null) {
          throw new IllegalStateException(RESOURCE + " has two rows " + row.id());
        }
      }
      return Map.copyOf(rows);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
