package io.abafix.activities.powershell;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Set;

/**
 * Strict readers for the fields of a script's answer. A field of the wrong type, a missing field or
 * an unexpected one means the script and this adapter disagree about the contract; that is a
 * defect, reported as {@link ContractViolation}.
 */
final class Answers {
  private Answers() {}

  /** The script and the adapter disagree about the contract. */
  static final class ContractViolation extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ContractViolation(String message) {
      super(message);
    }
  }

  static void onlyFields(JsonNode object, Set<String> allowed) {
    requireObject(object, "result");
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!allowed.contains(name)) throw new ContractViolation("unexpected field '" + name + "'");
    }
  }

  static JsonNode requireObject(JsonNode node, String name) {
    if (node == null || !node.isObject()) {
      throw new ContractViolation("'" + name + "' must be a JSON object");
    }
    return node;
  }

  static JsonNode present(JsonNode object, String name) {
    JsonNode value = object.get(name);
    if (value == null) throw new ContractViolation("missing field '" + name + "'");
    return value;
  }

  /** A string that may be null (the script reports null for facts a server does not have). */
  static String optionalString(JsonNode object, String name) {
    JsonNode value = present(object, name);
    if (value.isNull()) return null;
    if (!value.isTextual()) throw new ContractViolation("'" + name + "' must be a string or null");
    return value.textValue();
  }

  static String requireString(JsonNode object, String name) {
    String value = optionalString(object, name);
    if (value == null) throw new ContractViolation("'" + name + "' must not be null");
    return value;
  }

  static boolean requireBoolean(JsonNode object, String name) {
    JsonNode value = present(object, name);
    if (!value.isBoolean()) throw new ContractViolation("'" + name + "' must be true or false");
    return value.booleanValue();
  }

  static long requireLong(JsonNode object, String name) {
    JsonNode value = present(object, name);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new ContractViolation("'" + name + "' must be an integer");
    }
    return value.longValue();
  }
}
