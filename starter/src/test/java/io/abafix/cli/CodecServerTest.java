package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.lab.process.ChildProcess;
import io.abafix.lab.process.ProcessGroup;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Temporal's codec-server protocol, the access token and CORS, over HTTP. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CodecServerTest {
  private static final String UI = "http://localhost:8233";
  private static final String TOKEN = "a-long-random-access-token-for-tests";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final AesGcmPayloadCodec codec = PayloadEncryption.ephemeral();
  private CodecServer server;

  @BeforeEach
  void start() {
    server = CodecServer.start("127.0.0.1", 0, UI, TOKEN, codec);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> post(String path, String body, String token, String origin)
      throws Exception {
    HttpRequest.Builder r =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) r.header("Authorization", "Bearer " + token);
    if (origin != null) r.header("Origin", origin);
    return HTTP.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static String plain(String text) {
    return "{\"payloads\":[{\"metadata\":{\"encoding\":\""
        + b64("json/plain")
        + "\"},\"data\":\""
        + b64("\"" + text + "\"")
        + "\"}]}";
  }

  @Test
  void encode_then_decode_gives_back_the_payload_and_the_encoded_form_hides_it() throws Exception {
    HttpResponse<String> encoded = post("/encode", plain("journal of SERVERA"), TOKEN, UI);
    assertEquals(200, encoded.statusCode(), encoded.body());
    JsonNode payload = JSON.readTree(encoded.body()).get("payloads").get(0);
    String encoding =
        new String(
            Base64.getDecoder().decode(payload.get("metadata").get("encoding").asText()),
            StandardCharsets.UTF_8);
    assertEquals(AesGcmPayloadCodec.ENCODING, encoding);
    String ciphertext =
        new String(
            Base64.getDecoder().decode(payload.get("data").asText()), StandardCharsets.ISO_8859_1);
    assertFalse(ciphertext.contains("SERVERA"), "encrypted");
    assertEquals(UI, encoded.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

    HttpResponse<String> decoded = post("/decode", encoded.body(), TOKEN, UI);
    assertEquals(200, decoded.statusCode(), decoded.body());
    JsonNode back = JSON.readTree(decoded.body()).get("payloads").get(0);
    assertEquals(b64("\"journal of SERVERA\""), back.get("data").asText());
  }

  @Test
  void a_caller_without_the_token_gets_nothing() throws Exception {
    String encoded = post("/encode", plain("secret"), TOKEN, null).body();
    HttpResponse<String> none = post("/decode", encoded, null, UI);
    HttpResponse<String> wrong = post("/decode", encoded, TOKEN + "x", UI);
    assertEquals(401, none.statusCode());
    assertEquals(401, wrong.statusCode());
    assertFalse(none.body().contains("secret") || wrong.body().contains("secret"));
  }

  @Test
  void only_the_configured_web_ui_origin_may_call_from_a_browser() throws Exception {
    String encoded = post("/encode", plain("secret"), TOKEN, null).body();
    HttpResponse<String> other = post("/decode", encoded, TOKEN, "http://evil.example");
    assertEquals(403, other.statusCode());
    assertEquals(Optional.empty(), other.headers().firstValue("Access-Control-Allow-Origin"));

    HttpResponse<String> preflight =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/decode"))
                .header("Origin", UI)
                .header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "authorization,content-type,x-namespace")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(204, preflight.statusCode());
    assertEquals(UI, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertTrue(
        preflight
            .headers()
            .firstValue("Access-Control-Allow-Headers")
            .orElse("")
            .contains("Authorization"));
  }

  /** A payload as Temporal's JSON form of Payloads writes it, with the given encoding. */
  private static String payload(String encoding, String data) {
    return "{\"metadata\":{\"encoding\":\"" + b64(encoding) + "\"},\"data\":\"" + b64(data) + "\"}";
  }

  @Test
  void decode_passes_on_every_payload_abafix_did_not_encrypt_as_it_came() throws Exception {
    String sealed =
        JSON.readTree(post("/encode", plain("journal of SERVERA"), TOKEN, null).body())
            .get("payloads")
            .get(0)
            .toString();
    // What the SDK writes in plain JSON itself (a version marker), a null, a payload without
    // metadata, and a signal someone sent in plain text, around one abafix encrypted.
    List<String> others =
        List.of(
            payload("json/plain", "{\"changeId\":\"abafix-v2\",\"version\":1}"),
            "{\"metadata\":{\"encoding\":\"" + b64("binary/null") + "\"}}",
            "{\"data\":\"" + b64("raw") + "\"}",
            payload("json/plain", "{\"reason\":\"forged\",\"by\":\"mallory\"}"));
    String body =
        "{\"payloads\":["
            + String.join(",", others.subList(0, 2))
            + ","
            + sealed
            + ","
            + String.join(",", others.subList(2, 4))
            + "]}";

    HttpResponse<String> decoded = post("/decode", body, TOKEN, UI);
    assertEquals(200, decoded.statusCode(), decoded.body());
    JsonNode back = JSON.readTree(decoded.body()).get("payloads");
    assertEquals(5, back.size(), decoded.body());
    assertEquals(JSON.readTree(others.get(0)), back.get(0));
    assertEquals(JSON.readTree(others.get(1)), back.get(1));
    assertEquals(b64("\"journal of SERVERA\""), back.get(2).get("data").asText());
    assertEquals(JSON.readTree(others.get(2)), back.get(3));
    assertEquals(JSON.readTree(others.get(3)), back.get(4));
  }

  @Test
  void decode_passes_on_a_payload_under_another_key_still_encrypted() throws Exception {
    CodecServer other = CodecServer.start("127.0.0.1", 0, UI, TOKEN, PayloadEncryption.ephemeral());
    String foreign;
    try {
      foreign =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port() + "/encode"))
                      .header("Authorization", "Bearer " + TOKEN)
                      .POST(HttpRequest.BodyPublishers.ofString(plain("secret of SERVERA")))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    } finally {
      other.close();
    }
    HttpResponse<String> decoded = post("/decode", foreign, TOKEN, UI);
    assertEquals(200, decoded.statusCode(), decoded.body());
    assertEquals(JSON.readTree(foreign), JSON.readTree(decoded.body()), "unchanged");
  }

  @Test
  void encode_stays_behind_the_token() throws Exception {
    assertEquals(401, post("/encode", plain("x"), null, UI).statusCode());
    assertEquals(401, post("/encode", plain("x"), TOKEN + "x", UI).statusCode());
  }

  /**
   * {@code abafix codec-server} in a JVM of its own, as an operator starts it: requests on one
   * kept-alive connection (how Temporal's tools and the Web UI call) are answered at once, not
   * after the client's delayed ACK (about 40 ms each, when the server's connections have Nagle's
   * algorithm on).
   */
  @Test
  @Timeout(60)
  void kept_alive_requests_are_answered_without_waiting_for_a_delayed_ack(@TempDir Path dir)
      throws Exception {
    Path key = TestKeyFiles.write(dir.resolve("abafix.key"));
    Path token = Files.writeString(dir.resolve("token.txt"), TOKEN);
    try (ProcessGroup processes = new ProcessGroup(dir)) {
      ChildProcess codecServer =
          processes.java(
              "codec-server",
              Abafix.class.getName(),
              List.of(
                  "codec-server",
                  "--port",
                  "0",
                  "--ui-origin",
                  UI,
                  "--access-token-file",
                  token.toString(),
                  "--encryption-key-file",
                  key.toString()),
              Map.of(),
              false);
      String ready =
          codecServer.awaitLine(l -> l.startsWith("codec server on "), Duration.ofSeconds(30));
      String endpoint = ready.split(" ")[3];
      HttpClient oneConnection =
          HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(endpoint + "/decode"))
              .header("Authorization", "Bearer " + TOKEN)
              .POST(HttpRequest.BodyPublishers.ofString(plain("journal of SERVERA")))
              .build();
      List<Long> millis = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        long start = System.nanoTime();
        HttpResponse<String> r = oneConnection.send(request, HttpResponse.BodyHandlers.ofString());
        millis.add((System.nanoTime() - start) / 1_000_000);
        assertEquals(200, r.statusCode(), r.body());
      }
      // The first requests warm the JIT up; the rest show the connection's own delay.
      List<Long> warm = new ArrayList<>(millis.subList(10, millis.size()));
      Collections.sort(warm);
      long median = warm.get(warm.size() / 2);
      System.out.println("kept-alive /decode: median " + median + " ms, each request: " + millis);
      assertTrue(median < 20, "median " + median + " ms, each request: " + millis);
    }
  }

  @Test
  void a_body_that_is_not_payloads_is_refused() throws Exception {
    HttpResponse<String> r = post("/decode", "{\"payloads\": 3}", TOKEN, UI);
    assertEquals(400, r.statusCode(), r.body());
  }

  @Test
  void the_command_refuses_a_missing_token_and_an_origin_with_a_path() {
    CommandLineRun.of("codec-server", "--ui-origin", "http://localhost:8233/ui", "--port", "0")
        .assertRefused(2, "--ui-origin", "not an origin");
    CommandLineRun.of("codec-server", "--ui-origin", UI, "--port", "0")
        .assertRefused(2, "no access token");
  }
}
