package io.abafix.lab;

import io.abafix.activities.graph.GraphDirectory;
import io.abafix.activities.graph.GraphDirectoryConfig;
import io.abafix.activities.port.Directory;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.activities.powershell.PowerShellSyncServerHost;
import io.abafix.activities.tenant.StepTenant;
import io.abafix.lab.graph.FakeMicrosoftEntra;
import io.abafix.lab.graph.TestCertificates;
import io.abafix.lab.powershell.FakePowerShellRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The production adapters, plugged into the lab from underneath: each server is driven by the real
 * {@link PowerShellSyncServerHost} talking to a {@link FakePowerShellRunner} backed by the lab's
 * server, and the directory by the real {@link GraphDirectory} (msal4j with a certificate, Graph
 * SDK over HTTP) talking to a {@link FakeMicrosoftEntra} backed by the lab's tenant. The demo and
 * the end-to-end tests use this, so they exercise the code users run.
 */
public final class LabAdapters implements AutoCloseable {
  /** The client id of the app registration the directory worker signs in as, in the lab. */
  public static final String DIRECTORY_WORKER_CLIENT_ID = "6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b";

  private final FakeMicrosoftEntra entra;
  private final Directory directory;
  private final Map<String, FakePowerShellRunner> runners;
  private final Map<String, SyncServerHost> hosts;
  private final Path workDir;

  private LabAdapters(
      FakeMicrosoftEntra entra,
      Directory directory,
      Map<String, FakePowerShellRunner> runners,
      Map<String, SyncServerHost> hosts,
      Path workDir) {
    this.entra = entra;
    this.directory = directory;
    this.runners = runners;
    this.hosts = hosts;
    this.workDir = workDir;
  }

  /** Starts the fake Entra endpoint on loopback and builds the adapters over the lab. */
  public static LabAdapters start(Lab lab) {
    return start(lab, 100);
  }

  /**
   * @param graphPageSize how many apps the fake Graph returns per page (small values prove paging)
   */
  public static LabAdapters start(Lab lab, int graphPageSize) {
    Path workDir;
    try {
      workDir = Files.createTempDirectory("abafix-lab-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a folder for the lab's certificate", e);
    }
    FakeMicrosoftEntra entra =
        new FakeMicrosoftEntra(lab.directory(), lab.faults(), graphPageSize, lab.identities())
            .staleReads(lab.scenario().tenant().graphOrDefault().staleReadsOrDefault());
    try {
      TestCertificates.TestCertificate identity = lab.keys().directoryWorker();
      entra.registerClient(DIRECTORY_WORKER_CLIENT_ID, identity.certificate());
      Path pem = identity.writePem(workDir.resolve("directory-worker.pem"));
      GraphDirectory directory =
          new GraphDirectory(
              GraphDirectoryConfig.of(lab.tenantDomain(), DIRECTORY_WORKER_CLIENT_ID, pem)
                  .withIdentityEndpointOverride(entra.identityEndpoint())
                  .withGraphBaseUrl(entra.graphBaseUrl()));
      Map<String, FakePowerShellRunner> runners = new LinkedHashMap<>();
      Map<String, SyncServerHost> hosts = new LinkedHashMap<>();
      for (LabSyncServerHost labHost : lab.hosts()) {
        FakePowerShellRunner runner =
            new FakePowerShellRunner(labHost)
                .tenantDomain(lab.tenantDomain())
                .connectSync(lab.scenario().tenant().connectSyncOrDefault(), lab::keyIdOf);
        runners.put(key(labHost.serverName()), runner);
        // The lab's servers have a certificate provided for ABA (BYOC), so rotation and ABA
        // configuration can run unattended, as Microsoft documents them in PowerShell.
        hosts.put(
            key(labHost.serverName()),
            recording(
                lab,
                SyncServerHost.class,
                key(labHost.serverName()),
                new PowerShellSyncServerHost(
                    labHost.serverName(),
                    runner,
                    Map.of(),
                    certificateSha256(labHost.serverName()))));
      }
      return new LabAdapters(
          entra, recording(lab, Directory.class, "directory", directory), runners, hosts, workDir);
    } catch (IOException | RuntimeException e) {
      entra.close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  /** The directory worker's certificate and private key (PEM), as the adapter reads them. */
  public Path directoryWorkerPem() {
    return workDir.resolve("directory-worker.pem");
  }

  /** The Graph directory adapter, signed in to the fake endpoint with its own certificate. */
  public Directory directory() {
    return directory;
  }

  /** The PowerShell adapter for one server. */
  public SyncServerHost host(String server) {
    SyncServerHost host = hosts.get(key(server));
    if (host == null) throw new IllegalArgumentException("no server " + server + " in the lab");
    return host;
  }

  public List<SyncServerHost> hosts() {
    return List.copyOf(hosts.values());
  }

  /** The fake runner under one server's adapter, e.g. to see which scripts ran. */
  public FakePowerShellRunner runner(String server) {
    return runners.get(key(server));
  }

  /** The fake identity platform and Graph endpoint, e.g. to read its request log. */
  public FakeMicrosoftEntra entra() {
    return entra;
  }

  @Override
  public void close() {
    entra.close();
    try (Stream<Path> files = Files.walk(workDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary certificate of a throwaway lab identity is harmless.
    }
  }

  /** The SHA-256 hash of the certificate a lab server's administrator provided for ABA. */
  public static String certificateSha256(String server) {
    try {
      byte[] digest =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(
                  ("abafix-lab-byoc-" + key(server))
                      .getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().withUpperCase().formatHex(digest);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The adapter, recording each call in the lab with the tenant of the step that made it ({@link
   * StepTenant#current()}, on the step's own thread), so a test can see which tenant's steps
   * reached which lab.
   */
  private static <T> T recording(Lab lab, Class<T> port, String target, T adapter) {
    InvocationHandler handler =
        (proxy, method, args) -> {
          if (method.getDeclaringClass() != Object.class
              && !method.getName().equals("serverName")) {
            lab.recordCall(StepTenant.current(), target, method.getName());
          }
          try {
            return method.invoke(adapter, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        };
    return port.cast(Proxy.newProxyInstance(port.getClassLoader(), new Class<?>[] {port}, handler));
  }

  private static String key(String server) {
    return server.toUpperCase(Locale.ROOT);
  }
}
