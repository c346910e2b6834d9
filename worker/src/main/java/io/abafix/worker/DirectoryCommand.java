package io.abafix.worker;

import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.activities.graph.GraphCloud;
import io.abafix.activities.graph.GraphDirectory;
import io.abafix.activities.graph.GraphDirectoryConfig;
import io.abafix.activities.graph.GraphPermissions;
import io.abafix.activities.port.Directory;
import io.abafix.worker.tenants.Tenant;
import io.abafix.worker.tenants.TenantsFile;
import io.temporal.worker.Worker;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code abafix-worker directory}: lists, deletes and restores app registrations in Microsoft
 * Graph, signed in as its own app registration with a certificate. Runs anywhere that reaches
 * Temporal and Microsoft Entra ID.
 *
 * <p>This is the only class of the worker that names {@link GraphDirectory}: the Graph SDK and
 * msal4j are loaded when this role runs, never in a server worker.
 */
@Command(
    name = "directory",
    mixinStandardHelpOptions = true,
    footerHeading = "%nExample:%n",
    footer = {
      "  abafix-worker directory --tenant-id contoso.onmicrosoft.com --client-id \\",
      "      6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b --certificate \\",
      "      abafix-directory.pfx --pfx-password-env ABAFIX_PFX_PASSWORD",
      "  abafix-worker directory --tenants /etc/abafix/tenants.json"
    },
    description = {
      "Run the Microsoft Graph steps of one tenant (--tenant-id ...), or of every tenant a tenants"
          + " file lists (--tenants), each signed in with its own credentials. Polls"
          + " abafix-directory@<tenant> for each.",
      "The app registration needs "
          + GraphPermissions.SUMMARY
          + " (docs/security.md: Directory permissions).",
      "Its certificate must hold an RSA key (msal4j signs with RS256 only) and is a Tier-0 secret."
    })
final class DirectoryCommand implements Callable<Integer> {
  private static final Pattern GUID =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private static final Pattern DOMAIN =
      Pattern.compile("([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,63}");
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions temporal;
  @Mixin ApprovalOptions approvals;

  @Option(
      names = "--tenants",
      paramLabel = "FILE",
      description =
          "The deployment's tenants file (see docs/many-tenants.md): one directory worker per tenant, in"
              + " this process. Instead of --tenant-id, --client-id and --certificate")
  Path tenantsFile;

  @Option(
      names = "--drain-tenant-blind-queue",
      description =
          "With --tenant-id: also poll abafix-directory, the queue of runs started before queues"
              + " carried the tenant, until they have finished")
  boolean drainTenantBlindQueue;

  @Option(
      names = "--tenant-id",
      paramLabel = "TENANT",
      description = "The tenant id (a GUID) or a verified domain, e.g. contoso.onmicrosoft.com")
  String tenantId;

  @Option(
      names = "--client-id",
      paramLabel = "APP_ID",
      description = "The application (client) id of this worker's own app registration")
  String clientId;

  @Option(
      names = "--certificate",
      paramLabel = "FILE",
      description =
          "The app's certificate with its private key: PEM (certificate and unencrypted PKCS#8"
              + " key) or PKCS#12 (.pfx, .p12)")
  Path certificate;

  @Option(
      names = "--pfx-password-env",
      paramLabel = "VAR",
      description =
          "The name of the environment variable that holds the PKCS#12 password (never the"
              + " password itself)")
  String pfxPasswordEnv;

  @Option(
      names = "--graph-base-url",
      paramLabel = "URL",
      description =
          "The Microsoft Graph root, for a national cloud (e.g. https://graph.microsoft.us/v1.0);"
              + " default "
              + GraphDirectoryConfig.DEFAULT_GRAPH_BASE_URL)
  String graphBaseUrl;

  private final Launcher launcher;
  private final LocalMachine machine;
  private final Function<ApprovalTrust, IdTokenVerifier> keys;
  private final UnaryOperator<GraphDirectoryConfig> wiring;

  /**
   * @param keys builds the approval verifier: Entra ID's published keys in production
   * @param wiring the last word on the Graph configuration: nothing in production; a test-only
   *     entry point uses it to send the worker to the lab's loopback Entra ID
   */
  DirectoryCommand(
      Launcher launcher,
      LocalMachine machine,
      Function<ApprovalTrust, IdTokenVerifier> keys,
      UnaryOperator<GraphDirectoryConfig> wiring) {
    this.launcher = launcher;
    this.machine = machine;
    this.keys = keys;
    this.wiring = wiring;
  }

  @Override
  public Integer call() {
    if (tenantsFile != null) return callForTenants();
    if (tenantId == null || clientId == null || certificate == null) {
      throw new UserError(
          "name the tenant: --tenants FILE, or --tenant-id, --client-id and --certificate");
    }
    GraphDirectoryConfig config = config();
    Directory directory = connect(config);
    ApprovalGuard guard = approvals.guard(keys, "directory-" + tenantId);
    return launcher.run(
        temporal,
        f -> {
          Worker worker = Workers.directory(f, tenantId, directory, guard);
          if (drainTenantBlindQueue) Workers.directoryDraining(f, directory, guard);
          return worker;
        },
        spec.commandLine().getOut());
  }

  /**
   * Every tenant of the file, each with its own sign-in (and so its own token cache, HTTP client
   * and Graph budget) on one worker factory. Every tenant is checked before any polls.
   */
  private Integer callForTenants() {
    if (tenantId != null
        || clientId != null
        || certificate != null
        || pfxPasswordEnv != null
        || drainTenantBlindQueue) {
      throw new UserError(
          "--tenants names every tenant's credentials: drop --tenant-id, --client-id,"
              + " --certificate, --pfx-password-env and --drain-tenant-blind-queue");
    }
    if (graphBaseUrl != null) {
      throw new UserError("--tenants gives each tenant's cloud: drop --graph-base-url");
    }
    TenantsFile file;
    try {
      file = TenantsFile.load(tenantsFile);
    } catch (TenantsFile.TenantsFileException e) {
      throw new UserError(e.getMessage());
    }
    ApprovalTrust base = approvals.trustIfNamed();
    Map<Tenant, Directory> directories = new LinkedHashMap<>();
    Map<Tenant, ApprovalGuard> guards = new LinkedHashMap<>();
    for (Tenant t : file.tenants()) {
      ApprovalTrust trust;
      try {
        trust = t.policy().approvers().over(base, t.policy().twoPerson());
      } catch (IllegalArgumentException e) {
        throw new UserError(
            "tenant "
                + t.id()
                + ": whose sign-ins approve? give policy.approvers.tenantId and clientId, or"
                + " --approver-tenant-id and --approver-client-id ("
                + e.getMessage()
                + ")");
      }
      guards.put(t, approvals.guard(keys, trust, "directory"));
      tenantId = t.id();
      clientId = t.graph().clientId();
      certificate = Path.of(t.graph().certificate());
      pfxPasswordEnv = t.graph().pfxPasswordEnv();
      GraphDirectoryConfig config;
      try {
        config = config();
      } catch (UserError e) {
        throw new UserError("tenant " + t.id() + ": " + e.getMessage());
      }
      config =
          new GraphDirectoryConfig(
              config.tenantId(),
              config.clientId(),
              config.certificatePath(),
              config.pfxPasswordEnvVar(),
              t.cloud().authorityHost(),
              t.cloud().graphBaseUrl(),
              config.identityEndpointOverride());
      directories.put(t, connect(config));
    }
    var out = spec.commandLine().getOut();
    return launcher.run(
        temporal,
        f -> {
          Worker first = null;
          for (Map.Entry<Tenant, Directory> e : directories.entrySet()) {
            Worker w = Workers.directory(f, e.getKey(), e.getValue(), guards.get(e.getKey()));
            out.println(
                "tenant "
                    + e.getKey().id()
                    + " ("
                    + e.getKey().displayName()
                    + "): "
                    + w.getTaskQueue()
                    + ", approvers "
                    + describe(guards.get(e.getKey())));
            if (first == null) first = w;
          }
          return first;
        },
        out);
  }

  /** Whose sign-ins a tenant's guard accepts, for the start-up lines. */
  private static String describe(ApprovalGuard guard) {
    ApprovalTrust t = guard.trust();
    return "of tenant "
        + t.tenantId()
        + " with app role "
        + t.approverRole()
        + (t.approverGroup() == null ? "" : " in group " + t.approverGroup())
        + (t.twoPerson() ? ", two-person" : "");
  }

  private GraphDirectoryConfig config() {
    if (!GUID.matcher(tenantId).matches() && !DOMAIN.matcher(tenantId).matches()) {
      throw new UserError(
          "--tenant-id "
              + tenantId
              + " is neither a tenant id (a GUID) nor a domain such as contoso.onmicrosoft.com");
    }
    if (!GUID.matcher(clientId).matches()) {
      throw new UserError(
          "--client-id "
              + clientId
              + " is not a GUID: give the application (client) id of this worker's app"
              + " registration");
    }
    if (!Files.exists(certificate)) {
      throw new UserError("certificate file " + certificate + " does not exist");
    }
    if (!Files.isRegularFile(certificate)) {
      throw new UserError("certificate " + certificate + " is not a file");
    }
    if (!Files.isReadable(certificate)) {
      throw new UserError(
          "cannot read certificate file "
              + certificate
              + ": run the worker as an account allowed to read it");
    }
    GraphDirectoryConfig config =
        GraphDirectoryConfig.of(tenantId, clientId, certificate.toAbsolutePath());
    if (graphBaseUrl != null) {
      URI url = url("--graph-base-url", graphBaseUrl);
      // The bearer token travels with every Graph request: only to Microsoft's own clouds, each
      // with its own sign-in host and token scope.
      GraphCloud cloud =
          GraphCloud.ofGraphBaseUrl(url)
              .orElseThrow(
                  () ->
                      new UserError(
                          "--graph-base-url "
                              + graphBaseUrl
                              + " is not a Microsoft Graph cloud; use one of "
                              + GraphCloud.known()));
      config = config.withCloud(cloud);
    }
    config = wiring.apply(config);
    if (pfxPasswordEnv == null) return config;

    String file = certificate.getFileName().toString().toLowerCase(Locale.ROOT);
    if (!file.endsWith(".pfx") && !file.endsWith(".p12")) {
      throw new UserError("--pfx-password-env applies to a .pfx or .p12 file only");
    }
    if (!ENV_NAME.matcher(pfxPasswordEnv).matches()) {
      throw new UserError(
          "--pfx-password-env takes the NAME of an environment variable, not a password");
    }
    if (machine.env(pfxPasswordEnv) == null) {
      throw new UserError(
          "environment variable " + pfxPasswordEnv + " (--pfx-password-env) is not set");
    }
    return config.withPfxPasswordEnvVar(pfxPasswordEnv);
  }

  private static URI url(String option, String value) {
    try {
      URI url = new URI(value);
      if (url.getHost() == null
          || !("https".equals(url.getScheme()) || "http".equals(url.getScheme()))) {
        throw new URISyntaxException(value, "not an http(s) address with a host");
      }
      return url;
    } catch (URISyntaxException e) {
      throw new UserError(option + " " + value + " is not an http(s) address with a host");
    }
  }

  /**
   * Loads the certificate now, so that a bad one fails the start (exit 2) rather than the first
   * step of a remediation.
   */
  private Directory connect(GraphDirectoryConfig config) {
    return new GraphDirectory(config, machine::env);
  }
}
