package io.abafix.lab.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.AppRegistration;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

/** What the fake does on its own, below the level GraphDirectory exercises. */
@DisplayNameGeneration(ReplaceUnderscores.class)
class FakeMicrosoftEntraTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final FakeMicrosoftEntra entra =
      new FakeMicrosoftEntra(
          new InMemoryDirectory()
              .add(new AppRegistration("id-1", "app-1", "ConnectSyncProvisioning_A", List.of())));

  @AfterEach
  void stop() {
    entra.close();
  }

  @Test
  void graph_refuses_a_request_without_a_token_it_issued() throws Exception {
    HttpResponse<String> response =
        get(entra.graphBaseUrl() + "/applications/id-1", "Bearer made-up");

    assertEquals(401, response.statusCode());
    assertTrue(response.body().contains("InvalidAuthenticationToken"), response.body());
    assertFalse(response.body().contains("ConnectSyncProvisioning_A"));
  }

  @Test
  void a_token_request_without_a_client_assertion_is_refused() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(entra.identityEndpoint() + "/t/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "grant_type=client_credentials&client_id=x"
                            + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertEquals(401, response.statusCode());
    assertTrue(response.body().contains("\"error\":\"invalid_client\""), response.body());
  }

  @Test
  void records_each_request_with_its_operation_and_arrival_time() throws Exception {
    Instant before = Instant.now();

    get(entra.graphBaseUrl() + "/applications", null);
    get(entra.graphBaseUrl() + "/groups", null);

    List<RecordedRequest> seen = entra.requests();
    assertEquals(
        List.of(FakeMicrosoftEntra.LIST_APPLICATIONS, FakeMicrosoftEntra.UNSUPPORTED),
        seen.stream().map(RecordedRequest::operation).toList());
    assertFalse(seen.get(0).arrivedAt().isBefore(before));
  }

  @Test
  void writes_a_thumbprint_as_graph_does_base64_of_its_bytes() {
    assertEquals("3q2+7w==", FakeMicrosoftEntra.customKeyIdentifier("DEADBEEF"));
  }

  private HttpResponse<String> get(String url, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (authorization != null) request.header("Authorization", authorization);
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
