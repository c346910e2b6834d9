package io.abafix.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Headless Chromium driven over the DevTools protocol (Java's WebSocket and Jackson): a fresh
 * profile, loopback debugging on a free port, every protocol event kept for the test to read.
 */
final class HeadlessChromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<JsonNode> events = new ConcurrentLinkedQueue<>();

  /** The browser on the PATH, if there is one. */
  static Optional<Path> find() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  static HeadlessChromium start(Path binary, Path profile, Path log) throws Exception {
    Process process =
        new ProcessBuilder(
                binary.toString(),
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-component-update",
                "--user-data-dir=" + profile,
                "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0",
                "--window-size=1280,1600",
                "about:blank")
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      Path portFile = profile.resolve("DevToolsActivePort");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!Files.exists(portFile) || Files.readAllLines(portFile).size() < 2) {
        if (!process.isAlive()) throw new IllegalStateException("Chromium exited: see " + log);
        if (System.nanoTime() > deadline) throw new IllegalStateException("no DevTools port");
        Thread.sleep(100);
      }
      int port = Integer.parseInt(Files.readAllLines(portFile).get(0).strip());
      HttpClient http = HttpClient.newHttpClient();
      JsonNode targets =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body());
      String page = null;
      for (JsonNode t : targets) {
        if (t.path("type").asText().equals("page")) page = t.path("webSocketDebuggerUrl").asText();
      }
      if (page == null) throw new IllegalStateException("no page target: " + targets);
      return new HeadlessChromium(process, http, URI.create(page));
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  private HeadlessChromium(Process process, HttpClient http, URI page) {
    this.process = process;
    this.socket =
        http.newWebSocketBuilder()
            .buildAsync(page, new Listener())
            .orTimeout(30, TimeUnit.SECONDS)
            .join();
  }

  /** Sends one command and waits for its result. */
  JsonNode call(String method, Map<String, Object> params) {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
    msg.set("params", JSON.valueToTree(params));
    socket.sendText(msg.toString(), true).join();
    JsonNode reply = answer.orTimeout(60, TimeUnit.SECONDS).join();
    if (reply.has("error")) throw new IllegalStateException(method + ": " + reply.get("error"));
    return reply.path("result");
  }

  JsonNode call(String method) {
    return call(method, Map.of());
  }

  /** Waits for an event that {@code match} accepts. */
  JsonNode await(Predicate<JsonNode> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode e : events) if (match.test(e)) return e;
      Thread.sleep(50);
    }
    throw new IllegalStateException("no such event within " + timeout + ": " + methods());
  }

  /** Every event so far with this method. */
  List<JsonNode> events(String method) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode e : events)
      if (e.path("method").asText().equals(method)) found.add(e.path("params"));
    return found;
  }

  private List<String> methods() {
    return events.stream().map(e -> e.path("method").asText()).distinct().toList();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      call("Browser.close");
    } catch (RuntimeException alreadyGone) {
      // The process is ended below either way.
    }
    if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        try {
          JsonNode msg = JSON.readTree(text.toString());
          if (msg.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(msg.get("id").asInt());
            if (f != null) f.complete(msg);
          } else {
            events.add(msg);
          }
        } catch (IOException e) {
          events.add(
              JSON.createObjectNode().put("method", "unreadable").put("text", text.toString()));
        }
        text.setLength(0);
      }
      ws.request(1);
      return null;
    }
  }
}
