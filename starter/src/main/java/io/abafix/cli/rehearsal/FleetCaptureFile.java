package io.abafix.cli.rehearsal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.abafix.activities.model.DirectoryCapture;
import io.abafix.activities.model.ServerCaptureResult;
import io.abafix.workflows.capture.FleetCapture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The capture file of a fleet, format {@value #FORMAT}: {@code {"format", "tenant", "capturedAt",
 * "servers": [<one abafix-capture/1 per server>], "directory": {"applications",
 * "appIdsWithServicePrincipal", "connectorAccounts", "globalAdministrators"}}}. The servers keep
 * the scripts' raw answers, so that a rehearsal reads them with the production interpreters. It
 * holds no secret: what the read-only scripts return, and what Graph lists of the provisioning apps
 * (ids, names, key thumbprints, never a key).
 */
public final class FleetCaptureFile {
  /** The format this version writes and reads. */
  public static final String FORMAT = "abafix-fleet-capture/1";

  private static final Set<String> FIELDS =
      Set.of("format", "tenant", "capturedAt", "servers", "directory");

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  /**
   * A fleet read back from its file.
   *
   * @param servers each server's capture ({@code abafix-capture/1}), in the order captured
   */
  public record CapturedFleet(
      String tenant, Instant capturedAt, List<JsonNode> servers, DirectoryCapture directory) {
    public CapturedFleet {
      servers = List.copyOf(servers);
    }

    /** Server names, as captured. */
    public List<String> serverNames() {
      return servers.stream().map(s -> s.path("server").asText("")).toList();
    }
  }

  private FleetCaptureFile() {}

  /** The file's text for a capture the workflow made. */
  public static String text(FleetCapture capture) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT)
        .put("tenant", capture.tenant())
        .put("capturedAt", Instant.ofEpochMilli(capture.capturedAt()).toString());
    ArrayNode servers = root.putArray("servers");
    for (ServerCaptureResult s : capture.servers()) {
      try {
        servers.add(JSON.readTree(s.capture()));
      } catch (IOException e) {
        throw new IllegalStateException("the worker on " + s.server() + " sent no JSON", e);
      }
    }
    root.set("directory", JSON.valueToTree(capture.directory()));
    try {
      return JSON.writeValueAsString(root) + System.lineSeparator();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static void write(FleetCapture capture, Path file) {
    try {
      Files.writeString(file, text(capture));
    } catch (IOException e) {
      throw new CaptureRefused("cannot write " + file + ": " + e.getMessage());
    }
  }

  /**
   * Reads and checks a capture file.
   *
   * @throws CaptureRefused naming what is wrong: not JSON, another format, a missing or unknown
   *     field
   */
  public static CapturedFleet read(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new CaptureRefused("capture " + file + " is not readable JSON: " + firstLine(e));
    }
    String where = "capture " + file + ": ";
    if (root == null || !root.isObject()) throw new CaptureRefused(where + "not a JSON object");
    String format = root.path("format").asText("");
    if (!FORMAT.equals(format)) {
      throw new CaptureRefused(
          where + "format '" + format + "' is not " + FORMAT + " (made by abafix capture)");
    }
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) throw new CaptureRefused(where + "unknown field '" + f + "'");
    }
    for (String f : FIELDS) {
      if (!root.hasNonNull(f)) throw new CaptureRefused(where + "missing field '" + f + "'");
    }
    Instant at;
    try {
      at = Instant.parse(root.get("capturedAt").asText());
    } catch (RuntimeException e) {
      throw new CaptureRefused(where + "capturedAt is not an ISO-8601 instant");
    }
    List<JsonNode> servers = new ArrayList<>();
    root.get("servers").forEach(servers::add);
    if (servers.isEmpty()) throw new CaptureRefused(where + "servers is empty");
    DirectoryCapture directory;
    try {
      directory = JSON.treeToValue(root.get("directory"), DirectoryCapture.class);
    } catch (IOException e) {
      throw new CaptureRefused(where + "directory: " + firstLine(e));
    }
    return new CapturedFleet(root.get("tenant").asText(), at, servers, directory);
  }

  private static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
