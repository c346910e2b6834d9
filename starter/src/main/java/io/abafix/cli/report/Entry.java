package io.abafix.cli.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One journal entry as the report reads it: the fields every entry has, and every other field it
 * carries (such as the verified identity behind a decision) kept as text, so that the report shows
 * what the journal holds even when the journal learns new fields.
 */
public record Entry(
    int seq,
    String step,
    String target,
    String executor,
    String actor,
    long startedAt,
    long endedAt,
    int attempts,
    String outcome,
    Map<String, String> before,
    Map<String, String> after,
    String detail,
    Map<String, String> other) {

  /** Fields of an export line that the chain adds, or that repeat another field. */
  private static final Set<String> KNOWN =
      Set.of(
          "runId",
          "seq",
          "step",
          "target",
          "executor",
          "actor",
          "startedAt",
          "endedAt",
          "attempts",
          "outcome",
          "before",
          "after",
          "detail",
          "prev",
          "hash",
          "startedAtUtc",
          "endedAtUtc");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Reads an entry from its JSON form: an export line or an {@code AuditEntry} as a tree. */
  public static Entry of(JsonNode node) {
    Map<String, String> other = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      if (KNOWN.contains(f.getKey()) || f.getValue().isNull()) continue;
      other.put(f.getKey(), text(f.getValue()));
    }
    return new Entry(
        node.path("seq").asInt(),
        node.path("step").asText(""),
        node.path("target").asText(""),
        node.path("executor").asText(""),
        node.hasNonNull("actor") ? node.get("actor").asText() : null,
        node.path("startedAt").asLong(),
        node.path("endedAt").asLong(),
        node.path("attempts").asInt(),
        node.path("outcome").asText(""),
        facts(node.path("before")),
        facts(node.path("after")),
        node.hasNonNull("detail") ? node.get("detail").asText() : "",
        other);
  }

  /** Whether this entry undoes something (the run's compensation). */
  public boolean compensation() {
    return "compensation".equals(actor) || "COMPENSATED".equals(outcome);
  }

  /** A person's or a policy's decision: an approval, a rejection, a confirmation. */
  public boolean decision() {
    return step.equals("APPROVAL") || step.equals("CONFIRM") || step.startsWith("CONFIRM_");
  }

  public long durationMillis() {
    return Math.max(0, endedAt - startedAt);
  }

  private static Map<String, String> facts(JsonNode node) {
    Map<String, String> facts = new LinkedHashMap<>();
    if (node == null || !node.isObject()) return facts;
    node.fields().forEachRemaining(f -> facts.put(f.getKey(), text(f.getValue())));
    return facts;
  }

  private static String text(JsonNode value) {
    if (value.isValueNode()) return value.asText();
    try {
      return JSON.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return value.toString();
    }
  }
}
