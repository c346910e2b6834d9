package io.abafix.activities.shape;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One read of a script's answer: a named cmdlet call and either what it returned or how it failed.
 *
 * @param name the read's name in the script, e.g. {@code scheduler}
 * @param command the cmdlet, e.g. {@code Get-ADSyncScheduler}
 * @param output the objects it returned (raw JSON values); empty when it failed or returned nothing
 * @param error how it failed; null when it did not
 */
public record RawRead(String name, String command, List<JsonNode> output, RawError error) {
  public RawRead {
    output = output == null ? List.of() : List.copyOf(output);
  }

  public boolean failed() {
    return error != null;
  }

  /** The returned values that are objects, parsed; anything else is a shape failure. */
  public List<RawObject> objects() {
    List<RawObject> out = new ArrayList<>();
    for (JsonNode n : output) out.add(RawObject.parse(command, n));
    return out;
  }

  /**
   * The one object the cmdlet returned.
   *
   * @throws ShapeException when it returned none or several
   */
  public RawObject single() {
    List<RawObject> objects = objects();
    if (objects.size() != 1) {
      throw ShapeException.of(command, objects.size() + " objects", "exactly one object");
    }
    return objects.get(0);
  }
}
