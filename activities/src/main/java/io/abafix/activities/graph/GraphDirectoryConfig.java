package io.abafix.activities.graph;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How the directory worker reaches Microsoft Entra ID and Microsoft Graph.
 *
 * <p>The worker signs in as an app registration of its own (client credentials with an RSA
 * certificate). The application permissions that app needs are listed, with the call each one
 * allows, in {@link GraphPermissions}; preflight proves them before any change.
 *
 * @param tenantId the directory (tenant) id or a verified domain name
 * @param clientId the application (client) id of the directory worker's own app registration
 * @param certificatePath a PEM file holding the certificate and its unencrypted PKCS#8 private key
 *     ({@code BEGIN CERTIFICATE} and {@code BEGIN PRIVATE KEY} blocks), or a PKCS#12 file ({@code
 *     .pfx} / {@code .p12})
 * @param pfxPasswordEnvVar for a PKCS#12 file, the NAME of the environment variable that holds its
 *     password (the password itself never appears in configuration); null for PEM or an unprotected
 *     PKCS#12 file
 * @param authorityHost where tokens come from; {@value #DEFAULT_AUTHORITY_HOST} unless a national
 *     cloud is used. Must be https (msal4j refuses anything else)
 * @param graphBaseUrl the Graph API root, {@value #DEFAULT_GRAPH_BASE_URL} by default
 * @param identityEndpointOverride test seam, null in production: when set, every request msal4j
 *     would send to {@code authorityHost} goes to this (typically loopback, plain http) address
 *     instead, with the same path and query. The authority msal4j validates and puts into the
 *     client assertion's {@code aud} stays {@code authorityHost}, exactly as in production
 */
public record GraphDirectoryConfig(
    String tenantId,
    String clientId,
    Path certificatePath,
    String pfxPasswordEnvVar,
    URI authorityHost,
    URI graphBaseUrl,
    URI identityEndpointOverride) {

  public static final String DEFAULT_AUTHORITY_HOST = "https://login.microsoftonline.com";
  public static final String DEFAULT_GRAPH_BASE_URL = "https://graph.microsoft.com/v1.0";

  public GraphDirectoryConfig {
    requireText(tenantId, "tenantId");
    requireText(clientId, "clientId");
    if (certificatePath == null) {
      throw new IllegalArgumentException("certificatePath is required");
    }
    if (pfxPasswordEnvVar != null && pfxPasswordEnvVar.isBlank()) pfxPasswordEnvVar = null;
    authorityHost = withoutTrailingSlash(authorityHost, DEFAULT_AUTHORITY_HOST);
    graphBaseUrl = withoutTrailingSlash(graphBaseUrl, DEFAULT_GRAPH_BASE_URL);
    identityEndpointOverride =
        identityEndpointOverride == null
            ? null
            : withoutTrailingSlash(identityEndpointOverride, "");
    if (!"https".equals(authorityHost.getScheme())) {
      throw new IllegalArgumentException(
          "authorityHost must be https (got "
              + authorityHost
              + "); use identityEndpointOverride"
              + " to send token requests to a local test endpoint");
    }
    if (graphBaseUrl.getHost() == null) {
      throw new IllegalArgumentException("graphBaseUrl needs a host: " + graphBaseUrl);
    }
  }

  /** The production configuration: public cloud, PEM file or unprotected PKCS#12 file. */
  public static GraphDirectoryConfig of(String tenantId, String clientId, Path certificatePath) {
    return new GraphDirectoryConfig(tenantId, clientId, certificatePath, null, null, null, null);
  }

  /**
   * The same configuration, reading the PKCS#12 password from environment variable {@code name}.
   */
  public GraphDirectoryConfig withPfxPasswordEnvVar(String name) {
    return new GraphDirectoryConfig(
        tenantId,
        clientId,
        certificatePath,
        name,
        authorityHost,
        graphBaseUrl,
        identityEndpointOverride);
  }

  /** The same configuration with another Graph API root. */
  public GraphDirectoryConfig withGraphBaseUrl(URI baseUrl) {
    return new GraphDirectoryConfig(
        tenantId,
        clientId,
        certificatePath,
        pfxPasswordEnvVar,
        authorityHost,
        baseUrl,
        identityEndpointOverride);
  }

  /** The same configuration with token requests sent to {@code endpoint} (tests only). */
  public GraphDirectoryConfig withIdentityEndpointOverride(URI endpoint) {
    return new GraphDirectoryConfig(
        tenantId,
        clientId,
        certificatePath,
        pfxPasswordEnvVar,
        authorityHost,
        graphBaseUrl,
        endpoint);
  }

  /** The same configuration for a national cloud: its Graph root and its sign-in host. */
  public GraphDirectoryConfig withCloud(GraphCloud cloud) {
    return new GraphDirectoryConfig(
        tenantId,
        clientId,
        certificatePath,
        pfxPasswordEnvVar,
        cloud.authorityHost(),
        cloud.graphBaseUrl(),
        identityEndpointOverride);
  }

  /**
   * The token scope: that of the cloud whose Graph root {@code graphBaseUrl} is; the public cloud's
   * for a local test endpoint.
   */
  public String scope() {
    return GraphCloud.ofGraphBaseUrl(graphBaseUrl).orElse(GraphCloud.GLOBAL).scope();
  }

  /** The authority msal4j signs in against: {@code <authorityHost>/<tenantId>/}. */
  public String authority() {
    return authorityHost + "/" + tenantId + "/";
  }

  /** Whether the certificate file is PKCS#12 rather than PEM, judged by its extension. */
  boolean isPkcs12() {
    String name = certificatePath.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".pfx") || name.endsWith(".p12");
  }

  private static void requireText(String value, String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " is required");
    }
  }

  private static URI withoutTrailingSlash(URI uri, String fallback) {
    String s = uri == null ? fallback : uri.toString();
    while (s.endsWith("/")) s = s.substring(0, s.length() - 1);
    return URI.create(s);
  }
}
