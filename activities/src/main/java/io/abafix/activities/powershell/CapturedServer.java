package io.abafix.activities.powershell;

import com.fasterxml.jackson.databind.JsonNode;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.port.HostException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A server as a capture ({@link ServerCapture}, format {@value ServerCapture#FORMAT}) recorded it,
 * read back through the production adapter: the recorded answers are replayed to {@link
 * PowerShellSyncServerHost}, so the same shape rules that a run applies decide what they mean, and
 * a shape they do not recognise is refused the same way.
 */
public final class CapturedServer {
  private final String server;
  private final PowerShellSyncServerHost host;

  private CapturedServer(String server, PowerShellSyncServerHost host) {
    this.server = server;
    this.host = host;
  }

  /**
   * @param capture one server's capture
   * @throws IllegalArgumentException when it is not a capture of format {@value
   *     ServerCapture#FORMAT}, or a read-only script is missing from it
   */
  public static CapturedServer of(JsonNode capture) {
    if (capture == null || !capture.isObject()) {
      throw new IllegalArgumentException("a server capture must be a JSON object");
    }
    String format = capture.path("format").asText("");
    if (!ServerCapture.FORMAT.equals(format)) {
      throw new IllegalArgumentException(
          "server capture format '" + format + "' is not " + ServerCapture.FORMAT);
    }
    String server = capture.path("server").asText("");
    Map<String, JsonNode> runs = new LinkedHashMap<>();
    for (JsonNode run : capture.path("runs")) runs.put(run.path("script").asText(""), run);
    for (PowerShellScript s : PowerShellScript.readOnly()) {
      if (!runs.containsKey(s.fileName())) {
        throw new IllegalArgumentException(
            "the capture of " + server + " has no run of " + s.fileName());
      }
    }
    PowerShellRunner replay =
        (script, stdin, timeout) -> replay(server, runs.get(script.fileName()), script);
    try {
      return new CapturedServer(server, new PowerShellSyncServerHost(server, replay));
    } catch (HostException e) {
      throw new IllegalArgumentException("server capture: " + e.getMessage(), e);
    }
  }

  public String server() {
    return server;
  }

  /**
   * The server's state, as {@code inspectServer} would have seen it.
   *
   * @throws HostException (a {@link io.abafix.activities.shape.ShapeException} for a shape no rule
   *     recognises) when a run would have failed on this answer
   */
  public ServerState state() {
    return host.inspect();
  }

  /** The captured event-log entries, oldest first. */
  public List<EventLogEntry> events() {
    return host.readEvents(0, ServerCapture.EVENTS);
  }

  private static PowerShellResult replay(String server, JsonNode run, PowerShellScript script) {
    if (run == null || run.has("failure")) {
      throw new PowerShellRunException(
          PowerShellRunException.Reason.NOT_STARTED,
          script.fileName()
              + " did not answer when "
              + server
              + " was captured"
              + (run == null ? "" : ": " + run.path("failure").asText()),
          "",
          "",
          null);
    }
    return new PowerShellResult(
        run.path("exitCode").asInt(-1),
        run.path("stdout").asText(""),
        run.path("stderr").asText(""));
  }
}
