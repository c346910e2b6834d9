package io.abafix.lab.signin;

import com.microsoft.aad.msal4j.OpenBrowserAction;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The browser of a person in the lab, for msal4j's interactive sign-in: opens the sign-in page on
 * the lab's fake Entra ID (the address msal4j builds names the real authority host, which this
 * browser sends to the fake instead), where the lab user the {@code login_hint} names signs in, and
 * follows the redirect to msal4j's own loopback listener with the authorization code.
 */
public final class LabBrowser implements OpenBrowserAction {
  private static final Pattern ACTION = Pattern.compile("action=\"([^\"]*)\"");
  private static final Pattern INPUT =
      Pattern.compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\"");

  private final String authorityHost;
  private final URI fake;
  private final HttpClient http =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  /**
   * @param authorityHost e.g. {@code https://login.microsoftonline.com}
   * @param fake the fake's loopback address
   */
  public LabBrowser(String authorityHost, URI fake) {
    this.authorityHost = authorityHost;
    this.fake = fake;
  }

  @Override
  public void openBrowser(URL url) {
    String page = url.toString();
    if (page.startsWith(authorityHost)) page = fake + page.substring(authorityHost.length());
    try {
      HttpResponse<String> signIn = get(URI.create(page));
      if (signIn.statusCode() == 200) {
        postForm(signIn.body());
        return;
      }
      String redirect = signIn.headers().firstValue("Location").orElse(null);
      if (signIn.statusCode() != 302 || redirect == null) {
        throw new IllegalStateException("the lab's sign-in page refused: " + signIn.body());
      }
      get(URI.create(redirect));
    } catch (IOException e) {
      throw new IllegalStateException("the lab browser could not reach " + page, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Submits the page's form (response_mode=form_post), as the page's script would. */
  private void postForm(String page) throws IOException, InterruptedException {
    Matcher action = ACTION.matcher(page);
    if (!action.find()) throw new IllegalStateException("the sign-in page has no form: " + page);
    StringBuilder form = new StringBuilder();
    Matcher input = INPUT.matcher(page);
    while (input.find()) {
      if (form.length() > 0) form.append('&');
      form.append(URLEncoder.encode(unescape(input.group(1)), StandardCharsets.UTF_8))
          .append('=')
          .append(URLEncoder.encode(unescape(input.group(2)), StandardCharsets.UTF_8));
    }
    http.send(
        HttpRequest.newBuilder(URI.create(unescape(action.group(1))))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form.toString()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String unescape(String s) {
    return s.replace("&quot;", "\"").replace("&lt;", "<").replace("&amp;", "&");
  }

  private HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
