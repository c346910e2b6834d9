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
  private final InMemoryDirectory tenant =
      new InMemoryDirectory()
          .add(new AppRegistration("id-1", "app-1", "ConnectSyncProvisioning_A", List.of()))
          .globalAdministrator("admin@contoso.com");
  private final FakeMicrosoftEntra entra = new FakeMicrosoftEntra(tenant);

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
  void the_directory_role_cast_on_a_membership_needs_consistency_level_and_count()
      throws Exception {
    String token = "Bearer " + entra.accessTokenFor("worker");
    String url =
        entra.graphBaseUrl()
            + "/users/admin@contoso.com/transitiveMemberOf/microsoft.graph.directoryRole";

    HttpResponse<String> plain = get(url, token);
    assertEquals(400, plain.statusCode(), plain.body());
    assertTrue(plain.body().contains("Request_UnsupportedQuery"), plain.body());

    HttpResponse<String> advanced =
        http.send(
            HttpRequest.newBuilder(URI.create(url + "?$count=true"))
                .header("Authorization", token)
                .header("ConsistencyLevel", "eventual")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, advanced.statusCode(), advanced.body());
    assertTrue(advanced.body().contains("62e90394-69f5-4237-9190-012177145e10"), advanced.body());
  }

  @Test
  void an_unknown_user_is_a_404_request_resource_not_found() throws Exception {
    HttpResponse<String> response =
        get(
            entra.graphBaseUrl() + "/users/nobody@contoso.com",
            "Bearer " + entra.accessTokenFor("worker"));
    assertEquals(404, response.statusCode(), response.body());
    assertTrue(response.body().contains("Request_ResourceNotFound"), response.body());
  }

  @Test
  void owned_by_may_not_delete_an_app_it_does_not_own_graph_answers_403() throws Exception {
    tenant.permissions("Application.ReadWrite.OwnedBy");
    String token = "Bearer " + entra.accessTokenFor("worker");
    HttpResponse<String> refused = delete(entra.graphBaseUrl() + "/applications/id-1", token);
    assertEquals(403, refused.statusCode(), refused.body());
    assertTrue(refused.body().contains("Authorization_RequestDenied"), refused.body());
    assertTrue(tenant.getApplication("id-1").isPresent(), "still live");

    tenant.ownedByWorker("id-1");
    HttpResponse<String> owned = delete(entra.graphBaseUrl() + "/applications/id-1", token);
    assertEquals(204, owned.statusCode(), owned.body());
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

  private HttpResponse<String> delete(String url, String authorization) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", authorization)
            .DELETE()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
