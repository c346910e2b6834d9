package io.abafix.activities.graph;

import com.microsoft.aad.msal4j.HttpRequest;
import com.microsoft.aad.msal4j.IHttpClient;
import com.microsoft.aad.msal4j.IHttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The msal4j HTTP client used only when an identity endpoint override is set (for Graph, {@link
 * GraphDirectoryConfig#identityEndpointOverride()}; for sign-in, the labs) set: it sends each
 * request that msal4j addresses to the authority host to the override address instead, keeping path
 * and query. msal4j insists on an https authority, so this is how a test points it at a plain-http
 * endpoint on loopback without weakening anything in production, where msal4j's own client is used.
 */
public final class RedirectingIdentityHttpClient implements IHttpClient {
  // java.net.http sets these itself and refuses them from callers.
  private static final Set<String> RESTRICTED_HEADERS =
      Set.of("host", "connection", "content-length", "expect", "upgrade");

  private final String authorityHost;
  private final String replacement;
  private final HttpClient http;

  public RedirectingIdentityHttpClient(URI authorityHost, URI replacement) {
    this.authorityHost = authorityHost.toString();
    this.replacement = replacement.toString();
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @Override
  public IHttpResponse send(HttpRequest request) throws Exception {
    String url = request.url().toString();
    if (url.startsWith(authorityHost)) {
      url = replacement + url.substring(authorityHost.length());
    }
    java.net.http.HttpRequest.Builder builder =
        java.net.http.HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (request.headers() != null) {
      request
          .headers()
          .forEach(
              (name, value) -> {
                if (!RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                  builder.header(name, value);
                }
              });
    }
    String body = request.body();
    builder.method(
        request.httpMethod().methodName,
        body == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(body));
    HttpResponse<String> response =
        http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.headers().map(), response.body());
  }

  private record Response(int statusCode, Map<String, List<String>> headers, String body)
      implements IHttpResponse {}
}
