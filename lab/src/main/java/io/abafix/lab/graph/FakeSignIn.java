package io.abafix.lab.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.lab.signin.LabIdentityProvider;
import io.abafix.lab.signin.LabUser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The people's side of the fake Entra ID, for public clients such as the {@code abafix} command
 * line: OpenID configuration, the tenant's signing keys, the authorization endpoint (authorization
 * code with PKCE, to a loopback redirect), the device code endpoint, and the token endpoint's
 * {@code authorization_code} and {@code device_code} grants, which answer with an ID token from
 * {@link LabIdentityProvider} carrying the nonce the client asked for.
 *
 * <p>Who signs in: at the authorization endpoint, the lab user the {@code login_hint} names (the
 * lab has no password page); for a device code, the lab user a test or the demo passes to {@link
 * #completeDeviceCode}.
 */
final class FakeSignIn {
  static final String OPENID_CONFIGURATION = "openidConfiguration";
  static final String KEYS = "keys";
  static final String AUTHORIZE = "authorize";
  static final String DEVICE_CODE = "deviceCode";

  private static final Pattern PATH =
      Pattern.compile(
          "/([^/]+)/(v2\\.0/\\.well-known/openid-configuration|discovery/v2\\.0/keys"
              + "|oauth2/v2\\.0/authorize|oauth2/v2\\.0/devicecode)");
  private static final String DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code";

  /** What msal4j sends as the device code grant type. */
  private static final String MSAL_DEVICE_GRANT = "device_code";

  /** An answer: status, headers, body. */
  record Answer(int status, Map<String, String> headers, byte[] body) {}

  private record Grant(
      LabUser user, String nonce, String clientId, String redirectUri, String challenge) {}

  private record PendingDevice(String clientId, String nonce, String userCode) {}

  private final LabIdentityProvider idp;
  private final ObjectMapper json = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Grant> codes = new ConcurrentHashMap<>();
  private final Map<String, PendingDevice> devices = new ConcurrentHashMap<>();
  private final Map<String, LabUser> devicesSignedIn = new ConcurrentHashMap<>();

  FakeSignIn(LabIdentityProvider idp) {
    this.idp = idp;
  }

  /** The row of {@code graph-behaviours.json} that an operation of this class implements. */
  static String behaviour(String operation) {
    return switch (operation) {
      case OPENID_CONFIGURATION -> "signin.openid-configuration";
      case KEYS -> "signin.keys";
      case AUTHORIZE -> "signin.authorize-code-pkce";
      default -> "signin.device-code";
    };
  }

  /** The operation a GET/POST path serves, or empty when it is not a sign-in path. */
  Optional<String> operation(String method, String path) {
    Matcher m = PATH.matcher(path);
    if (!m.matches() || !knownTenant(m.group(1))) return Optional.empty();
    String tail = m.group(2);
    if (method.equals("GET") && tail.endsWith("openid-configuration")) {
      return Optional.of(OPENID_CONFIGURATION);
    }
    if (method.equals("GET") && tail.endsWith("keys")) return Optional.of(KEYS);
    if (method.equals("GET") && tail.endsWith("authorize")) return Optional.of(AUTHORIZE);
    if (method.equals("POST") && tail.endsWith("devicecode")) return Optional.of(DEVICE_CODE);
    return Optional.empty();
  }

  boolean knownTenant(String tenant) {
    return tenant.equalsIgnoreCase(idp.tenantId()) || tenant.equalsIgnoreCase(idp.domain());
  }

  /** Whether the token endpoint's grant is one this class answers. */
  static boolean answersGrant(String grantType) {
    return "authorization_code".equals(grantType)
        || DEVICE_GRANT.equals(grantType)
        || MSAL_DEVICE_GRANT.equals(grantType);
  }

  Answer openidConfiguration() {
    String base = ApprovalTrust.AUTHORITY_HOST + "/" + idp.tenantId();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("issuer", base + "/v2.0");
    m.put("authorization_endpoint", base + "/oauth2/v2.0/authorize");
    m.put("token_endpoint", base + "/oauth2/v2.0/token");
    m.put("device_authorization_endpoint", base + "/oauth2/v2.0/devicecode");
    m.put("jwks_uri", base + "/discovery/v2.0/keys");
    m.put("response_types_supported", java.util.List.of("code", "id_token", "code id_token"));
    m.put("id_token_signing_alg_values_supported", java.util.List.of("RS256"));
    m.put("subject_types_supported", java.util.List.of("pairwise"));
    m.put("code_challenge_methods_supported", java.util.List.of("S256"));
    m.put("tenant_region_scope", "EU");
    return json(200, m);
  }

  Answer keys() {
    return new Answer(
        200,
        Map.of("Content-Type", "application/json; charset=utf-8"),
        idp.publishedKeys().toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The browser's visit: signs in the hinted lab user and redirects with a code. */
  Answer authorize(Map<String, String> q) {
    String redirect = q.get("redirect_uri");
    if (redirect == null || !redirect.matches("http://(localhost|127\\.0\\.0\\.1)(:\\d+)?(/.*)?")) {
      return error(400, "invalid_request", "AADSTS50011: The redirect URI is not a loopback URI.");
    }
    if (!"code".equals(q.get("response_type"))) {
      return error(400, "unsupported_response_type", "AADSTS70005: response_type must be code.");
    }
    if (!"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null) {
      return error(
          400, "invalid_request", "AADSTS9002325: Proof Key for Code Exchange is required.");
    }
    Optional<LabUser> user = idp.user(q.get("login_hint"));
    if (user.isEmpty()) {
      return error(
          400,
          "invalid_request",
          "AADSTS50034: The user account "
              + q.get("login_hint")
              + " does not exist in the lab tenant: sign in as alice, bob or carol.");
    }
    String code = randomValue();
    codes.put(
        code,
        new Grant(
            user.get(), q.get("nonce"), q.get("client_id"), redirect, q.get("code_challenge")));
    if ("form_post".equals(q.get("response_mode"))) {
      // What Entra ID answers for form_post: a page that posts the code to the redirect URI.
      StringBuilder page =
          new StringBuilder(
                  "<html><body onload=\"document.forms[0].submit()\"><form method=\"POST\"")
              .append(" action=\"")
              .append(html(redirect))
              .append("\">")
              .append(hidden("code", code));
      if (q.get("state") != null) page.append(hidden("state", q.get("state")));
      page.append("</form></body></html>");
      return new Answer(
          200,
          Map.of("Content-Type", "text/html; charset=utf-8"),
          page.toString().getBytes(StandardCharsets.UTF_8));
    }
    StringBuilder location = new StringBuilder(redirect);
    location.append(redirect.contains("?") ? '&' : '?').append("code=").append(enc(code));
    if (q.get("state") != null) location.append("&state=").append(enc(q.get("state")));
    return new Answer(302, Map.of("Location", location.toString()), new byte[0]);
  }

  Answer deviceCode(Map<String, String> form) {
    String deviceCode = randomValue();
    String userCode = randomValue().substring(0, 9).toUpperCase(java.util.Locale.ROOT);
    // The device authorization request takes no nonce (RFC 8628; Entra's /devicecode reads
    // tenant, client_id and scope only): whatever a client sends is not kept.
    devices.put(deviceCode, new PendingDevice(form.get("client_id"), null, userCode));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("device_code", deviceCode);
    m.put("user_code", userCode);
    m.put("verification_uri", "https://microsoft.com/devicelogin");
    m.put("expires_in", 900);
    m.put("interval", 1);
    m.put(
        "message",
        "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and"
            + " enter the code "
            + userCode
            + " to authenticate.");
    return json(200, m);
  }

  /** The person enters {@code userCode} and signs in as {@code user}. */
  void completeDeviceCode(String userCode, String user) {
    LabUser u = idp.requireUser(user);
    devices.forEach(
        (deviceCode, pending) -> {
          if (pending.userCode().equals(userCode)) devicesSignedIn.put(deviceCode, u);
        });
  }

  Answer token(Map<String, String> form) {
    Behaviours.cite("signin.id-token-roles-groups");
    if (DEVICE_GRANT.equals(form.get("grant_type"))
        || MSAL_DEVICE_GRANT.equals(form.get("grant_type"))) {
      String deviceCode = form.getOrDefault("device_code", "");
      PendingDevice pending = devices.get(deviceCode);
      if (pending == null) {
        return error(400, "expired_token", "AADSTS70019: The device code has expired.");
      }
      LabUser user = devicesSignedIn.get(deviceCode);
      if (user == null) {
        return error(400, "authorization_pending", "AADSTS70016: The user has not yet signed in.");
      }
      devices.remove(deviceCode);
      devicesSignedIn.remove(deviceCode);
      // Nor does the token request carry one into the ID token: a device code sign-in's token
      // has no nonce, so it cannot bind a decision.
      return tokens(user, null, form.get("client_id"));
    }
    Grant grant = codes.remove(form.getOrDefault("code", ""));
    if (grant == null) {
      return error(400, "invalid_grant", "AADSTS70008: The authorization code is invalid or used.");
    }
    if (!grant.redirectUri().equals(form.get("redirect_uri"))
        || grant.clientId() == null
        || !grant.clientId().equals(form.get("client_id"))) {
      return error(400, "invalid_grant", "AADSTS50148: The code was issued to another client.");
    }
    String verifier = form.get("code_verifier");
    if (verifier == null || !grant.challenge().equals(s256(verifier))) {
      return error(
          400, "invalid_grant", "AADSTS501481: The Code_Verifier does not match the challenge.");
    }
    return tokens(grant.user(), grant.nonce(), form.get("client_id"));
  }

  private Answer tokens(LabUser user, String nonce, String clientId) {
    if (!LabIdentityProvider.ABAFIX_CLIENT_ID.equals(clientId)) {
      return error(
          400,
          "unauthorized_client",
          "AADSTS700016: Application with identifier '" + clientId + "' was not found.");
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("token_type", "Bearer");
    m.put("scope", "openid profile");
    m.put("expires_in", 3599);
    m.put("ext_expires_in", 3599);
    m.put("access_token", randomValue());
    m.put("id_token", idp.idToken(user.upn(), nonce));
    String clientInfo = "{\"uid\":\"" + user.objectId() + "\",\"utid\":\"" + idp.tenantId() + "\"}";
    m.put(
        "client_info",
        Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(clientInfo.getBytes(StandardCharsets.UTF_8)));
    return json(200, m);
  }

  private Answer error(int status, String error, String description) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", error);
    m.put("error_description", description);
    return json(status, m);
  }

  private Answer json(int status, Object body) {
    try {
      return new Answer(
          status,
          Map.of("Content-Type", "application/json; charset=utf-8"),
          json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private String randomValue() {
    byte[] bytes = new byte[24];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String hidden(String name, String value) {
    return "<input type=\"hidden\" name=\"" + name + "\" value=\"" + html(value) + "\"/>";
  }

  private static String html(String s) {
    return s.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;");
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String s256(String verifier) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
