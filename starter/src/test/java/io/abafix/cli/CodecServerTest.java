package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.workflows.codec.AesGcmPayloadCodec;
import io.abafix.workflows.codec.PayloadEncryption;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

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
