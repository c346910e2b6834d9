package io.abafix.activities.graph;

import com.microsoft.graph.core.requests.GraphClientFactory;
import com.microsoft.graph.models.Application;
import com.microsoft.graph.models.ApplicationCollectionResponse;
import com.microsoft.graph.models.DirectoryObject;
import com.microsoft.graph.models.DirectoryObjectCollectionResponse;
import com.microsoft.graph.models.DirectoryRole;
import com.microsoft.graph.models.DirectoryRoleCollectionResponse;
import com.microsoft.graph.models.ServicePrincipal;
import com.microsoft.graph.models.ServicePrincipalCollectionResponse;
import com.microsoft.graph.models.UnifiedRoleEligibilityScheduleInstance;
import com.microsoft.graph.models.UnifiedRoleEligibilityScheduleInstanceCollectionResponse;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import com.microsoft.graph.users.item.checkmemberobjects.CheckMemberObjectsPostRequestBody;
import com.microsoft.graph.users.item.checkmemberobjects.CheckMemberObjectsPostResponse;
import com.microsoft.kiota.RequestInformation;
import com.microsoft.kiota.RequestOption;
import com.microsoft.kiota.authentication.BaseBearerTokenAuthenticationProvider;
import com.microsoft.kiota.http.middleware.options.RetryHandlerOption;
import com.microsoft.kiota.serialization.Parsable;
import com.microsoft.kiota.serialization.ParsableFactory;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.CallerAccess;
import io.abafix.activities.model.KeyCredential;
import io.abafix.activities.model.RoleCheck;
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
 * certificate. The application permissions it needs are those of {@link GraphPermissions}: to
 * delete and restore the shared apps, {@code Application.ReadWrite.All}, or {@code
 * Application.ReadWrite.OwnedBy} with the worker's service principal an owner of each app; for
 * {@link #globalAdministrator}, {@code User.Read.All}, {@code RoleManagement.Read.Directory} and
 * {@code GroupMember.Read.All}. Preflight proves them ({@code checkPrerequisites}) before anything
 * changes.
 *
 * <p><b>Replication.</b> Right after a write, another replica of the directory may not show it yet.
 * For {@link RecentWrites#WINDOW} after abafix's own write to an object, a "not found" for that
 * object (or "does not reference a valid application object" for its app) is TRANSIENT, so Temporal
 * retries it with backoff; after that window, and for objects abafix did not write, it is what it
 * says. The memory of writes is this process's: after a worker restart a lagging answer counts as
 * permanent.
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

  /** Graph's words when a service principal names an app it cannot find (yet). */
  static final String NO_BACKING_APP = "does not reference a valid application object";

  private static final String ROLE_READ_PERMISSION = GraphPermissions.ROLE_MANAGEMENT_READ;
  private static final String ELIGIBILITY_PERMISSION = GraphPermissions.ROLE_MANAGEMENT_READ;

  private final GraphServiceClient graph;
  private final String thumbprint;
  private final MsalAccessTokenProvider tokens;
  private final String clientId;
  private final String graphBaseUrl;
  private final GraphPermissions.Cloud cloud;
  private final RecentWrites writes = new RecentWrites();

  /** App ids of the apps this process has read, by object id: a delete moves both. */
  private final java.util.Map<String, String> appIds =
      new java.util.concurrent.ConcurrentHashMap<>();

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
    this.tokens = new MsalAccessTokenProvider(config, certificate);
    this.clientId = config.clientId();
    this.graphBaseUrl = config.graphBaseUrl().toString();
    this.cloud = GraphPermissions.Cloud.of(config.graphBaseUrl());
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
            if (page.getValue() != null) {
              page.getValue().forEach(a -> apps.add(remember(toRegistration(a))));
            }
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
            return Optional.ofNullable(app).map(GraphDirectory::toRegistration).map(this::remember);
          } catch (RuntimeException e) {
            if (!GraphErrors.hasStatus(e, 404)) throw e;
            // Not live: deleted (as abafix may have done) or, right after a restore, not yet seen.
            if (writes.restored(id)) writes.requireSettled(id, "app registration " + id);
            return Optional.empty();
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
            return Optional.ofNullable(app).map(GraphDirectory::toRegistration).map(this::remember);
          } catch (RuntimeException e) {
            if (!GraphErrors.hasStatus(e, 404)) throw e;
            // Right after abafix deleted it, deleted items may not show it on every replica yet.
            if (writes.deleted(id)) writes.requireSettled(id, "deleted app registration " + id);
            return Optional.empty();
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
            markDeleted(id);
          } catch (RuntimeException e) {
            if (!GraphErrors.hasStatus(e, 404)) {
              markDeleted(id); // It may have happened all the same: a lost reply.
              throw e;
            }
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
   * earlier attempt already restored it and this returns normally. Does not restore the service
   * principal: see {@link #restoreServicePrincipal}.
   *
   * @throws HostException PERMANENT when the app is neither deleted nor live (for example, purged
   *     after 30 days)
   */
  @Override
  public void restoreApplication(String id) {
    restoreDeleted(
        id,
        "app registration " + id,
        () -> getApplication(id).isPresent(),
        " (deleted apps are purged after 30 days)");
  }

  @Override
  public Optional<String> servicePrincipalId(String appId) {
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
          Optional<String> id = firstId(found == null ? null : found.getValue());
          if (id.isEmpty() && writes.created(appId)) {
            writes.requireSettled(appId, "the service principal of app " + appId);
          }
          return id;
        });
  }

  /**
   * {@inheritDoc} Deleted items hold every soft-deleted service principal; the filter on appId is
   * one of the list's documented query options.
   */
  @Override
  public Optional<String> deletedServicePrincipalId(String appId) {
    return call(
        "look up the deleted service principal of app " + appId,
        () -> {
          ServicePrincipalCollectionResponse found =
              graph
                  .directory()
                  .deletedItems()
                  .graphServicePrincipal()
                  .get(
                      c -> {
                        c.queryParameters.filter = "appId eq " + odataString(appId);
                        c.queryParameters.select = new String[] {"id", "appId"};
                        c.queryParameters.count = true;
                        c.headers.add("ConsistencyLevel", "eventual");
                      });
          Optional<String> id = firstId(found == null ? null : found.getValue());
          // Right after abafix deleted the app (and so moved its service principal), deleted items
          // may lag; creating a new service principal instead would lose its role assignments, so
          // wait the replica out first.
          if (id.isEmpty() && writes.deleted(appId)) {
            writes.requireSettled(appId, "the deleted service principal of app " + appId);
          }
          return id;
        });
  }

  /**
   * {@inheritDoc} Idempotent: when the object is no longer among the deleted items but is live, an
   * earlier attempt restored it.
   *
   * @throws HostException PERMANENT when it is neither deleted nor live; TRANSIENT when that is
   *     seen within {@link RecentWrites#WINDOW} of abafix's own write to it (replication)
   */
  @Override
  public void restoreServicePrincipal(String id) {
    restoreDeleted(id, "service principal " + id, () -> servicePrincipalLive(id), "");
  }

  /**
   * {@code POST /directory/deletedItems/{id}/restore}, idempotent: a 404 with the object live means
   * an earlier attempt restored it. The write is remembered even when the answer is lost.
   */
  private void restoreDeleted(String id, String what, Supplier<Boolean> live, String purged) {
    call(
        "restore " + what,
        () -> {
          try {
            restore(id);
            writes.markRestored(id);
          } catch (RuntimeException e) {
            if (!GraphErrors.hasStatus(e, 404)) {
              writes.markRestored(id); // It may have happened all the same: a lost reply.
              throw e;
            }
            if (!live.get()) {
              writes.requireSettled(id, what);
              throw new HostException(
                  Category.PERMANENT,
                  what + " is neither deleted nor live: it cannot be restored" + purged,
                  e);
            }
            log.info("{} was already restored", what);
          }
          return null;
        });
  }

  /**
   * {@inheritDoc} Idempotent: when Graph refuses because the service principal already exists, this
   * returns the existing one. Right after the app's own restore, Graph may not yet see the app
   * ("does not reference a valid application object"): TRANSIENT within {@link RecentWrites#WINDOW}
   * of that restore.
   */
  @Override
  public String createServicePrincipal(String appId) {
    return call(
        "create the service principal of app " + appId,
        () -> {
          ServicePrincipal sp = new ServicePrincipal();
          sp.setAppId(appId);
          try {
            ServicePrincipal created = graph.servicePrincipals().post(sp);
            writes.markCreated(appId);
            return created == null ? null : created.getId();
          } catch (RuntimeException e) {
            if (!isClientError(e)) writes.markCreated(appId);
            // A 4xx may mean an earlier attempt succeeded (Graph answers a duplicate with an
            // error, not with the existing object): look before calling it a failure.
            if (!isClientError(e)) throw e;
            Optional<String> existing = servicePrincipalId(appId);
            if (existing.isPresent()) {
              log.info("The service principal of app {} already exists", appId);
              return existing.get();
            }
            if (GraphErrors.hasStatus(e, 400) && GraphErrors.message(e).contains(NO_BACKING_APP)) {
              writes.requireSettled(appId, "app " + appId);
            }
            throw e;
          }
        });
  }

  @Override
  public List<String> applicationOwners(String appObjectId) {
    return call(
        "read the owners of app registration " + appObjectId,
        () -> {
          List<String> ids = new ArrayList<>();
          DirectoryObjectCollectionResponse page =
              graph
                  .applications()
                  .byApplicationId(appObjectId)
                  .owners()
                  .get(c -> c.queryParameters.select = new String[] {"id"});
          while (page != null) {
            if (page.getValue() != null) page.getValue().forEach(o -> ids.add(o.getId()));
            String next = page.getOdataNextLink();
            page =
                next == null
                    ? null
                    : graph
                        .applications()
                        .byApplicationId(appObjectId)
                        .owners()
                        .withUrl(next)
                        .get();
          }
          return ids;
        });
  }

  /**
   * {@inheritDoc} The permissions come from the access token's {@code roles} claim (application
   * permissions granted to the worker's app and admin-consented); the service principal from Graph.
   * A token this worker cannot read leaves {@code roles} null: "cannot tell".
   */
  @Override
  public CallerAccess callerAccess() {
    List<String> roles = tokens.grantedRoles();
    String self;
    try {
      self = servicePrincipalId(clientId).orElse(null);
    } catch (HostException e) {
      // Graph would not show it (a 403 under OwnedBy): ownership then cannot be proven, which the
      // preflight reports with its fix rather than failing the run. Any other answer stands.
      if (!GraphErrors.hasStatus(e, 403)) throw e;
      self = null;
    }
    return new CallerAccess(clientId, self, roles, graphBaseUrl, cloud.portal());
  }

  /**
   * {@inheritDoc}
   *
   * <ol>
   *   <li>The user ({@code GET /users/{upn}}): 404 means no such account, which holds nothing.
   *   <li>Active roles, held directly or through a role-assignable group ({@code
   *       transitiveMemberOf/microsoft.graph.directoryRole}, an advanced query). A role without a
   *       {@code roleTemplateId} is Graph's "limited information": cannot tell.
   *   <li>Eligible assignments of Global Administrator ({@code
   *       roleManagement/directory/roleEligibilityScheduleInstances}), to the user or to a group
   *       the user belongs to ({@code checkMemberObjects}).
   * </ol>
   *
   * A 403 at any of these is "cannot tell", naming the permission that step needs.
   */
  @Override
  public RoleCheck globalAdministrator(String userPrincipalName) {
    return call(
        "read the directory roles of " + userPrincipalName,
        () -> {
          String userId;
          try {
            User user =
                graph
                    .users()
                    .byUserId(userPrincipalName)
                    .get(c -> c.queryParameters.select = new String[] {"id"});
            userId = user == null ? null : user.getId();
          } catch (RuntimeException e) {
            if (GraphErrors.hasStatus(e, 404)) {
              return RoleCheck.doesNotHold(userPrincipalName, "no such account in the tenant");
            }
            if (GraphErrors.hasStatus(e, 403)) {
              return RoleCheck.cannotTell(
                  userPrincipalName, "reading the account was refused", "User.Read.All");
            }
            throw e;
          }
          if (userId == null) {
            return RoleCheck.cannotTell(
                userPrincipalName, "Graph returned the account without its id", "User.Read.All");
          }
          Optional<RoleCheck> active = activeGlobalAdministrator(userPrincipalName, userId);
          if (active.isPresent()) return active.get();
          return eligibleGlobalAdministrator(userPrincipalName, userId);
        });
  }

  private Optional<RoleCheck> activeGlobalAdministrator(String upn, String userId) {
    DirectoryRoleCollectionResponse page;
    try {
      page =
          graph
              .users()
              .byUserId(userId)
              .transitiveMemberOf()
              .graphDirectoryRole()
              .get(
                  c -> {
                    c.queryParameters.select = new String[] {"id", "displayName", "roleTemplateId"};
                    // The OData cast on transitiveMemberOf is an advanced query.
                    c.queryParameters.count = true;
                    c.headers.add("ConsistencyLevel", "eventual");
                  });
    } catch (RuntimeException e) {
      if (GraphErrors.hasStatus(e, 403)) {
        return Optional.of(
            RoleCheck.cannotTell(
                upn, "reading its directory roles was refused", ROLE_READ_PERMISSION));
      }
      throw e;
    }
    boolean limited = false;
    while (page != null) {
      if (page.getValue() != null) {
        for (DirectoryRole role : page.getValue()) {
          if (role.getRoleTemplateId() == null) limited = true;
          else if (GLOBAL_ADMINISTRATOR_TEMPLATE_ID.equalsIgnoreCase(role.getRoleTemplateId())) {
            return Optional.of(RoleCheck.holds(upn, "active assignment"));
          }
        }
      }
      String next = page.getOdataNextLink();
      page =
          next == null
              ? null
              : graph
                  .users()
                  .byUserId(userId)
                  .transitiveMemberOf()
                  .graphDirectoryRole()
                  .withUrl(next)
                  .get(c -> c.headers.add("ConsistencyLevel", "eventual"));
    }
    if (limited) {
      return Optional.of(
          RoleCheck.cannotTell(
              upn,
              "Graph returned its directory roles with limited information (no roleTemplateId)",
              ROLE_READ_PERMISSION));
    }
    return Optional.empty();
  }

  private RoleCheck eligibleGlobalAdministrator(String upn, String userId) {
    List<String> principals = new ArrayList<>();
    try {
      UnifiedRoleEligibilityScheduleInstanceCollectionResponse page =
          graph
              .roleManagement()
              .directory()
              .roleEligibilityScheduleInstances()
              .get(
                  c ->
                      c.queryParameters.filter =
                          "roleDefinitionId eq " + odataString(GLOBAL_ADMINISTRATOR_TEMPLATE_ID));
      while (page != null) {
        if (page.getValue() != null) {
          for (UnifiedRoleEligibilityScheduleInstance i : page.getValue()) {
            if (i.getPrincipalId() != null) principals.add(i.getPrincipalId());
          }
        }
        String next = page.getOdataNextLink();
        page =
            next == null
                ? null
                : graph
                    .roleManagement()
                    .directory()
                    .roleEligibilityScheduleInstances()
                    .withUrl(next)
                    .get();
      }
    } catch (RuntimeException e) {
      if (GraphErrors.hasStatus(e, 403)) {
        return RoleCheck.cannotTell(
            upn, "reading eligible (PIM) role assignments was refused", ELIGIBILITY_PERMISSION);
      }
      throw e;
    }
    if (principals.stream().anyMatch(userId::equalsIgnoreCase)) {
      return RoleCheck.holds(upn, "eligible assignment (Privileged Identity Management)");
    }
    if (principals.isEmpty()) {
      return RoleCheck.doesNotHold(upn, "no active or eligible assignment");
    }
    List<String> groups;
    try {
      CheckMemberObjectsPostRequestBody body = new CheckMemberObjectsPostRequestBody();
      body.setIds(principals);
      CheckMemberObjectsPostResponse found =
          graph.users().byUserId(userId).checkMemberObjects().post(body);
      groups = found == null || found.getValue() == null ? List.of() : found.getValue();
    } catch (RuntimeException e) {
      if (GraphErrors.hasStatus(e, 403)) {
        return RoleCheck.cannotTell(
            upn, "checking its group memberships was refused", "GroupMember.Read.All");
      }
      throw e;
    }
    if (!groups.isEmpty()) {
      return RoleCheck.holds(
          upn,
          "eligible assignment (Privileged Identity Management) through group " + groups.get(0));
    }
    return RoleCheck.doesNotHold(upn, "no active or eligible assignment, direct or through groups");
  }

  private boolean servicePrincipalLive(String id) {
    try {
      graph
          .servicePrincipals()
          .byServicePrincipalId(id)
          .get(c -> c.queryParameters.select = new String[] {"id"});
      return true;
    } catch (RuntimeException e) {
      if (GraphErrors.hasStatus(e, 404)) return false;
      throw e;
    }
  }

  /** {@code POST /directory/deletedItems/{id}/restore} with the body Graph wants. */
  private DirectoryObject restore(String id) {
    // The generated post() sends no body, but Graph wants one, and {} is enough.
    RequestInformation request =
        graph
            .directory()
            .deletedItems()
            .byDirectoryObjectId(id)
            .restore()
            .toPostRequestInformation();
    request.setStreamContent(
        new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)), "application/json");
    HashMap<String, ParsableFactory<? extends Parsable>> errors = new HashMap<>();
    errors.put("XXX", ODataError::createFromDiscriminatorValue);
    return graph
        .getRequestAdapter()
        .send(request, errors, DirectoryObject::createFromDiscriminatorValue);
  }

  private static Optional<String> firstId(List<ServicePrincipal> found) {
    return found == null || found.isEmpty()
        ? Optional.empty()
        : Optional.ofNullable(found.get(0).getId());
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

  private void markDeleted(String objectId) {
    writes.markDeleted(objectId);
    String appId = appIds.get(objectId.toLowerCase(java.util.Locale.ROOT));
    if (appId != null) writes.markDeleted(appId);
  }

  private AppRegistration remember(AppRegistration app) {
    if (app.id() != null && app.appId() != null) {
      appIds.put(app.id().toLowerCase(java.util.Locale.ROOT), app.appId());
    }
    return app;
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
