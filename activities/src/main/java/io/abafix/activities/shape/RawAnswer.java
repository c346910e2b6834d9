package io.abafix.activities.shape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The result of a script in format 1: {@code {"reads":[{"name","command","output":[...]} or
 * {"name","command","error":{"type","errorId","message"}}]}}.
 */
public final class RawAnswer {
  private final String script;
  private final Map<String, RawRead> reads;

  private RawAnswer(String script, Map<String, RawRead> reads) {
    this.script = script;
    this.reads = reads;
  }

  /**
   * @param script the script's file name, for messages
   * @throws ShapeException when {@code result} is not in that form
   */
  public static RawAnswer parse(String script, JsonNode result) {
    JsonNode list = result == null ? null : result.get("reads");
    if (list == null || !list.isArray()) {
      throw ShapeException.of(script, "an answer without a list of reads", "{\"reads\":[...]}");
    }
    Map<String, RawRead> reads = new LinkedHashMap<>();
    for (JsonNode r : list) {
      String name = r.path("name").asText("");
      String command = r.path("command").asText("");
      if (name.isEmpty() || command.isEmpty() || reads.containsKey(name)) {
        throw ShapeException.of(script, "a read without a unique name and command", "named reads");
      }
      RawError error = null;
      JsonNode e = r.get("error");
      if (e != null && !e.isNull()) {
        error = RawError.of(e, e.path("message").asText(null));
      }
      List<JsonNode> output = new ArrayList<>();
      JsonNode o = r.get("output");
      if (o != null && o.isArray()) o.forEach(output::add);
      else if (o != null && !o.isNull()) output.add(o);
      reads.put(name, new RawRead(name, command, output, error));
    }
    return new RawAnswer(script, reads);
  }

  /**
   * The read of that name.
   *
   * @throws ShapeException when the script did not make it
   */
  public RawRead read(String name) {
    RawRead r = reads.get(name);
    if (r == null) {
      throw ShapeException.of(script, "reads " + reads.keySet(), "a read named " + name);
    }
    return r;
  }

  public boolean has(String name) {
    return reads.containsKey(name);
  }

  public List<String> names() {
    return List.copyOf(reads.keySet());
  }
}
