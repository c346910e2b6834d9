package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * Headless Chromium (the Debian package) driven over the DevTools protocol: one page, with a fresh
 * profile, loopback only. Without Chromium a test is skipped with one line, except in CI ({@code
 * CI=true}), where it fails.
 */
final class ChromiumSession implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final WebSocket socket;
  private final Map<Integer, CompletableFuture<JsonNode>> replies = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  private ChromiumSession(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /** The Chromium binary, or the test is skipped (fails in CI). */
  static Path binary() {
    Optional<Path> found = onPath("chromium");
    if (found.isEmpty()) {
      String why = "no chromium on the PATH: apt-get install -y chromium (bash .ci/run does this)";
      if (RealTemporal.inCi()) fail(why);
      Assumptions.abort(why);
    }
    return found.get();
  }

  static ChromiumSession start(Path profile) throws Exception {
    int port = freePort();
    Process process =
        new ProcessBuilder(
                binary().toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--window-size=1400,2400",
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=" + port,
                "--user-data-dir=" + profile,
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(profile.resolveSibling("chromium.log").toFile())
            .start();
    HttpClient http = HttpClient.newHttpClient();
    JsonNode page = null;
    for (int i = 0; i < 150 && page == null; i++) {
      try {
        JsonNode targets =
            JSON.readTree(
                http.send(
                        HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + port + "/json/list"))
                            .build(),
                        HttpResponse.BodyHandlers.ofString())
                    .body());
        for (JsonNode t : targets) if (t.path("type").asText().equals("page")) page = t;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    if (page == null) {
      process.destroyForcibly();
      throw new IllegalStateException("chromium did not open its DevTools port " + port);
    }
    ChromiumSession[] session = new ChromiumSession[1];
    StringBuilder partial = new StringBuilder();
    WebSocket socket =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create(page.get("webSocketDebuggerUrl").asText()),
                new WebSocket.Listener() {
                  @Override
                  public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    partial.append(data);
                    if (last) {
                      session[0].received(partial.toString());
                      partial.setLength(0);
                    }
                    ws.request(1);
                    return null;
                  }
                })
            .get(10, TimeUnit.SECONDS);
    session[0] = new ChromiumSession(process, socket);
    return session[0];
  }

  /** Every request of the page carries these headers, e.g. an Authorization for a codec server. */
  void extraHeaders(Map<String, String> headers) throws Exception {
    call("Network.enable", JSON.createObjectNode());
    ObjectNode params = JSON.createObjectNode();
    params.set("headers", JSON.valueToTree(headers));
    call("Network.setExtraHTTPHeaders", params);
  }

  void open(String url) throws Exception {
    call("Page.enable", JSON.createObjectNode());
    call("Page.navigate", JSON.createObjectNode().put("url", url));
  }

  /** The page's visible text. */
  String text() throws Exception {
    JsonNode r =
        call(
            "Runtime.evaluate",
            JSON.createObjectNode()
                .put("expression", "document.body ? document.body.innerText : ''")
                .put("returnByValue", true));
    return r.path("result").path("value").asText("");
  }

  /**
   * The text of every code viewer on the page (the Web UI shows payloads in CodeMirror, which
   * renders only the lines in view), read by scrolling each from top to bottom.
   */
  String codeText() throws Exception {
    String script =
        "(async () => { const out = [];"
            + " for (const s of document.querySelectorAll('.cm-scroller')) {"
            + "  for (let y = 0; y <= s.scrollHeight; y += Math.max(50, s.clientHeight / 2)) {"
            + "   s.scrollTop = y; await new Promise(r => setTimeout(r, 30)); out.push(s.innerText); } }"
            + " return out.join('\\n'); })()";
    JsonNode r =
        call(
            "Runtime.evaluate",
            JSON.createObjectNode()
                .put("expression", script)
                .put("awaitPromise", true)
                .put("returnByValue", true));
    return r.path("result").path("value").asText("");
  }

  /** Waits until the page's text satisfies {@code done}; returns the last text either way. */
  String awaitText(Predicate<String> done, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String text = text();
    while (!done.test(text) && System.nanoTime() < deadline) {
      Thread.sleep(250);
      text = text();
    }
    return text;
  }

  void screenshot(Path png) throws Exception {
    JsonNode r =
        call(
            "Page.captureScreenshot",
            JSON.createObjectNode().put("format", "png").put("captureBeyondViewport", true));
    Files.createDirectories(png.getParent());
    Files.write(png, Base64.getDecoder().decode(r.get("data").asText()));
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> reply = new CompletableFuture<>();
    replies.put(id, reply);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
    JsonNode answer = reply.get(30, TimeUnit.SECONDS);
    if (answer.has("error")) throw new IllegalStateException(method + ": " + answer.get("error"));
    return answer.path("result");
  }

  private void received(String text) {
    try {
      JsonNode message = JSON.readTree(text);
      if (message.has("id")) {
        CompletableFuture<JsonNode> reply = replies.remove(message.get("id").asInt());
        if (reply != null) reply.complete(message);
      }
    } catch (IOException e) {
      // An event we cannot read is one we do not wait for.
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.abort();
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) return Optional.empty();
    for (String dir : path.split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) return Optional.of(candidate);
    }
    return Optional.empty();
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
