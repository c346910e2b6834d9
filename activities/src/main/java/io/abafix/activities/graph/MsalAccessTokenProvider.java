package io.abafix.activities.graph;

import com.microsoft.aad.msal4j.ClientCredentialFactory;
import com.microsoft.aad.msal4j.ClientCredentialParameters;
import com.microsoft.aad.msal4j.ConfidentialClientApplication;
import com.microsoft.aad.msal4j.MsalException;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.MsalThrottlingException;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;

/**
 * Graph access tokens for the directory worker's app, from msal4j with a certificate (client
 * credentials). msal4j caches the token and renews it shortly before it expires, so asking for one
 * per request costs nothing.
 */
final class MsalAccessTokenProvider implements AccessTokenProvider {
  static final String GRAPH_SCOPE = GraphCloud.GLOBAL.scope();

  private final ConfidentialClientApplication app;
  private final AllowedHostsValidator allowedHosts;
  private final String clientId;
  private final String scope;
  private final String thumbprint;

  MsalAccessTokenProvider(GraphDirectoryConfig config, SigningCertificate certificate) {
    this.scope = config.scope();
    this.clientId = config.clientId();
    this.thumbprint = certificate.thumbprint();
    // Tokens go only to the configured Graph host, never to a host a nextLink might name.
    this.allowedHosts = new AllowedHostsValidator(config.graphBaseUrl().getHost());
    try {
      ConfidentialClientApplication.Builder builder =
          ConfidentialClientApplication.builder(
                  config.clientId(),
                  ClientCredentialFactory.createFromCertificate(
                      certificate.privateKey(), certificate.certificate()))
              .authority(config.authority());
      if (config.identityEndpointOverride() != null) {
        // Instance discovery would ask the real cloud about the authority: not wanted in a test.
        builder
            .instanceDiscovery(false)
            .httpClient(
                new RedirectingIdentityHttpClient(
                    config.authorityHost(), config.identityEndpointOverride()));
      }
      this.app = builder.build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("invalid authority " + config.authority(), e);
    }
  }

  @Override
  public String getAuthorizationToken(URI uri, Map<String, Object> additionalContext) {
    if (!allowedHosts.isUrlHostValid(uri)) return "";
    return accessToken();
  }

  /** The current access token (msal4j's cache, or a new one). */
  private String accessToken() {
    try {
      return app.acquireToken(ClientCredentialParameters.builder(Set.of(scope)).build())
          .join()
          .accessToken();
    } catch (CompletionException e) {
      throw translate(e.getCause() == null ? e : e.getCause());
    } catch (MsalException e) {
      throw translate(e);
    }
  }

  /**
   * The application permissions the worker's access token carries (its {@code roles} claim), or
   * null when the token cannot be read as a JWT: Microsoft does not promise the format of a token
   * to its client, so this is evidence, not a contract, and "unreadable" means "cannot tell".
   */
  List<String> grantedRoles() {
    try {
      List<String> roles =
          com.nimbusds.jwt.JWTParser.parse(accessToken())
              .getJWTClaimsSet()
              .getStringListClaim("roles");
      return roles == null ? List.of() : roles;
    } catch (java.text.ParseException notAJwt) {
      return null;
    }
  }

  @Override
  public AllowedHostsValidator getAllowedHostsValidator() {
    return allowedHosts;
  }

  /** Sorts a token failure: wrong certificate, throttled or down, or refused for good. */
  HostException translate(Throwable failure) {
    if (failure instanceof MsalThrottlingException throttled) {
      // msal4j remembers a recent 429 and refuses locally until its Retry-After has passed.
      return new HostException(
          Category.TRANSIENT,
          "token requests for app " + clientId + " are throttled",
          failure,
          Duration.ofMillis(Math.max(1000, throttled.retryInMs())));
    }
    if (failure instanceof MsalServiceException service) {
      String text = String.valueOf(service.getMessage());
      if (text.contains("AADSTS700027")) {
        return new HostException(
            Category.CERTIFICATE_NOT_REGISTERED,
            "the directory worker's certificate (thumbprint "
                + thumbprint
                + ") is not registered on app "
                + clientId
                + ": upload it to the app registration or point abafix at the right certificate"
                + " (Entra ID said: "
                + firstLine(text)
                + ")",
            failure);
      }
      Integer status = service.statusCode();
      if (status != null && GraphErrors.isTransientStatus(status)) {
        return new HostException(
            Category.TRANSIENT,
            "token request for app " + clientId + " failed with HTTP " + status,
            failure,
            GraphErrors.retryAfter(retryAfterHeader(service.headers())));
      }
      return new HostException(
          Category.PERMANENT,
          "Entra ID refused a token for app "
              + clientId
              + " ("
              + service.errorCode()
              + "): "
              + firstLine(text),
          failure);
    }
    if (GraphErrors.hasCause(failure, IOException.class)) {
      return new HostException(
          Category.TRANSIENT,
          "cannot reach Entra ID for a token: " + GraphErrors.describe(failure),
          failure);
    }
    return new HostException(
        Category.PERMANENT,
        "token request for app " + clientId + " failed: " + GraphErrors.describe(failure),
        failure);
  }

  private static String retryAfterHeader(Map<String, List<String>> headers) {
    if (headers == null) return null;
    for (Map.Entry<String, List<String>> e : headers.entrySet()) {
      if ("Retry-After".equalsIgnoreCase(e.getKey()) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }

  private static String firstLine(String text) {
    int cut = text.indexOf('\n');
    String line = cut < 0 ? text : text.substring(0, cut);
    // AAD appends trace and correlation ids; the first sentence is what a person needs.
    int trace = line.indexOf(" Trace ID:");
    return (trace < 0 ? line : line.substring(0, trace)).trim();
  }
}
