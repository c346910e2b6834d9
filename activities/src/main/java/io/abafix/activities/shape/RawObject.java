package io.abafix.activities.shape;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One object a cmdlet returned, as the scripts' {@code ConvertTo-AbafixRaw} writes it: {@code
 * {"types":[...],"properties":[{"name","type","value"}]}}, where a value is a JSON scalar, a list,
 * or a nested object of the same form; an object past the depth limit is {@code
 * {"types":[...],"text":"..."}}. Property names are matched exactly, as PowerShell prints them.
 *
 * <p>Also the builder the lab uses to answer in the same format.
 */
public final class RawObject {
  private final List<String> types;
  private final Map<String, JsonNode> properties;
  private final Map<String, String> errors;
  private final String text;

  private RawObject(
      List<String> types,
      Map<String, JsonNode> properties,
      Map<String, String> errors,
      String text) {
    this.types = List.copyOf(types);
    this.properties = properties;
    this.errors = errors;
    this.text = text;
  }

  /** Whether {@code node} has the raw object form. */
  public static boolean isObject(JsonNode node) {
    return node != null && node.isObject() && node.has("types");
  }

  /**
   * Reads one raw object.
   *
   * @throws ShapeException when {@code node} is not in the raw object form
   */
  public static RawObject parse(String command, JsonNode node) {
    if (!isObject(node) || !node.get("types").isArray()) {
      throw ShapeException.of(command, "a value that is not an object: " + brief(node), "objects");
    }
    List<String> types = new ArrayList<>();
    node.get("types").forEach(t -> types.add(t.asText()));
    Map<String, JsonNode> properties = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    JsonNode list = node.get("properties");
    if (list != null && list.isArray()) {
      for (JsonNode p : list) {
        String name = p.path("name").asText();
        if (p.has("error")) errors.put(name, p.get("error").asText());
        properties.put(name, p.has("value") ? p.get("value") : JsonNodeFactory.instance.nullNode());
      }
    }
    JsonNode text = node.get("text");
    return new RawObject(types, properties, errors, text == null ? null : text.asText());
  }

  /** The object's type names, most derived first. */
  public List<String> types() {
    return types;
  }

  /** Every property name, in the order PowerShell listed them. */
  public List<String> names() {
    return List.copyOf(properties.keySet());
  }

  public boolean has(String name) {
    return properties.containsKey(name);
  }

  /** The property's value; empty when there is no such property. */
  public Optional<JsonNode> value(String name) {
    return Optional.ofNullable(properties.get(name));
  }

  /** The error a property's getter threw, if it threw. */
  public Optional<String> error(String name) {
    return Optional.ofNullable(errors.get(name));
  }

  /** What PowerShell printed for an object past the depth limit; null otherwise. */
  public String text() {
    return text;
  }

  /**
   * A property that must be there and hold text (or null).
   *
   * @throws ShapeException when it is missing or holds something else
   */
  public String string(String command, String name) {
    JsonNode v = require(command, name, "text");
    if (v.isNull()) return null;
    if (!v.isValueNode()) throw wrongType(command, name, v, "text");
    return v.asText();
  }

  /** A property that must be there and hold true or false. */
  public boolean bool(String command, String name) {
    JsonNode v = require(command, name, "true or false");
    if (!v.isBoolean()) throw wrongType(command, name, v, "true or false");
    return v.booleanValue();
  }

  /** A property that may be missing (older builds) but holds true or false when there. */
  public Optional<Boolean> optionalBool(String command, String name) {
    if (!has(name)) return Optional.empty();
    return Optional.of(bool(command, name));
  }

  /** A property that must be there and hold a whole number. */
  public long number(String command, String name) {
    JsonNode v = require(command, name, "a whole number");
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw wrongType(command, name, v, "a whole number");
    }
    return v.longValue();
  }

  /** A property that must be there and hold a list (null counts as empty). */
  public List<JsonNode> list(String command, String name) {
    JsonNode v = require(command, name, "a list");
    if (v.isNull()) return List.of();
    if (isObject(v)) return List.of(v);
    if (!v.isArray()) throw wrongType(command, name, v, "a list");
    List<JsonNode> out = new ArrayList<>();
    v.forEach(out::add);
    return out;
  }

  private JsonNode require(String command, String name, String what) {
    JsonNode v = properties.get(name);
    if (v == null) {
      throw ShapeException.of(command, describe(), "a property " + name + " holding " + what);
    }
    return v;
  }

  private ShapeException wrongType(String command, String name, JsonNode v, String what) {
    return ShapeException.of(
        command, describe() + ", where " + name + " is " + brief(v), name + " holding " + what);
  }

  /** "type Foo with properties A, B, C", for messages. */
  public String describe() {
    return "type "
        + (types.isEmpty() ? "(none)" : types.get(0))
        + " with properties "
        + (properties.isEmpty() ? "(none)" : String.join(", ", properties.keySet()));
  }

  private static String brief(JsonNode node) {
    String s = String.valueOf(node);
    return s.length() <= 120 ? s : s.substring(0, 120) + "...";
  }

  /** Starts an object in the raw format, for answering like a server (the lab). */
  public static Builder builder(String... types) {
    return new Builder(types);
  }

  /** Builds a raw object the way {@code ConvertTo-AbafixRaw} writes one. */
  public static final class Builder {
    private final ObjectNode node = JsonNodeFactory.instance.objectNode();
    private final ArrayNode properties;

    private Builder(String... types) {
      ArrayNode t = node.putArray("types");
      for (String type : types) t.add(type);
      properties = node.putArray("properties");
    }

    private ObjectNode property(String name, String type) {
      return properties.addObject().put("name", name).put("type", type);
    }

    public Builder string(String name, String value) {
      property(name, "System.String").put("value", value);
      return this;
    }

    public Builder bool(String name, boolean value) {
      property(name, "System.Boolean").put("value", value);
      return this;
    }

    public Builder number(String name, long value) {
      property(name, "System.Int64").put("value", value);
      return this;
    }

    /** A property whose value is already raw (a nested object, a list, or a scalar). */
    public Builder value(String name, String type, JsonNode value) {
      property(name, type).set("value", value);
      return this;
    }

    /** A list of raw objects. */
    public Builder list(String name, String type, List<ObjectNode> items) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      items.forEach(a::add);
      return value(name, type, a);
    }

    public ObjectNode build() {
      return node;
    }
  }
}
