package io.abafix.cli.rehearsal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.abafix.workflows.plan.RehearsedFleet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a rehearsal leaves for the real run, format {@value #FORMAT}: the tenant, the servers, the
 * operator steps it ran with, its outcome, and {@code fleet}: the plan's digest and the facts it
 * rests on (machine ids, identities, certificates, the apps' ids and keys). {@code abafix remediate
 * --rehearsed FILE} sends {@code fleet} with the request; the run's preflight compares.
 */
public record RehearsalFile(
    String format,
    String tenant,
    List<String> servers,
    List<String> operatorSteps,
    String outcome,
    String capturedAt,
    RehearsedFleet fleet) {

  public static final String FORMAT = "abafix-rehearsal/1";

  private static final JsonMapper JSON =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .build();

  public RehearsalFile {
    servers = servers == null ? List.of() : List.copyOf(servers);
    operatorSteps = operatorSteps == null ? List.of() : List.copyOf(operatorSteps);
  }

  /** Whether the rehearsed run succeeded. */
  public boolean succeeded() {
    return "SUCCEEDED".equals(outcome);
  }

  public void write(Path file) {
    try {
      Files.writeString(file, JSON.writeValueAsString(this) + System.lineSeparator());
    } catch (IOException e) {
      throw new CaptureRefused("cannot write " + file + ": " + e.getMessage());
    }
  }

  /**
   * @throws CaptureRefused naming what is wrong with the file
   */
  public static RehearsalFile read(Path file) {
    RehearsalFile r;
    try {
      r = JSON.readValue(Files.readString(file), RehearsalFile.class);
    } catch (IOException e) {
      String m = String.valueOf(e.getMessage());
      int nl = m.indexOf('\n');
      throw new CaptureRefused(
          "rehearsal " + file + " is not readable: " + (nl < 0 ? m : m.substring(0, nl)));
    }
    if (r == null || !FORMAT.equals(r.format())) {
      throw new CaptureRefused(
          "rehearsal " + file + ": format is not " + FORMAT + " (made by abafix rehearse)");
    }
    if (r.fleet() == null || r.fleet().planDigest() == null || r.servers().isEmpty()) {
      throw new CaptureRefused("rehearsal " + file + ": no plan digest or no servers");
    }
    return r;
  }
}
