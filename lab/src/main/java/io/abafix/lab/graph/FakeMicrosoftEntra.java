package io.abafix.lab.graph;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.KeyCredential;
import io.abafix.activities.port.HostException;
import io.abafix.lab.fault.Fault;
import io.abafix.lab.fault.FaultInjector;
import io.abafix.lab.signin.LabIdentityProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * A stand-in for Microsoft Entra ID's token endpoint and the subset of Microsoft Graph v1.0 that
 * abafix uses, served over plain HTTP on 127.0.0.1 (an ephemeral port). The real {@code
 * GraphDirectory}, with its real msal4j and Graph SDK, talks to it unchanged except for two
 * addresses:
 *
 * <pre>{@code
 * GraphDirectoryConfig.of(tenantId, clientId, pemFile)
 *     .withIdentityEndpointOverride(fake.identityEndpoint())
 *     .withGraphBaseUrl(fake.graphBaseUrl());
 * }</pre>
 *
 * <p><b>Token endpoint</b> ({@code POST /{tenant}/oauth2/v2.0/token}): accepts the client
 * credentials grant with a certificate-signed client assertion, checked as Entra ID checks it: the
 * JWT's {@code x5t#S256} / {@code x5t} header must name a certificate registered for the client
 * with {@link #registerClient}, its RS256 signature must verify against that certificate, and
 * {@code aud}, {@code iss}, {@code sub}, {@code exp}, {@code nbf} must fit. A certificate that is
 * not registered is refused with 401 {@code invalid_client} / {@code AADSTS700027}, the answer the
 * shared-app conflict produces in production. Success issues a random opaque access token.
 *
 * <p><b>Graph</b> (under {@code /v1.0}, Bearer token from the endpoint above required): app
 * registrations (list with {@code startswith(displayName,'...')}, {@code $select}, {@code $top},
 * paged with {@code @odata.nextLink}; get; delete), deleted items (get, restore), service
 * principals (find by appId, create) and a user's transitive directory roles. The state lives in
 * the {@link Directory} given to the constructor; errors come back as Graph's ODataError JSON.
 *
 * <p><b>Faults</b>: before doing anything, each request takes a fault for its operation (the
 * constants below) from the {@link FaultInjector}, with server null. {@link Fault.Kind#HTTP}
 * answers {@code httpStatus} with {@code Retry-After: retryAfterSeconds}. The other kinds are
 * translated, so a scenario written against the directory keeps its meaning when the fault fires
 * here first: TRANSIENT answers 503 (Retry-After 1), PERMANENT answers 400, CRASH does the work and
 * then answers 504 as if the reply had been lost. Every request is recorded with its arrival time
 * ({@link #requests()}).
 */
public final class FakeMicrosoftEntra implements AutoCloseable {
  public static final String TOKEN = "token";
  public static final String LIST_APPLICATIONS = "listApplications";
  public static final String GET_APPLICATION = "getApplication";
  public static final String DELETE_APPLICATION = "deleteApplication";
  public static final String GET_DELETED_APPLICATION = "getDeletedApplication";
  public static final String RESTORE_APPLICATION = "restoreApplication";
  public static final String SERVICE_PRINCIPAL_EXISTS = "servicePrincipalExists";
  public static final String CREATE_SERVICE_PRINCIPAL = "createServicePrincipal";
  public static final String IS_GLOBAL_ADMINISTRATOR = "isGlobalAdministrator";
  public static final String GET_SERVICE_PRINCIPAL = "getServicePrincipal";
  public static final String DELETED_SERVICE_PRINCIPAL = "deletedServicePrincipal";
  public static final String RESTORE_SERVICE_PRINCIPAL = "restoreServicePrincipal";
  public static final String LIST_OWNERS = "listOwners";
  public static final String GET_USER = "getUser";
  public static final String ROLE_ELIGIBILITY = "roleEligibility";
  public static final String CHECK_MEMBER_OBJECTS = "checkMemberObjects";
  public static final String UNSUPPORTED = "unsupported";

  /** Graph's default page size for app registrations. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  private static final String GLOBAL_ADMINISTRATOR_TEMPLATE_ID =
      io.abafix.lab.LabDirectory.GLOBAL_ADMINISTRATOR_TEMPLATE_ID;
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  private static final Pattern TOKEN_PATH = Pattern.compile("/([^/]+)/oauth2/v2\\.0/token");
  private static final Pattern STARTSWITH =
      Pattern.compile("startswith\\(\\s*displayName\\s*,\\s*'((?:[^']|'')*)'\\s*\\)");
  private static final Pattern APP_ID_EQ =
      Pattern.compile("appId\\s+eq\\s+'((?:[^']|'')*)'", Pattern.CASE_INSENSITIVE);
  private static final Set<String> OIDC_SCOPES = Set.of("openid", "profile", "offline_access");
  private static final Set<String> APPLICATION_CASTS =
      Set.of("graph.application", "microsoft.graph.application");
  private static final Set<String> SERVICE_PRINCIPAL_CASTS =
      Set.of("graph.servicePrincipal", "microsoft.graph.servicePrincipal");
  private static final Set<String> DIRECTORY_ROLE_CASTS =
      Set.of("graph.directoryRole", "microsoft.graph.directoryRole");

  /** Application permissions that let an app read app registrations and service principals. */
  private static final String[] READ_APPLICATIONS = {
    "Application.Read.All",
    "Application.ReadWrite.OwnedBy",
    "Application.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All"
  };

  private static final String[] READ_USERS = {
    "User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"
  };

  private static final String[] READ_ROLES = {
    "RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory", "Directory.Read.All"
  };

  private static final String[] READ_ELIGIBILITY = {
    "RoleEligibilitySchedule.Read.Directory",
    "RoleEligibilitySchedule.ReadWrite.Directory",
    "RoleManagement.Read.Directory",
    "RoleManagement.ReadWrite.Directory"
  };

  private static final String[] READ_MEMBERSHIP = {
    "GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "Directory.ReadWrite.All"
  };

  private static final Pattern ROLE_DEFINITION_EQ =
      Pattern.compile("roleDefinitionId\\s+eq\\s+'([^']*)'", Pattern.CASE_INSENSITIVE);

  private final GraphTenant directory;
  private final FakeSignIn signIn;
  private final FaultInjector faults;
  private final int pageSize;
  private final HttpServer server;
  private final ExecutorService executor;
  private final ObjectMapper json = new ObjectMapper();
  private final SecureRandom random = new SecureRandom();
  private final Map<String, List<X509Certificate>> clients = new ConcurrentHashMap<>();

  /** Issued access tokens: the client each was issued to and the roles it carries. */
  private final Map<String, GraphTenant.Client> accessTokens = new ConcurrentHashMap<>();

  private final byte[] tokenKey = new byte[32];

  /** Replication lag: per object key, how many more reads see the state before the last write. */
  private final Map<String, Stale> stale = new ConcurrentHashMap<>();

  private volatile int staleReads;
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

  /** Starts serving {@code directory} with Graph's default page size and no faults. */
  public FakeMicrosoftEntra(GraphTenant directory) {
    this(directory, FaultInjector.none(), DEFAULT_PAGE_SIZE);
  }

  /**
   * Starts serving at once on an ephemeral loopback port.
   *
   * @param faults the faults to inject (see the class description)
   * @param pageSize the most app registrations one page holds (a smaller {@code $top} wins)
   */
  public FakeMicrosoftEntra(GraphTenant directory, FaultInjector faults, int pageSize) {
    this(directory, faults, pageSize, null);
  }

  /**
   * @param people the tenant's users and signing keys, for people's sign-ins (see {@link
   *     FakeSignIn}); null serves no sign-in endpoints
   */
  public FakeMicrosoftEntra(
      GraphTenant directory, FaultInjector faults, int pageSize, LabIdentityProvider people) {
    if (directory == null) throw new IllegalArgumentException("directory is required");
    this.signIn = people == null ? null : new FakeSignIn(people);
    if (pageSize < 1) throw new IllegalArgumentException("pageSize must be at least 1");
    this.directory = directory;
    this.faults = faults == null ? FaultInjector.none() : faults;
    this.pageSize = pageSize;
    random.nextBytes(tokenKey);
    try {
      this.server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on loopback", e);
    }
    this.executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-entra");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /**
   * Registers (or replaces) the certificates whose keys may sign client assertions for {@code
   * clientId}, like the keyCredentials of the directory worker's app registration.
   */
  public void registerClient(String clientId, X509Certificate... certificates) {
    clients.put(clientId, List.copyOf(Arrays.asList(certificates)));
  }

  /**
   * Serves replication lag (a scenario variant, {@code graph-behaviours.json} row {@code
   * graph.replication-lag}): after each write, the next {@code reads} reads of that object by its
   * key (object id or app id) still see the state before the write. Lists are served current.
   */
  public FakeMicrosoftEntra staleReads(int reads) {
    if (reads < 0) throw new IllegalArgumentException("staleReads must be 0 or more");
    this.staleReads = reads;
    return this;
  }

  /** Where msal4j's token requests go: {@code GraphDirectoryConfig.identityEndpointOverride}. */
  public URI identityEndpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /**
   * A person at a device-code prompt enters {@code userCode} and signs in as {@code user} (a lab
   * user, e.g. {@code alice}).
   */
  public void completeDeviceCode(String userCode, String user) {
    if (signIn == null) throw new IllegalStateException("this fake serves no sign-ins");
    signIn.completeDeviceCode(userCode, user);
  }

  /**
   * An access token such as the token endpoint issues to {@code clientId} (its roles the tenant's
   * grants), for a test that speaks HTTP to Graph directly rather than through msal4j.
   */
  public String accessTokenFor(String clientId) {
    GraphTenant.Client granted = directory.client(clientId);
    String token = accessToken("lab", clientId, granted.permissions());
    accessTokens.put(token, granted);
    return token;
  }

  /** The Graph root: {@code GraphDirectoryConfig.graphBaseUrl}. */
  public URI graphBaseUrl() {
    return URI.create(identityEndpoint() + "/v1.0");
  }

  /** Every request so far, in the order the answers went out. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  /** The requests for one operation, e.g. {@link #LIST_APPLICATIONS}. */
  public List<RecordedRequest> requests(String operation) {
    return requests.stream().filter(r -> r.operation().equals(operation)).toList();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  // ---------------------------------------------------------------- dispatch

  /** A request, read fully before anything is answered. */
  private record Call(
      String method,
      String path,
      Map<String, String> query,
      Map<String, List<String>> headers,
      byte[] body,
      String token) {
    Call withToken(String accessToken) {
      return new Call(method, path, query, headers, body, accessToken);
    }

    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty())
          return e.getValue().get(0);
      }
      return null;
    }
  }

  /** An answer, built completely before it is sent (so that a CRASH fault can discard it). */
  private record Reply(int status, Map<String, String> headers, byte[] body) {}

  /** An operation name and what serves it. */
  private record Route(
      String operation, String behaviour, boolean needsBearer, Function<Call, Reply> serve) {
    Route {
      Behaviours.cite(behaviour);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    Instant arrivedAt = Instant.now();
    Call call = read(exchange);
    Route route = route(call);
    Reply reply;
    try {
      reply = answer(route, call);
    } catch (RuntimeException e) {
      reply = graphError(500, "UnknownError", "the fake failed: " + e);
    }
    requests.add(
        new RecordedRequest(
            arrivedAt, route.operation(), call.method(), call.path(), reply.status()));
    send(exchange, reply);
  }

  private Reply answer(Route route, Call call) {
    if (route.needsBearer()) {
      String token = tokenOf(call);
      if (token == null) {
        Behaviours.cite("graph.bearer-required");
        return graphError(
            401, "InvalidAuthenticationToken", "Access token is empty or was not issued here.");
      }
      call = call.withToken(token);
    }
    Optional<Fault> fault = faults.take(route.operation(), null);
    if (fault.isPresent()) {
      Fault f = fault.get();
      switch (f.kind()) {
        case HTTP:
          Behaviours.cite("graph.throttling-retry-after");
          return faultReply(route, f.httpStatus(), f.retryAfterSeconds());
        case TRANSIENT:
          Behaviours.cite("graph.service-unavailable");
          return faultReply(route, 503, 1);
        case PERMANENT:
          return route.operation().equals(TOKEN)
              ? aadError(400, "invalid_request", "AADSTS90000: lab fault: request refused.")
              : graphError(400, "Request_BadRequest", "Lab fault: the request was refused.");
        case CRASH:
          serveSafely(route, call);
          return faultReply(route, 504, 1);
      }
    }
    return serveSafely(route, call);
  }

  /** Runs the operation; a failure the directory reports becomes the Graph answer for it. */
  private Reply serveSafely(Route route, Call call) {
    try {
      return route.serve().apply(call);
    } catch (Denied d) {
      Behaviours.cite("graph.permissions.denied-403");
      return graphError(
          403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
    } catch (HostException e) {
      if (e.category() == HostException.Category.TRANSIENT) {
        long seconds = e.retryAfter().map(Duration::toSeconds).orElse(1L);
        return withRetryAfter(graphError(503, "serviceNotAvailable", e.getMessage()), seconds);
      }
      return graphError(400, "Request_BadRequest", e.getMessage());
    }
  }

  private Reply faultReply(Route route, int status, long retryAfterSeconds) {
    Reply body =
        route.operation().equals(TOKEN)
            ? aadError(
                status,
                "temporarily_unavailable",
                "AADSTS90000: lab fault: the token service answered HTTP " + status + ".")
            : graphError(
                status,
                status == 429 ? "TooManyRequests" : "serviceNotAvailable",
                status == 429
                    ? "Too many requests: retry after " + retryAfterSeconds + " seconds."
                    : "The service is temporarily unavailable (HTTP " + status + ").");
    return withRetryAfter(body, retryAfterSeconds);
  }

  private Route route(Call call) {
    String method = call.method();
    String path = call.path();
    if (method.equals("POST") && TOKEN_PATH.matcher(path).matches()) {
      return new Route(TOKEN, "token.client-credentials-grant", false, this::token);
    }
    if (signIn != null) {
      Optional<String> op = signIn.operation(method, path);
      if (op.isPresent()) {
        return new Route(
            op.get(),
            FakeSignIn.behaviour(op.get()),
            false,
            c ->
                reply(
                    switch (op.get()) {
                      case FakeSignIn.OPENID_CONFIGURATION -> signIn.openidConfiguration();
                      case FakeSignIn.KEYS -> signIn.keys();
                      case FakeSignIn.AUTHORIZE -> signIn.authorize(c.query());
                      default -> signIn.deviceCode(formAndQuery(c));
                    }));
      }
    }
    if (!path.startsWith("/v1.0/")) return unsupported();
    List<String> s = List.of(path.substring("/v1.0/".length()).split("/"));
    String get = method.equals("GET") ? "GET" : null;
    if (s.get(0).equals("applications")) {
      if (s.size() == 1 && get != null) {
        return new Route(
            LIST_APPLICATIONS, "graph.applications.list-startswith", true, this::listApplications);
      }
      if (s.size() == 2 && get != null) {
        return new Route(
            GET_APPLICATION,
            "graph.applications.get-not-found",
            true,
            c -> getApplication(s.get(1), c));
      }
      if (s.size() == 2 && method.equals("DELETE")) {
        return new Route(
            DELETE_APPLICATION,
            "graph.applications.delete-soft",
            true,
            c -> deleteApplication(s.get(1), c));
      }
      if (s.size() == 3 && get != null && s.get(2).equals("owners")) {
        return new Route(
            LIST_OWNERS, "graph.applications.owners-list", true, c -> owners(s.get(1), c));
      }
    }
    if (s.size() >= 3 && s.get(0).equals("directory") && s.get(1).equals("deletedItems")) {
      String id = s.get(2);
      if (get != null && s.size() == 3 && SERVICE_PRINCIPAL_CASTS.contains(id)) {
        return new Route(
            DELETED_SERVICE_PRINCIPAL,
            "graph.deleted-items.list-service-principals",
            true,
            this::deletedServicePrincipals);
      }
      if (get != null
          && (s.size() == 3 || (s.size() == 4 && APPLICATION_CASTS.contains(s.get(3))))) {
        return new Route(
            GET_DELETED_APPLICATION,
            "graph.deleted-items.get",
            true,
            c -> getDeletedApplication(id, c));
      }
      if (method.equals("POST") && s.size() == 4 && s.get(3).equals("restore")) {
        boolean application =
            directory.getDeletedApplication(id).isPresent()
                || directory.getApplication(id).isPresent();
        return application
            ? new Route(
                RESTORE_APPLICATION,
                "graph.deleted-items.restore",
                true,
                c -> restoreApplication(id, c))
            : new Route(
                RESTORE_SERVICE_PRINCIPAL,
                "graph.deleted-items.restore",
                true,
                c -> restoreServicePrincipal(id, c));
      }
    }
    if (s.get(0).equals("servicePrincipals")) {
      if (s.size() == 1 && get != null) {
        return new Route(
            SERVICE_PRINCIPAL_EXISTS,
            "graph.service-principals.list-filter-appid",
            true,
            this::findServicePrincipals);
      }
      if (s.size() == 1 && method.equals("POST")) {
        return new Route(
            CREATE_SERVICE_PRINCIPAL,
            "graph.service-principals.create",
            true,
            this::createServicePrincipal);
      }
      if (s.size() == 2 && get != null) {
        return new Route(
            GET_SERVICE_PRINCIPAL,
            "graph.service-principals.list-filter-appid",
            true,
            c -> getServicePrincipal(s.get(1), c));
      }
    }
    if (s.get(0).equals("users") && s.size() >= 2) {
      String user = s.get(1);
      if (s.size() == 2 && get != null) {
        return new Route(GET_USER, "graph.users.get-not-found", true, c -> getUser(user, c));
      }
      if (s.size() == 4
          && get != null
          && (s.get(2).equals("transitiveMemberOf") || s.get(2).equals("memberOf"))
          && DIRECTORY_ROLE_CASTS.contains(s.get(3))) {
        return new Route(
            IS_GLOBAL_ADMINISTRATOR,
            "graph.users.transitive-member-of-directory-role",
            true,
            c -> directoryRoles(user, c));
      }
      if (s.size() == 3 && method.equals("POST") && s.get(2).equals("checkMemberObjects")) {
        return new Route(
            CHECK_MEMBER_OBJECTS,
            "graph.check-member-objects",
            true,
            c -> checkMemberObjects(user, c));
      }
    }
    if (get != null
        && s.size() == 3
        && s.get(0).equals("roleManagement")
        && s.get(1).equals("directory")
        && s.get(2).equals("roleEligibilityScheduleInstances")) {
      return new Route(
          ROLE_ELIGIBILITY,
          "graph.role-eligibility-schedule-instances",
          true,
          this::roleEligibility);
    }
    return unsupported();
  }

  private Route unsupported() {
    return new Route(
        UNSUPPORTED,
        "graph.error-format",
        false,
        c ->
            graphError(
                400,
                "BadRequest",
                "Unsupported request: " + c.method() + " " + c.path() + " is not in the fake."));
  }

  // ---------------------------------------------------------------- token endpoint

  private Reply token(Call call) {
    Matcher path = TOKEN_PATH.matcher(call.path());
    if (!path.matches()) throw new IllegalStateException("not a token path: " + call.path());
    String tenant = path.group(1);
    Map<String, String> form = parseQuery(new String(call.body(), StandardCharsets.UTF_8));
    String clientId = form.getOrDefault("client_id", "");
    if (signIn != null
        && signIn.knownTenant(tenant)
        && FakeSignIn.answersGrant(form.get("grant_type"))) {
      // msal4j sends a device code sign-in's extra parameters (the nonce) on the token request's
      // URL.
      return reply(signIn.token(formAndQuery(call)));
    }
    if (!"client_credentials".equals(form.get("grant_type"))) {
      Behaviours.cite("token.unsupported-grant");
      return aadError(
          400,
          "unsupported_grant_type",
          "AADSTS70003: The app requested an unsupported grant type '"
              + form.get("grant_type")
              + "'.");
    }
    String scope = form.getOrDefault("scope", "");
    // msal4j adds the OpenID Connect scopes to every request; Entra ID ignores them here.
    List<String> resourceScopes =
        Arrays.stream(scope.split(" "))
            .filter(x -> !x.isBlank() && !OIDC_SCOPES.contains(x))
            .toList();
    if (resourceScopes.isEmpty()
        || !resourceScopes.stream().allMatch(x -> x.endsWith("/.default"))) {
      Behaviours.cite("token.scope-default");
      return aadError(
          400,
          "invalid_scope",
          "AADSTS1002012: The provided value for scope "
              + scope
              + " is not valid. Client credential flows must have a scope value with /.default"
              + " suffixed to the resource identifier (application ID URI).");
    }
    if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
            .equals(form.get("client_assertion_type"))
        || form.get("client_assertion") == null) {
      return aadError(
          401,
          "invalid_client",
          "AADSTS7000218: The request body must contain the following parameter:"
              + " 'client_assertion' or 'client_secret'.");
    }
    List<X509Certificate> registered = clients.get(clientId);
    if (registered == null) {
      Behaviours.cite("token.unknown-client");
      return aadError(
          400,
          "unauthorized_client",
          "AADSTS700016: Application with identifier '"
              + clientId
              + "' was not found in the directory '"
              + tenant
              + "'.");
    }
    Assertion assertion;
    try {
      assertion = Assertion.parse(form.get("client_assertion"), json);
    } catch (IllegalArgumentException | IOException e) {
      return aadError(400, "invalid_request", "AADSTS50027: JWT token is invalid or malformed.");
    }
    Behaviours.cite("token.client-assertion-format");
    Behaviours.cite("token.client-assertion-claims");
    Behaviours.cite("token.unregistered-certificate");
    Optional<String> refusal = assertion.refusal(clientId, tenant, registered);
    if (refusal.isPresent()) return aadError(401, "invalid_client", refusal.get());
    GraphTenant.Client granted = directory.client(clientId);
    String accessToken = accessToken(tenant, clientId, granted.permissions());
    accessTokens.put(accessToken, granted);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("token_type", "Bearer");
    body.put("expires_in", 3599);
    body.put("ext_expires_in", 3599);
    body.put("access_token", accessToken);
    return json(200, body);
  }

  /** A client assertion JWT, decoded but not yet trusted. */
  private record Assertion(JsonNode header, JsonNode claims, byte[] signedPart, byte[] signature) {

    static Assertion parse(String jwt, ObjectMapper json) throws IOException {
      String[] parts = jwt.split("\\.");
      if (parts.length != 3) throw new IllegalArgumentException("a JWT has three parts");
      return new Assertion(
          json.readTree(base64(parts[0])),
          json.readTree(base64(parts[1])),
          (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII),
          base64(parts[2]));
    }

    /** Why Entra ID would refuse this assertion for {@code clientId}, or empty if it would not. */
    Optional<String> refusal(String clientId, String tenant, List<X509Certificate> registered) {
      if (!"RS256".equals(header.path("alg").asText())) {
        return Optional.of(
            "AADSTS5002738: Invalid JWT token. '"
                + header.path("alg")
                + "' is not a"
                + " supported signature algorithm.");
      }
      byte[] s256 = header.hasNonNull("x5t#S256") ? base64(header.get("x5t#S256").asText()) : null;
      byte[] sha1 = header.hasNonNull("x5t") ? base64(header.get("x5t").asText()) : null;
      List<X509Certificate> candidates = registered;
      if (s256 != null || sha1 != null) {
        candidates =
            registered.stream()
                .filter(
                    c ->
                        (s256 != null && Arrays.equals(s256, digest("SHA-256", c)))
                            || (s256 == null && Arrays.equals(sha1, digest("SHA-1", c))))
                .toList();
        if (candidates.isEmpty()) {
          return Optional.of(notRegistered(clientId, thumbprintUsed(sha1, s256)));
        }
      }
      if (candidates.stream().noneMatch(this::signedBy)) {
        return Optional.of(
            "AADSTS700027: Client assertion contains an invalid signature. [Reason - The key was"
                + " not found., Please visit the Azure Portal, Graph Explorer or directly use MS"
                + " Graph to see configured keys for app Id '"
                + clientId
                + "'.]");
      }
      if (!clientId.equals(claims.path("iss").asText())
          || !clientId.equals(claims.path("sub").asText())) {
        return Optional.of(
            "AADSTS700021: Client assertion application identifier doesn't match 'client_id'"
                + " parameter.");
      }
      String audience = claims.path("aud").asText();
      if (!audience.endsWith("/" + tenant + "/oauth2/v2.0/token")) {
        return Optional.of(
            "AADSTS700212: Client assertion audience claim '"
                + audience
                + "' does not match the token endpoint of tenant '"
                + tenant
                + "'.");
      }
      Instant now = Instant.now();
      long exp = claims.path("exp").asLong(0);
      long nbf = claims.path("nbf").asLong(0);
      if (exp == 0
          || now.minus(CLOCK_SKEW).isAfter(Instant.ofEpochSecond(exp))
          || now.plus(CLOCK_SKEW).isBefore(Instant.ofEpochSecond(nbf))) {
        return Optional.of("AADSTS700024: Client assertion is not within its valid time range.");
      }
      return Optional.empty();
    }

    private boolean signedBy(X509Certificate certificate) {
      try {
        Signature verifier = Signature.getInstance("SHA256withRSA");
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(signedPart);
        return verifier.verify(signature);
      } catch (GeneralSecurityException e) {
        return false;
      }
    }

    /** The SHA-1 thumbprint Entra ID reports: from x5t, else from the x5c leaf certificate. */
    private String thumbprintUsed(byte[] sha1, byte[] s256) {
      byte[] thumbprint = sha1;
      if (thumbprint == null && header.path("x5c").isArray() && header.path("x5c").size() > 0) {
        try {
          thumbprint =
              MessageDigest.getInstance("SHA-1")
                  .digest(Base64.getDecoder().decode(header.path("x5c").get(0).asText()));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
          thumbprint = null;
        }
      }
      return HexFormat.of().withUpperCase().formatHex(thumbprint != null ? thumbprint : s256);
    }

    private static String notRegistered(String clientId, String thumbprintUsed) {
      return "AADSTS700027: The certificate with identifier used to sign the client assertion is"
          + " not registered on application. [Reason - The key was not found., Thumbprint of key"
          + " used by client: '"
          + thumbprintUsed
          + "', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see"
          + " configured keys for app Id '"
          + clientId
          + "'.]";
    }

    /** Base64 in either alphabet, padded or not: x5t#S256 is seen in both forms. */
    private static byte[] base64(String text) {
      return Base64.getDecoder().decode(text.replace('-', '+').replace('_', '/').replace("=", ""));
    }
  }

  /** The access token of the call, or null when it carries none of ours. */
  private String tokenOf(Call call) {
    String authorization = call.header("Authorization");
    if (authorization == null || !authorization.startsWith("Bearer ")) return null;
    String token = authorization.substring("Bearer ".length()).trim();
    return accessTokens.containsKey(token) ? token : null;
  }

  /** Thrown by a handler when the caller's permissions do not allow the call: 403. */
  private static final class Denied extends RuntimeException {
    Denied() {
      super(null, null, false, false);
    }
  }

  /** The caller must hold one of {@code permissions} (application permissions, token roles). */
  private GraphTenant.Client require(Call call, String... permissions) {
    Behaviours.cite("graph.permissions.application-read-all");
    GraphTenant.Client client = issued(call);
    if (!client.holds(permissions)) throw new Denied();
    return client;
  }

  /** What the call's token carries: Graph decides by the roles in the token, not by the tenant. */
  private GraphTenant.Client issued(Call call) {
    return accessTokens.get(call.token());
  }

  /**
   * Changing an app (or its service principal): Application.ReadWrite.All, or
   * Application.ReadWrite.OwnedBy when the caller's service principal owns the app.
   */
  private void requireWriteOn(Call call, String appObjectId) {
    Behaviours.cite("graph.permissions.application-readwrite-all");
    GraphTenant.Client client = issued(call);
    if (client.holds("Application.ReadWrite.All")) return;
    Behaviours.cite("graph.permissions.application-readwrite-ownedby");
    if (client.holds("Application.ReadWrite.OwnedBy")
        && appObjectId != null
        && directory.owners(appObjectId).stream()
            .anyMatch(o -> o.equalsIgnoreCase(client.servicePrincipalId()))) {
      return;
    }
    throw new Denied();
  }

  // ---------------------------------------------------------------- replication lag

  private enum Before {
    LIVE,
    DELETED
  }

  /** What a lagging replica still shows of one object, for {@code remaining} more reads. */
  private static final class Stale {
    final Before before;
    final AppRegistration app;
    int remaining;

    Stale(Before before, AppRegistration app, int remaining) {
      this.before = before;
      this.app = app;
      this.remaining = remaining;
    }
  }

  private void wrote(Before before, AppRegistration app) {
    if (staleReads == 0) return;
    Behaviours.cite("graph.replication-lag");
    stale.put(app.id().toLowerCase(Locale.ROOT), new Stale(before, app, staleReads));
    stale.put(app.appId().toLowerCase(Locale.ROOT), new Stale(before, app, staleReads));
  }

  /** The stale state a read of {@code key} still sees, counting the read; empty when current. */
  private Optional<Stale> staleRead(String key) {
    if (key == null) return Optional.empty();
    Stale st = stale.get(key.toLowerCase(Locale.ROOT));
    if (st == null) return Optional.empty();
    synchronized (st) {
      if (st.remaining <= 0) return Optional.empty();
      st.remaining--;
      return Optional.of(st);
    }
  }

  // ---------------------------------------------------------------- Graph

  private Reply listApplications(Call call) {
    require(call, READ_APPLICATIONS);
    String filter = call.query().get("$filter");
    String prefix = "";
    if (filter != null) {
      Matcher m = STARTSWITH.matcher(filter.trim());
      if (!m.matches()) {
        return graphError(
            400, "Request_UnsupportedQuery", "Unsupported query in the fake: " + filter);
      }
      prefix = m.group(1).replace("''", "'");
    }
    int size = pageSize;
    int offset = 0;
    try {
      if (call.query().containsKey("$top")) {
        size = Math.min(size, Integer.parseInt(call.query().get("$top")));
      }
      if (call.query().containsKey("$skiptoken")) {
        offset = Integer.parseInt(call.query().get("$skiptoken"));
      }
    } catch (NumberFormatException e) {
      return graphError(400, "Request_BadRequest", "Invalid $top or $skiptoken.");
    }
    if (size < 1) return graphError(400, "Request_BadRequest", "Invalid $top.");
    Behaviours.cite("graph.applications.paging");
    List<AppRegistration> all = directory.listApplications(prefix);
    Set<String> select = select(call);
    List<Object> value = new ArrayList<>();
    for (int i = offset; i < Math.min(all.size(), offset + size); i++) {
      value.add(application(all.get(i), select, false));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", graphBaseUrl() + "/$metadata#applications");
    if (offset + size < all.size()) {
      Map<String, String> next = new LinkedHashMap<>(call.query());
      next.put("$skiptoken", Integer.toString(offset + size));
      body.put("@odata.nextLink", graphBaseUrl() + "/applications?" + encodeQuery(next));
    }
    body.put("value", value);
    return json(200, body);
  }

  private Reply getApplication(String id, Call call) {
    require(call, READ_APPLICATIONS);
    Optional<Stale> st = staleRead(id);
    if (st.isPresent()) {
      return st.get().before == Before.LIVE
          ? json(200, application(st.get().app, select(call), false))
          : notFound(id);
    }
    return directory
        .getApplication(id)
        .map(app -> json(200, application(app, select(call), false)))
        .orElseGet(() -> notFound(id));
  }

  private Reply deleteApplication(String id, Call call) {
    Optional<AppRegistration> app = directory.getApplication(id);
    if (app.isEmpty()) return notFound(id);
    requireWriteOn(call, id);
    Behaviours.cite("graph.applications.delete-removes-service-principal");
    try {
      directory.deleteApplication(id);
    } finally {
      // Also when the reply is lost (a CRASH fault): the write happened, replicas lag behind it.
      if (directory.getDeletedApplication(id).isPresent()) wrote(Before.LIVE, app.get());
    }
    return new Reply(204, Map.of(), new byte[0]);
  }

  private Reply getDeletedApplication(String id, Call call) {
    require(call, READ_APPLICATIONS);
    Optional<Stale> st = staleRead(id);
    if (st.isPresent()) {
      return st.get().before == Before.DELETED
          ? json(200, application(st.get().app, select(call), true))
          : notFound(id);
    }
    return directory
        .getDeletedApplication(id)
        .map(app -> json(200, application(app, select(call), true)))
        .orElseGet(() -> notFound(id));
  }

  private Reply restoreApplication(String id, Call call) {
    Optional<AppRegistration> deleted = directory.getDeletedApplication(id);
    if (deleted.isEmpty()) return notFound(id);
    requireWriteOn(call, id);
    Behaviours.cite("graph.deleted-items.restore-app-not-sp");
    try {
      directory.restoreApplication(id);
    } finally {
      if (directory.getApplication(id).isPresent()) wrote(Before.DELETED, deleted.get());
    }
    return directory
        .getApplication(id)
        .map(app -> json(200, application(app, Set.of(), true)))
        .orElseGet(() -> notFound(id));
  }

  private Reply restoreServicePrincipal(String id, Call call) {
    Optional<GraphTenant.ServicePrincipal> deleted =
        directory.servicePrincipalById(id).isPresent()
            ? Optional.empty()
            : deletedServicePrincipalById(id);
    if (deleted.isEmpty()) return notFound(id);
    String appObjectId =
        directory.listApplications("").stream()
            .filter(a -> a.appId().equalsIgnoreCase(deleted.get().appId()))
            .map(AppRegistration::id)
            .findFirst()
            .orElse(null);
    requireWriteOn(call, appObjectId);
    Behaviours.cite("graph.deleted-items.restore-keeps-assignments");
    directory.restoreServicePrincipal(id);
    return directory
        .servicePrincipalById(id)
        .map(sp -> json(200, servicePrincipal(sp, true)))
        .orElseGet(() -> notFound(id));
  }

  private Optional<GraphTenant.ServicePrincipal> deletedServicePrincipalById(String id) {
    return directory.listApplications("").stream()
        .map(a -> directory.deletedServicePrincipal(a.appId()))
        .flatMap(Optional::stream)
        .filter(sp -> sp.id().equalsIgnoreCase(id))
        .findFirst();
  }

  private Reply findServicePrincipals(Call call) {
    require(call, READ_APPLICATIONS);
    Optional<String> appId = appIdFilter(call);
    if (appId.isEmpty()) return unsupportedFilter(call);
    List<Object> value = new ArrayList<>();
    directory.servicePrincipal(appId.get()).ifPresent(sp -> value.add(servicePrincipal(sp, false)));
    return collection("servicePrincipals", value);
  }

  private Reply getServicePrincipal(String id, Call call) {
    require(call, READ_APPLICATIONS);
    return directory
        .servicePrincipalById(id)
        .map(sp -> json(200, servicePrincipal(sp, false)))
        .orElseGet(() -> notFound(id));
  }

  private Reply deletedServicePrincipals(Call call) {
    require(call, READ_APPLICATIONS);
    Optional<String> appId = appIdFilter(call);
    if (appId.isEmpty()) return unsupportedFilter(call);
    List<Object> value = new ArrayList<>();
    Optional<Stale> st = staleRead(appId.get());
    if (st.isEmpty() || st.get().before == Before.DELETED) {
      directory
          .deletedServicePrincipal(appId.get())
          .ifPresent(sp -> value.add(servicePrincipal(sp, true)));
    }
    return collection("directoryObjects", value);
  }

  private Reply createServicePrincipal(Call call) {
    String appId;
    try {
      appId = json.readTree(call.body()).path("appId").asText("");
    } catch (IOException e) {
      return graphError(400, "Request_BadRequest", "The request body is not JSON.");
    }
    if (appId.isEmpty()) return graphError(400, "Request_BadRequest", "appId is required.");
    Optional<AppRegistration> app =
        directory.listApplications("").stream()
            .filter(a -> appId.equalsIgnoreCase(a.appId()))
            .findFirst();
    Optional<Stale> st = staleRead(appId);
    if (app.isEmpty() || (st.isPresent() && st.get().before == Before.DELETED)) {
      Behaviours.cite("graph.service-principals.create-no-application");
      return graphError(
          400,
          "Request_BadRequest",
          "The appId '"
              + appId
              + "' of the service principal does not reference a valid"
              + " application object.");
    }
    requireWriteOn(call, app.get().id());
    if (directory.servicePrincipal(appId).isPresent()) {
      Behaviours.cite("graph.service-principals.create-duplicate");
      return graphError(
          409,
          "Request_MultipleObjectsWithSameKeyValue",
          "Another object with the same value for property appId already exists.");
    }
    Behaviours.cite("graph.service-principals.app-role-assignments");
    return json(201, servicePrincipal(directory.createServicePrincipalObject(appId), false));
  }

  private Reply owners(String appObjectId, Call call) {
    require(call, READ_APPLICATIONS);
    if (directory.getApplication(appObjectId).isEmpty()) return notFound(appObjectId);
    List<Object> value = new ArrayList<>();
    for (String id : directory.owners(appObjectId)) {
      Map<String, Object> owner = new LinkedHashMap<>();
      owner.put("@odata.type", "#microsoft.graph.servicePrincipal");
      owner.put("id", id);
      value.add(owner);
    }
    return collection("directoryObjects", value);
  }

  private Reply getUser(String user, Call call) {
    require(call, READ_USERS);
    return directory
        .user(user)
        .map(
            u -> {
              Map<String, Object> m = new LinkedHashMap<>();
              m.put("id", u.id());
              m.put("userPrincipalName", u.userPrincipalName());
              return json(200, m);
            })
        .orElseGet(() -> notFound(user));
  }

  private Reply directoryRoles(String user, Call call) {
    // The OData cast on a membership is an advanced query: Graph refuses it without both.
    if (!"eventual".equalsIgnoreCase(call.header("ConsistencyLevel"))
        || !"true".equalsIgnoreCase(call.query().get("$count"))) {
      return graphError(
          400,
          "Request_UnsupportedQuery",
          "The requested query requires ConsistencyLevel:eventual and $count=true (advanced"
              + " query).");
    }
    require(call, READ_USERS);
    Behaviours.cite("graph.users.read-permission");
    Optional<GraphTenant.User> u = directory.user(user);
    if (u.isEmpty()) return notFound(user);
    // Active roles only, held directly or through a role-assignable group; eligible (PIM)
    // assignments are not memberships until activated.
    Behaviours.cite("graph.role-assignable-groups");
    Behaviours.cite("graph.pim-eligible-not-in-memberof");
    Behaviours.cite("graph.global-administrator-template-id");
    // Without a permission to read roles, each role comes back with limited information.
    boolean full = issued(call).holds(READ_ROLES);
    if (!full) Behaviours.cite("graph.directory-roles.limited-information");
    List<Object> value = new ArrayList<>();
    for (String template : u.get().activeRoleTemplateIds()) {
      Map<String, Object> role = new LinkedHashMap<>();
      role.put("@odata.type", "#microsoft.graph.directoryRole");
      role.put("id", uuidFor("role:" + template));
      if (full) {
        role.put(
            "displayName",
            GLOBAL_ADMINISTRATOR_TEMPLATE_ID.equals(template) ? "Global Administrator" : template);
        role.put("roleTemplateId", template);
      }
      value.add(role);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", graphBaseUrl() + "/$metadata#directoryRoles");
    body.put("@odata.count", value.size());
    body.put("value", value);
    return json(200, body);
  }

  private Reply roleEligibility(Call call) {
    require(call, READ_ELIGIBILITY);
    String filter = call.query().getOrDefault("$filter", "");
    Matcher m = ROLE_DEFINITION_EQ.matcher(filter.trim());
    if (!m.matches()) {
      return graphError(
          400, "Request_UnsupportedQuery", "The fake needs $filter=roleDefinitionId eq '...'.");
    }
    List<Object> value = new ArrayList<>();
    for (String principal : directory.eligiblePrincipals(m.group(1))) {
      Map<String, Object> i = new LinkedHashMap<>();
      i.put("id", uuidFor("eligibility:" + principal + ":" + m.group(1)));
      i.put("principalId", principal);
      i.put("roleDefinitionId", m.group(1));
      i.put("directoryScopeId", "/");
      i.put("memberType", "Direct");
      value.add(i);
    }
    return collection("roleManagement/directory/roleEligibilityScheduleInstances", value);
  }

  private Reply checkMemberObjects(String user, Call call) {
    require(call, READ_MEMBERSHIP);
    Optional<GraphTenant.User> u = directory.user(user);
    if (u.isEmpty()) return notFound(user);
    List<String> ids = new ArrayList<>();
    try {
      json.readTree(call.body()).path("ids").forEach(n -> ids.add(n.asText()));
    } catch (IOException e) {
      return graphError(400, "Request_BadRequest", "The request body is not JSON.");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", graphBaseUrl() + "/$metadata#Collection(Edm.String)");
    body.put("value", directory.memberOf(u.get().id(), ids));
    return json(200, body);
  }

  private Reply unsupportedFilter(Call call) {
    return graphError(
        400,
        "Request_UnsupportedQuery",
        "The fake needs $filter=appId eq '...': " + call.query().get("$filter"));
  }

  private Optional<String> appIdFilter(Call call) {
    Matcher m = APP_ID_EQ.matcher(call.query().getOrDefault("$filter", "").trim());
    return m.matches() ? Optional.of(m.group(1).replace("''", "'")) : Optional.empty();
  }

  private Reply collection(String context, List<Object> value) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("@odata.context", graphBaseUrl() + "/$metadata#" + context);
    body.put("value", value);
    return json(200, body);
  }

  /** An application as Graph renders it, restricted to {@code select} (empty: every field). */
  private static Map<String, Object> application(
      AppRegistration app, Set<String> select, boolean typed) {
    Map<String, Object> all = new LinkedHashMap<>();
    if (typed) all.put("@odata.type", "#microsoft.graph.application");
    all.put("id", app.id());
    all.put("appId", app.appId());
    all.put("displayName", app.displayName());
    List<Object> keys = new ArrayList<>();
    for (KeyCredential k : app.keyCredentials()) keys.add(keyCredential(k));
    all.put("keyCredentials", keys);
    if (!select.isEmpty()) {
      all.keySet()
          .removeIf(
              field -> !field.startsWith("@") && !field.equals("id") && !select.contains(field));
    }
    return all;
  }

  private static Map<String, Object> keyCredential(KeyCredential k) {
    Behaviours.cite("graph.key-credentials-format");
    Map<String, Object> key = new LinkedHashMap<>();
    key.put("customKeyIdentifier", customKeyIdentifier(k.thumbprint()));
    key.put("displayName", null);
    key.put("endDateTime", isoOrNull(k.endDateTime()));
    key.put("key", null);
    key.put("keyId", k.keyId());
    key.put("startDateTime", null);
    key.put("type", "AsymmetricX509Cert");
    key.put("usage", "Verify");
    return key;
  }

  /** Graph carries the thumbprint's bytes, base64-encoded, not its hex text. */
  static String customKeyIdentifier(String thumbprint) {
    if (thumbprint == null) return null;
    byte[] bytes;
    try {
      bytes = HexFormat.of().parseHex(thumbprint);
    } catch (IllegalArgumentException notHex) {
      bytes = thumbprint.getBytes(StandardCharsets.UTF_8);
    }
    return Base64.getEncoder().encodeToString(bytes);
  }

  private static String isoOrNull(String dateTime) {
    if (dateTime == null) return null;
    try {
      return OffsetDateTime.parse(dateTime).toInstant().toString();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Map<String, Object> servicePrincipal(
      GraphTenant.ServicePrincipal sp, boolean typed) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (typed) m.put("@odata.type", "#microsoft.graph.servicePrincipal");
    m.put("id", sp.id());
    m.put("appId", sp.appId());
    return m;
  }

  private static String uuidFor(String name) {
    return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
  }

  private static Set<String> select(Call call) {
    String select = call.query().get("$select");
    if (select == null || select.isBlank()) return Set.of();
    return Set.copyOf(Arrays.stream(select.split(",")).map(String::trim).toList());
  }

  private Reply notFound(String id) {
    Behaviours.cite("graph.applications.get-not-found");
    return graphError(
        404,
        "Request_ResourceNotFound",
        "Resource '"
            + id
            + "' does not exist or one of its queried reference-property objects are not present.");
  }

  // ---------------------------------------------------------------- HTTP plumbing

  private Reply graphError(int status, String code, String message) {
    Behaviours.cite("graph.error-format");
    Map<String, Object> inner = new LinkedHashMap<>();
    inner.put("date", Instant.now().toString());
    inner.put("request-id", UUID.randomUUID().toString());
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code);
    error.put("message", message);
    error.put("innerError", inner);
    return json(status, Map.of("error", error));
  }

  private Reply aadError(int status, String error, String description) {
    Behaviours.cite("token.error-format");
    String traceId = UUID.randomUUID().toString();
    String correlationId = UUID.randomUUID().toString();
    Instant now = Instant.now();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", error);
    body.put(
        "error_description",
        description
            + " Trace ID: "
            + traceId
            + " Correlation ID: "
            + correlationId
            + " Timestamp: "
            + now);
    Matcher code = Pattern.compile("AADSTS(\\d+)").matcher(description);
    if (code.find()) body.put("error_codes", List.of(Long.parseLong(code.group(1))));
    body.put("timestamp", now.toString());
    body.put("trace_id", traceId);
    body.put("correlation_id", correlationId);
    return json(status, body);
  }

  /** The form fields of a POST and its query parameters, the form winning. */
  private static Map<String, String> formAndQuery(Call c) {
    Map<String, String> all = new LinkedHashMap<>(c.query());
    all.putAll(parseQuery(new String(c.body(), StandardCharsets.UTF_8)));
    return all;
  }

  private static Reply reply(FakeSignIn.Answer a) {
    return new Reply(a.status(), a.headers(), a.body());
  }

  private static Reply withRetryAfter(Reply reply, long seconds) {
    Map<String, String> headers = new LinkedHashMap<>(reply.headers());
    headers.put("Retry-After", Long.toString(seconds));
    return new Reply(reply.status(), headers, reply.body());
  }

  private Reply json(int status, Object body) {
    try {
      return new Reply(
          status,
          Map.of("Content-Type", "application/json; charset=utf-8"),
          json.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON", e);
    }
  }

  /**
   * An app-only access token as Entra ID issues it for Graph: a JWT whose {@code roles} claim lists
   * the application permissions granted to the client. Its signature is the lab's own: no client is
   * meant to verify a Graph token.
   */
  private String accessToken(String tenant, String clientId, List<String> roles) {
    Behaviours.cite("token.roles-claim");
    try {
      com.nimbusds.jwt.JWTClaimsSet claims =
          new com.nimbusds.jwt.JWTClaimsSet.Builder()
              .audience("https://graph.microsoft.com")
              .issuer("https://sts.windows.net/" + tenant + "/")
              .claim("appid", clientId)
              .claim("idtyp", "app")
              .claim("roles", roles)
              .claim("nonce", randomToken())
              .expirationTime(java.util.Date.from(Instant.now().plusSeconds(3599)))
              .build();
      com.nimbusds.jwt.SignedJWT jwt =
          new com.nimbusds.jwt.SignedJWT(
              new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.HS256), claims);
      jwt.sign(new com.nimbusds.jose.crypto.MACSigner(tokenKey));
      return jwt.serialize();
    } catch (com.nimbusds.jose.JOSEException e) {
      throw new IllegalStateException("cannot sign a lab access token", e);
    }
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static Call read(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    if (encoding != null && encoding.equalsIgnoreCase("gzip") && body.length > 0) {
      try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(body))) {
        body = in.readAllBytes();
      }
    }
    URI uri = exchange.getRequestURI();
    return new Call(
        exchange.getRequestMethod().toUpperCase(Locale.ROOT),
        uri.getPath(),
        parseQuery(uri.getRawQuery()),
        Map.copyOf(exchange.getRequestHeaders()),
        body,
        null);
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    boolean empty = reply.body().length == 0;
    exchange.sendResponseHeaders(reply.status(), empty ? -1 : reply.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      if (!empty) out.write(reply.body());
    }
  }

  private static Map<String, String> parseQuery(String raw) {
    Map<String, String> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) return query;
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }

  private static String encodeQuery(Map<String, String> query) {
    StringBuilder out = new StringBuilder();
    query.forEach(
        (k, v) -> {
          if (out.length() > 0) out.append('&');
          // Graph writes $ literally in nextLinks; a space must be %20, not +, in a URI.
          out.append(k.startsWith("$") ? k : URLEncoder.encode(k, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
        });
    return out.toString();
  }

  private static byte[] digest(String algorithm, X509Certificate certificate) {
    try {
      return MessageDigest.getInstance(algorithm).digest(certificate.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " is not available", e);
    }
  }
}
