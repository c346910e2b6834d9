package io.abafix.activities.powershell;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs the read-only scripts on this server and keeps what they answered, raw, so that an
 * administrator can turn a real server's answers into fixtures. Changes nothing on the server.
 *
 * <p>Format {@value #FORMAT}: {@code {"format","server","capturedAt","runs":[{"script","input",
 * "exitCode","stdout","stderr"} or {"script","input","failure"}]}}. A later format adds fields; a
 * reader refuses a format it does not know.
 */
public final class ServerCapture {
  /** The capture format this version writes. */
  public static final String FORMAT = "abafix-capture/1";

  /** How many of the newest event-log entries a capture keeps. */
  public static final int EVENTS = 50;

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  /** One line, ASCII only, as the scripts read their input. */
  private static final JsonMapper INPUT =
      JsonMapper.builder()
          .enable(com.fasterxml.jackson.core.json.JsonWriteFeature.ESCAPE_NON_ASCII)
          .build();

  private ServerCapture() {}

  /**
   * Runs every script of {@link PowerShellScript#readOnly()} once.
   *
   * @param server this server's name, as the scripts check it
   * @return the capture; a script that could not run is recorded with why, and the rest still run
   */
  public static ObjectNode capture(String server, PowerShellRunner runner, Instant now) {
    Objects.requireNonNull(runner, "runner");
    ObjectNode out = JSON.createObjectNode();
    out.put("format", FORMAT).put("server", server).put("capturedAt", now.toString());
    ArrayNode runs = out.putArray("runs");
    for (Input in : inputs(server)) {
      ObjectNode run = runs.addObject().put("script", in.script().fileName());
      run.set("input", in.json());
      try {
        PowerShellResult r =
            runner.run(
                in.script(), INPUT.writeValueAsString(in.json()), in.script().defaultTimeout());
        run.put("exitCode", r.exitCode()).put("stdout", r.stdout()).put("stderr", r.stderr());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write a script's input", e);
      } catch (PowerShellRunException e) {
        run.put("failure", e.getMessage())
            .put("stdout", e.partialStdout())
            .put("stderr", e.partialStderr());
      }
    }
    return out;
  }

  /** The capture as the text of its file. */
  public static String text(JsonNode capture) {
    return write(capture) + System.lineSeparator();
  }

  private record Input(PowerShellScript script, ObjectNode json) {}

  private static List<Input> inputs(String server) {
    List<Input> inputs = new ArrayList<>();
    for (PowerShellScript s : PowerShellScript.readOnly()) {
      ObjectNode in = JSON.createObjectNode().put("server", server);
      if (s == PowerShellScript.GET_EVENTS) in.put("afterRecordId", 0).put("maxEntries", EVENTS);
      inputs.add(new Input(s, in));
    }
    return inputs;
  }

  private static String write(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the capture", e);
    }
  }
}
