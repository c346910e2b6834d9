package io.abafix.cli;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.RefusedPayloadException;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverterException;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Temporal's codec-server protocol over abafix's payload key: {@code POST /decode} and {@code POST
 * /encode} take {@code {"payloads":[...]}} (Temporal's JSON form of Payloads) and answer the same
 * shape, so the Temporal Web UI and {@code temporal workflow show} can show what abafix encrypted.
 *
 * <p>It answers only a caller that presents the access token ({@code Authorization: Bearer TOKEN}),
 * and allows cross-origin calls (CORS) from the one Web UI origin it was given and no other. It
 * listens where it is told; the command defaults to loopback. Every decoded payload it sends is
 * plaintext: whoever holds the token reads the runs.
 *
 * <p>{@code /decode} decodes what abafix encrypted and passes every other payload on as it came:
 * the SDK writes some payloads itself in plain JSON (version markers), a signal may come from
 * anyone who reaches the cluster, and Temporal's tools ask for every payload of a history (an error
 * makes {@code temporal workflow show} retry until its deadline). Workers stay closed: their codec
 * refuses such payloads, and a signal that carries one is dropped.
 */
final class CodecServer implements AutoCloseable {
  /** Requests larger than this are refused: a UI page decodes a few payloads at a time. */
  static final int MAX_REQUEST_BYTES = 4 * 1024 * 1024;

  /**
   * The JDK's HTTP server reads this once, when it starts its first server in the JVM: with it,
   * each accepted connection has TCP_NODELAY. Without it, a kept-alive request's answer (headers,
   * then body: two writes) waits for the client's delayed ACK, about 40 ms a request.
   */
  static final String NODELAY = "sun.net.httpserver.nodelay";

  private static final Logger LOG = LoggerFactory.getLogger(CodecServer.class);

  static {
    if (System.getProperty(NODELAY) == null) System.setProperty(NODELAY, "true");
  }

  private final HttpServer server;

  private CodecServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Starts serving on {@code host:port} (port 0: a free one).
   *
   * @param uiOrigin the Web UI's origin, e.g. {@code http://localhost:8233}, allowed by CORS
   * @param accessToken what callers must present as a bearer token
   */
  static CodecServer start(
      String host, int port, String uiOrigin, String accessToken, PayloadCodec codec) {
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(host, port), 0);
    } catch (IOException e) {
      throw new UserError("cannot listen on " + host + ":" + port + ": " + e.getMessage());
    }
    byte[] expected = ("Bearer " + accessToken).getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/encode", exchange -> handle(exchange, uiOrigin, expected, p -> encode(codec, p)));
    server.createContext(
        "/decode", exchange -> handle(exchange, uiOrigin, expected, p -> decode(codec, p)));
    server.setExecutor(
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "abafix-codec-server");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    return new CodecServer(server);
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static Payloads encode(PayloadCodec codec, Payloads in) {
    return Payloads.newBuilder().addAllPayloads(codec.encode(in.getPayloadsList())).build();
  }

  /**
   * Each payload abafix encrypted, decrypted; any other (another encoding, or abafix's that does
   * not decrypt here: another key, tampered) unchanged. An undecryptable one stays ciphertext, so
   * nothing is revealed, and the rest of the history still shows; the server says which key.
   */
  private static Payloads decode(PayloadCodec codec, Payloads in) {
    Payloads.Builder out = Payloads.newBuilder();
    for (Payload payload : in.getPayloadsList()) {
      String encoding = payload.getMetadataOrDefault("encoding", ByteString.EMPTY).toStringUtf8();
      if (!encoding.equals(AesGcmPayloadCodec.ENCODING)) {
        out.addPayloads(payload);
        continue;
      }
      try {
        out.addAllPayloads(codec.decode(List.of(payload)));
      } catch (RefusedPayloadException e) {
        LOG.warn("passed on a payload still encrypted: {}", e.getMessage());
        out.addPayloads(payload);
      }
    }
    return out.build();
  }

  private static void handle(
      HttpExchange exchange, String uiOrigin, byte[] expected, UnaryOperator<Payloads> transform)
      throws IOException {
    try (exchange) {
      String origin = exchange.getRequestHeaders().getFirst("Origin");
      boolean allowedOrigin = uiOrigin.equals(origin);
      if (allowedOrigin) {
        var h = exchange.getResponseHeaders();
        h.set("Access-Control-Allow-Origin", uiOrigin);
        h.set("Access-Control-Allow-Credentials", "true");
        h.set("Vary", "Origin");
      }
      if (origin != null && !allowedOrigin) {
        reply(exchange, 403, "origin " + origin + " is not the configured Web UI");
        return;
      }
      if (exchange.getRequestMethod().equals("OPTIONS")) {
        // A preflight carries no credentials; it learns only what the real request may send.
        var h = exchange.getResponseHeaders();
        h.set("Access-Control-Allow-Methods", "POST, OPTIONS");
        h.set("Access-Control-Allow-Headers", "Authorization, Content-Type, X-Namespace");
        h.set("Access-Control-Max-Age", "600");
        exchange.sendResponseHeaders(204, -1);
        return;
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        reply(exchange, 405, "use POST");
        return;
      }
      String authorization = exchange.getRequestHeaders().getFirst("Authorization");
      if (authorization == null
          || !MessageDigest.isEqual(expected, authorization.getBytes(StandardCharsets.UTF_8))) {
        reply(exchange, 401, "missing or wrong access token");
        return;
      }
      String body;
      try (InputStream in = exchange.getRequestBody()) {
        byte[] bytes = in.readNBytes(MAX_REQUEST_BYTES + 1);
        if (bytes.length > MAX_REQUEST_BYTES) {
          reply(exchange, 413, "request larger than " + MAX_REQUEST_BYTES + " bytes");
          return;
        }
        body = new String(bytes, StandardCharsets.UTF_8);
      }
      Payloads.Builder request = Payloads.newBuilder();
      try {
        JsonFormat.parser().ignoringUnknownFields().merge(body, request);
      } catch (InvalidProtocolBufferException e) {
        reply(exchange, 400, "not {\"payloads\":[...]}: " + e.getMessage());
        return;
      }
      Payloads answer;
      try {
        answer = transform.apply(request.build());
      } catch (PayloadCodecException | DataConverterException e) {
        reply(exchange, 400, e.getMessage());
        return;
      }
      byte[] json = JsonFormat.printer().print(answer).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, json.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(json);
      }
    }
  }

  private static void reply(HttpExchange exchange, int status, String message) throws IOException {
    byte[] text = (message + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, text.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(text);
    }
  }
}
