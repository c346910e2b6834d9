package io.abafix.activities.graph;

import java.net.URI;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The Microsoft clouds the directory worker may talk to: each Graph root with its sign-in host and
 * its token scope. The Graph bearer token goes with every request, so the worker accepts no other
 * Graph root; and a token is asked for the scope of the cloud it is sent to.
 */
public enum GraphCloud {
  GLOBAL("https://graph.microsoft.com", "https://login.microsoftonline.com"),
  US_GOV("https://graph.microsoft.us", "https://login.microsoftonline.us"),
  US_GOV_DOD("https://dod-graph.microsoft.us", "https://login.microsoftonline.us"),
  CHINA("https://microsoftgraph.chinacloudapi.cn", "https://login.chinacloudapi.cn");

  private final String graphRoot;
  private final String authorityHost;

  GraphCloud(String graphRoot, String authorityHost) {
    this.graphRoot = graphRoot;
    this.authorityHost = authorityHost;
  }

  /** The Graph v1.0 root, e.g. {@code https://graph.microsoft.us/v1.0}. */
  public URI graphBaseUrl() {
    return URI.create(graphRoot + "/v1.0");
  }

  public URI authorityHost() {
    return URI.create(authorityHost);
  }

  /** The client-credentials scope for this cloud's Graph. */
  public String scope() {
    return graphRoot + "/.default";
  }

  /** The cloud whose Graph v1.0 root {@code url} is, if any (https, exact host, path /v1.0). */
  public static Optional<GraphCloud> ofGraphBaseUrl(URI url) {
    if (url == null || url.getHost() == null || !"https".equals(url.getScheme())) {
      return Optional.empty();
    }
    String path = url.getPath() == null ? "" : url.getPath().replaceAll("/+$", "");
    if (!path.equals("/v1.0") || url.getPort() != -1 || url.getQuery() != null) {
      return Optional.empty();
    }
    String host = url.getHost().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(c -> URI.create(c.graphRoot).getHost().equals(host))
        .findFirst();
  }

  /** The accepted roots, for an error message. */
  public static String known() {
    return String.join(
        ", ", Arrays.stream(values()).map(c -> c.graphBaseUrl().toString()).toList());
  }
}
