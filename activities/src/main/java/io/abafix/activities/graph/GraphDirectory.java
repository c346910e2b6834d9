package io.abafix.activities.graph;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.Application;
import com.microsoft.graph.models.ApplicationCollectionResponse;
import com.microsoft.graph.models.DirectoryObject;
import com.microsoft.graph.models.DirectoryRole;
import com.microsoft.graph.models.DirectoryRoleCollectionResponse;
import com.microsoft.graph.models.ServicePrincipal;
import com.microsoft.graph.models.ServicePrincipalCollectionResponse;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.KeyCredential;
import io.abafix.activities.port.Directory;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Directory} on Microsoft Graph v1.0, signed in as the directory worker's own app with a
 * certificate. Application permissions needed: {@code Application.ReadWrite.All} (list, delete,
 * restore apps, create service principals) and, for {@link #isGlobalAdministrator}, {@code
 * RoleManagement.Read.Directory} with {@code User.Read.All}, or {@code Directory.Read.All}.
 *
 * <p><b>Who retries.</b> Exactly one layer retries throttled or unavailable calls (HTTP 429, 503,
 * 504), and it is Temporal, not the Graph SDK: a Temporal retry is durable (it survives a worker
 * restart), visible in the workflow history, and does not hold a worker thread asleep. The SDK's
 * own RetryHandler (three quiet tries honouring Retry-After) is therefore switched off, and those
 * answers become {@link HostException} TRANSIENT carrying the Retry-After the service asked for;
 * the activity layer turns it into the next retry delay. Token requests get the same treatment:
 * msal4j does not retry a throttled or failed token request (seen with 1.26.0), and its answer is
 * sorted the same way.
 *
 * <p>Every method throws {@link HostException}: TRANSIENT (throttling, outage, network),
 * CERTIFICATE_NOT_REGISTERED (the worker's certificate is not on its app: AADSTS700027), PERMANENT
 * (anything else Graph refuses). Thread safe.
 */
public final class GraphDirectory implements Directory {
  /** The role template id of Global Administrator, the same in every tenant. */
  public static final String GLOBAL_ADMINISTRATOR_TEMPLATE_ID =
      "62e90394-69f5-4237-9190-012177145e10";

  private static final Logger log = LoggerFactory.getLogger(GraphDirectory.class);
  private static final String[] APP_FIELDS = {"id", "appId", "displayName", "keyCredentials"};
  private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

  private final GraphServiceClient graph;
  private final String thumbprint;

  /**
   * Connects with the configuration's certificate; a PKCS#12 password comes from the process
   * environment.
   */
  public GraphDirectory(GraphDirectoryConfig config) {
    this(config, System::getenv);
  }

  /**
   * Connects with the configuration's certificate.
   *
   * @param environment looks up the environment variable that {@link
   *     GraphDirectoryConfig#pfxPasswordEnvVar()} names; {@code System::getenv} in production
   * @throws HostException CREDENTIAL_UNAVAILABLE when the certificate cannot be loaded, so that a
   *     misconfigured worker fails when it starts rather than at its first activity
   */
  public GraphDirectory(GraphDirectoryConfig config, Function<String, String> environment) {
    SigningCertificate certificate = SigningCertificate.load(config, environment);
    this.thumbprint = certificate.thumbprint();
    MsalAccessTokenProvider tokens = new MsalAccessTokenProvider(config, certificate);
    // Temporal owns retries (see the class description): the default middleware chain keeps its
    // RetryHandler, but with an option that never retries, so a 429 comes straight back to us.
    RetryHandlerOption noSdkRetries =
        new RetryHandlerOption((delay, attempt, req, resp) -> false, 0, 0);
    OkHttpClient http = GraphClientFactory.create(new RequestOption[] {noSdkRetries}).build();
    this.graph = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens), http);
    graph.getRequestAdapter().setBaseUrl(config.graphBaseUrl().toString());
    log.info(
        "Graph directory for tenant {} as app {} (certificate thumbprint {}) at {}",
        config.tenantId(),
        config.clientId(),
        thumbprint,
        config.graphBaseUrl());
  }

  /** The SHA-1 thumbprint of the certificate this directory signs in with. */
  public String certificateThumbprint() {
    return thumbprint;
  }

  /** {@inheritDoc} Follows {@code @odata.nextLink} until the last page. */
  @Override
  public List<AppRegistration> listApplications(String displayNamePrefix) {
    String prefix = displayNamePrefix == null ? "" : displayNamePrefix;
    return call(
        "list app registrations starting with '" + prefix + "'",
        () -> {
          List<AppRegistration> apps = new ArrayList<>();
          ApplicationCollectionResponse page =
              graph
                  .applications()
                  .get(
                      c -> {
                        c.queryParameters.filter =
                            "startswith(displayName," + odataString(prefix) + ")";
                        c.queryParameters.select = APP_FIELDS;
                      });
          while (page != null) {
            if (page.getValue() != null) page.getValue().forEach(a -> apps.add(toRegistration(a)));
            String next = page.getOdataNextLink();
            page = next == null ? null : graph.applications().withUrl(next).get();
          }
          return apps;
        });
  }

  @Override
  public Optional<AppRegistration> getApplication(String id) {
    return call(
        "read app registration " + id,
        () -> {
          try {
            Application app =
                graph
                    .applications()
                    .byApplicationId(id)
                    .get(c -> c.queryParameters.select = APP_FIELDS);
            return Optional.ofNullable(app).map(GraphDirectory::toRegistration);
          } catch (RuntimeException e) {
            if (GraphErrors.hasStatus(e, 404)) return Optional.empty();
            throw e;
          }
        });
  }

  @Override
  public Optional<AppRegistration> getDeletedApplication(String id) {
    return call(
        "read deleted app registration " + id,
        () -> {
          try {
            Application app =
                graph
                    .directory()
                    .deletedItems()
                    .byDirectoryObjectId(id)
                    .graphApplication()
                    .get(c -> c.queryParameters.select = APP_FIELDS);
            return Optional.ofNullable(app).map(GraphDirectory::toRegistration);
          } catch (RuntimeException e) {
            if (GraphErrors.hasStatus(e, 404)) return Optional.empty();
            throw e;
          }
        });
  }

  /**
   * {@inheritDoc} Idempotent: when Graph says the app does not exist but it is among the deleted
   * items, an earlier attempt already deleted it and this returns normally.
   *
   * @throws HostException PERMANENT when the app is neither live nor deleted
   */
  @Override
  public void deleteApplication(String id) {
    call(
        "delete app registration " + id,
        () -> {
          try {
            graph.applications().byApplicationId(id).delete();
          } catch (RuntimeException e) {
            if (!GraphErrors.hasStatus(e, 404)) throw e;
            if (getDeletedApplication(id).isEmpty()) {
              throw new HostException(
                  Category.PERMANENT,
                  "app registration " + id + " does not exist, live or deleted: nothing to delete",
                  e);
            }
            log.info("App registration {} was already deleted", id);
          }
          return null;
        });
  }

  /**
   * {@inheritDoc} Idempotent: when the app is no longer among the deleted items but is live, an
   * earlier attempt already restored it and this returns normally. Does not recreate the service
   * principal: see {@link #createServicePrincipal}.
   *
   * @throws HostException PERMANENT when the app is neither deleted nor live (for example, purged
   *     after 30 days)
   */
  @Override
  public void restoreApplication(String id) {
    call(
        "restore app registration " + id,
        () -> {
          try {
            // The generated post() sends no body, but Graph wants one, and {} is enough.
            RequestInformation request =
                graph
                    .directory()
                    .deletedItems()
                    .byDirectoryObjectId(id)
                    .restore()
                    .toPostRequestInformation();
            request.setStreamContent(
                new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)),
                "application/json");
            HashMap<String, ParsableFactory<? extends Parsable>> errors = new HashMap<>();
            errors.put("XXX", ODataError::createFromDiscriminatorValue);
            graph
                .getRequestAdapter()
                .send(request, errors, DirectoryObject::createFromDiscriminatorValue);
          } catch (RuntimeException e) {
            if (!GraphErrors.hasStatus(e, 404)) throw e;
            if (getApplication(id).isEmpty()) {
              throw new HostException(
                  Category.PERMANENT,
                  "app registration "
                      + id
                      + " is neither deleted nor live: it cannot be restored (deleted apps are"
                      + " purged after 30 days)",
                  e);
            }
            log.info("App registration {} was already restored", id);
          }
          return null;
        });
  }

  @Override
  public boolean servicePrincipalExists(String appId) {
    return call(
        "look up the service principal of app " + appId,
        () -> {
          ServicePrincipalCollectionResponse found =
              graph
                  .servicePrincipals()
                  .get(
                      c -> {
                        c.queryParameters.filter = "appId eq " + odataString(appId);
                        c.queryParameters.select = new String[] {"id", "appId"};
                      });
          return found != null && found.getValue() != null && !found.getValue().isEmpty();
        });
  }

  /**
   * {@inheritDoc} Idempotent: when Graph refuses because the service principal already exists, this
   * returns normally.
   */
  @Override
  public void createServicePrincipal(String appId) {
    call(
        "create the service principal of app " + appId,
        () -> {
          ServicePrincipal sp = new ServicePrincipal();
          sp.setAppId(appId);
          try {
            graph.servicePrincipals().post(sp);
          } catch (RuntimeException e) {
            // A 4xx may mean an earlier attempt succeeded (Graph answers a duplicate with an
            // error, not with the existing object): look before calling it a failure.
            if (!isClientError(e) || !servicePrincipalExists(appId)) throw e;
            log.info("The service principal of app {} already exists", appId);
          }
          return null;
        });
  }

  /**
   * {@inheritDoc} Reads the user's directory roles, including those held through groups ({@code
   * transitiveMemberOf}), and looks for the Global Administrator template id. A user that does not
   * exist holds no role: false.
   */
  @Override
  public boolean isGlobalAdministrator(String userPrincipalName) {
    return call(
        "read the directory roles of " + userPrincipalName,
        () -> {
          DirectoryRoleCollectionResponse page;
          try {
            page =
                graph
                    .users()
                    .byUserId(userPrincipalName)
                    .transitiveMemberOf()
                    .graphDirectoryRole()
                    .get(
                        c -> {
                          c.queryParameters.select =
                              new String[] {"id", "displayName", "roleTemplateId"};
                          // The OData cast on transitiveMemberOf is an advanced query.
                          c.queryParameters.count = true;
                          c.headers.add("ConsistencyLevel", "eventual");
                        });
          } catch (RuntimeException e) {
            if (GraphErrors.hasStatus(e, 404)) return false;
            throw e;
          }
          while (page != null) {
            if (page.getValue() != null) {
              for (DirectoryRole role : page.getValue()) {
                if (GLOBAL_ADMINISTRATOR_TEMPLATE_ID.equalsIgnoreCase(role.getRoleTemplateId())) {
                  return true;
                }
              }
            }
            String next = page.getOdataNextLink();
            page =
                next == null
                    ? null
                    : graph
                        .users()
                        .byUserId(userPrincipalName)
                        .transitiveMemberOf()
                        .graphDirectoryRole()
                        .withUrl(next)
                        .get(c -> c.headers.add("ConsistencyLevel", "eventual"));
          }
          return false;
        });
  }

  private static <T> T call(String action, Supplier<T> body) {
    try {
      return body.get();
    } catch (RuntimeException e) {
      HostException translated =
          e instanceof HostException already ? already : GraphErrors.translate(action, e);
      log.warn("{} ({})", translated.getMessage(), translated.category());
      throw translated;
    }
  }

  private static boolean isClientError(RuntimeException e) {
    int status = GraphErrors.status(e);
    return status >= 400 && status < 500 && status != 429;
  }

  /** An OData string literal: single quotes, an embedded quote doubled. */
  private static String odataString(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  private static AppRegistration toRegistration(Application app) {
    List<KeyCredential> keys = new ArrayList<>();
    if (app.getKeyCredentials() != null) {
      for (com.microsoft.graph.models.KeyCredential k : app.getKeyCredentials()) {
        keys.add(
            new KeyCredential(
                k.getKeyId() == null ? null : k.getKeyId().toString(),
                thumbprintOf(k.getCustomKeyIdentifier()),
                k.getEndDateTime() == null
                    ? null
                    : ISO.format(k.getEndDateTime().withOffsetSameInstant(ZoneOffset.UTC))));
      }
    }
    return new AppRegistration(app.getId(), app.getAppId(), app.getDisplayName(), keys);
  }

  /**
   * Graph's {@code customKeyIdentifier} is base64 in JSON; for an uploaded certificate its bytes
   * are the SHA-1 thumbprint, which Windows shows as 40 upper-case hex digits.
   */
  static String thumbprintOf(byte[] customKeyIdentifier) {
    if (customKeyIdentifier == null || customKeyIdentifier.length == 0) return null;
    return HexFormat.of().withUpperCase().formatHex(customKeyIdentifier);
  }
}
