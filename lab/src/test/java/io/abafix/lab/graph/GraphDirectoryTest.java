package io.abafix.lab.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.graph.GraphDirectory;
import io.abafix.activities.graph.GraphDirectoryConfig;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import io.abafix.lab.fault.Fault;
import io.abafix.lab.fault.FaultInjector;
import io.abafix.lab.graph.TestCertificates.TestCertificate;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real {@link GraphDirectory} (msal4j token with a certificate, Graph SDK requests) against
 * {@link FakeMicrosoftEntra} on loopback.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class GraphDirectoryTest {
  private static final String TENANT = "contoso.onmicrosoft.com";
  private static final String WORKER_APP = "11111111-2222-3333-4444-555555555555";
  private static final String PREFIX = "ConnectSyncProvisioning_";

  private static TestCertificate workerCertificate;
  private static TestCertificate otherCertificate;
  private static TestCertificate serverCertificate;

  @TempDir Path dir;
  private FakeMicrosoftEntra entra;

  @BeforeAll
  static void createCertificates() {
    workerCertificate = TestCertificates.selfSigned("abafix directory worker");
    otherCertificate = TestCertificates.selfSigned("some other certificate");
    serverCertificate = TestCertificates.selfSigned("ConnectSyncProvisioning SERVERA");
  }

  @AfterEach
  void stop() {
    if (entra != null) entra.close();
  }

  @Test
  void lists_every_matching_app_across_several_pages() throws IOException {
    InMemoryDirectory tenant = new InMemoryDirectory();
    for (int i = 1; i <= 5; i++) tenant.add(app(PREFIX + "SERVER" + i + "_abc123def456"));
    tenant.add(app("Some unrelated app"));
    GraphDirectory directory = connect(tenant, FaultInjector.none(), 2);

    List<AppRegistration> apps = directory.listApplications(PREFIX);

    assertEquals(5, apps.size());
    assertTrue(apps.stream().allMatch(a -> a.displayName().startsWith(PREFIX)));
    assertEquals(3, entra.requests(FakeMicrosoftEntra.LIST_APPLICATIONS).size());
  }

  @Test
  void reads_the_certificate_thumbprint_of_each_key_as_hex() throws IOException {
    AppRegistration registered =
        new AppRegistration(
            UUID.randomUUID().toString(),
            UUID.randomUUID().toString(),
            PREFIX + "SERVERA_0123456789ab",
            List.of(serverCertificate.keyCredential()));
    GraphDirectory directory =
        connect(new InMemoryDirectory().add(registered), FaultInjector.none(), 100);

    AppRegistration read = directory.getApplication(registered.id()).orElseThrow();

    assertEquals(serverCertificate.thumbprint(), read.keyCredentials().get(0).thumbprint());
    assertEquals(registered.keyCredentials().get(0).keyId(), read.keyCredentials().get(0).keyId());
    assertTrue(read.holdsCertificate(serverCertificate.thumbprint()));
  }

  @Test
  void finds_nothing_for_an_app_that_does_not_exist() throws IOException {
    GraphDirectory directory = connect(new InMemoryDirectory(), FaultInjector.none(), 100);

    assertEquals(Optional.empty(), directory.getApplication(UUID.randomUUID().toString()));
    assertEquals(Optional.empty(), directory.getDeletedApplication(UUID.randomUUID().toString()));
  }

  @Test
  void deletes_and_restores_an_app_then_recreates_its_service_principal() throws IOException {
    AppRegistration shared = app(PREFIX + "SERVERA_0123456789ab");
    InMemoryDirectory tenant = new InMemoryDirectory().add(shared);
    GraphDirectory directory = connect(tenant, FaultInjector.none(), 100);

    directory.deleteApplication(shared.id());
    assertEquals(Optional.empty(), directory.getApplication(shared.id()));
    assertEquals(
        shared.displayName(),
        directory.getDeletedApplication(shared.id()).orElseThrow().displayName());
    directory.deleteApplication(shared.id()); // Already deleted: nothing to do, no error.

    directory.restoreApplication(shared.id());
    assertTrue(directory.getApplication(shared.id()).isPresent());
    assertEquals(Optional.empty(), directory.getDeletedApplication(shared.id()));
    directory.restoreApplication(shared.id()); // Already restored: nothing to do, no error.

    assertFalse(directory.servicePrincipalExists(shared.appId()));
    directory.createServicePrincipal(shared.appId());
    assertTrue(directory.servicePrincipalExists(shared.appId()));
    directory.createServicePrincipal(shared.appId()); // Already there: nothing to do, no error.
  }

  @Test
  void refuses_to_delete_an_app_that_exists_nowhere() throws IOException {
    GraphDirectory directory = connect(new InMemoryDirectory(), FaultInjector.none(), 100);

    HostException e =
        assertThrows(
            HostException.class, () -> directory.deleteApplication(UUID.randomUUID().toString()));

    assertEquals(Category.PERMANENT, e.category());
  }

  @Test
  void a_certificate_not_registered_on_the_worker_app_is_refused_with_a_clear_message()
      throws IOException {
    entra = new FakeMicrosoftEntra(new InMemoryDirectory());
    entra.registerClient(WORKER_APP, workerCertificate.certificate());
    GraphDirectory directory =
        new GraphDirectory(config(otherCertificate.writePem(dir.resolve("other.pem"))));

    HostException e = assertThrows(HostException.class, () -> directory.listApplications(PREFIX));

    assertEquals(Category.CERTIFICATE_NOT_REGISTERED, e.category());
    assertTrue(e.getMessage().contains(otherCertificate.thumbprint()), e.getMessage());
    assertTrue(e.getMessage().contains("is not registered on app " + WORKER_APP), e.getMessage());
    assertTrue(e.getMessage().contains("AADSTS700027"), e.getMessage());
    RecordedRequest token = entra.requests(FakeMicrosoftEntra.TOKEN).get(0);
    assertEquals(401, token.status());
    assertEquals(List.of(), entra.requests(FakeMicrosoftEntra.LIST_APPLICATIONS));
  }

  @Test
  void
      a_throttled_list_fails_as_transient_with_the_wait_graph_asked_for_and_is_not_retried_by_the_sdk()
          throws IOException {
    InMemoryDirectory tenant = new InMemoryDirectory().add(app(PREFIX + "SERVERA_0123456789ab"));
    FaultInjector faults =
        new FaultInjector(
            List.of(
                new Fault(FakeMicrosoftEntra.LIST_APPLICATIONS, null, Fault.Kind.HTTP, 1, 429, 2)));
    GraphDirectory directory = connect(tenant, faults, 100);

    HostException e = assertThrows(HostException.class, () -> directory.listApplications(PREFIX));

    assertEquals(Category.TRANSIENT, e.category());
    assertEquals(Optional.of(Duration.ofSeconds(2)), e.retryAfter());
    assertEquals(1, entra.requests(FakeMicrosoftEntra.LIST_APPLICATIONS).size());
    // The caller's retry (Temporal's, in production) then succeeds.
    assertEquals(1, directory.listApplications(PREFIX).size());
  }

  @Test
  void an_unavailable_graph_on_delete_fails_as_transient_and_deletes_nothing() throws IOException {
    AppRegistration shared = app(PREFIX + "SERVERA_0123456789ab");
    InMemoryDirectory tenant = new InMemoryDirectory().add(shared);
    FaultInjector faults =
        new FaultInjector(
            List.of(
                new Fault(
                    FakeMicrosoftEntra.DELETE_APPLICATION, null, Fault.Kind.HTTP, 1, 503, 7)));
    GraphDirectory directory = connect(tenant, faults, 100);

    HostException e =
        assertThrows(HostException.class, () -> directory.deleteApplication(shared.id()));

    assertEquals(Category.TRANSIENT, e.category());
    assertEquals(Optional.of(Duration.ofSeconds(7)), e.retryAfter());
    assertEquals(1, entra.requests(FakeMicrosoftEntra.DELETE_APPLICATION).size());
    assertTrue(tenant.getApplication(shared.id()).isPresent());
  }

  @Test
  void a_throttled_token_request_fails_as_transient_with_the_wait_entra_id_asked_for()
      throws IOException {
    FaultInjector faults =
        new FaultInjector(
            List.of(new Fault(FakeMicrosoftEntra.TOKEN, null, Fault.Kind.HTTP, 1, 429, 3)));
    GraphDirectory directory = connect(new InMemoryDirectory(), faults, 100);

    HostException e = assertThrows(HostException.class, () -> directory.listApplications(PREFIX));

    assertEquals(Category.TRANSIENT, e.category());
    assertEquals(Optional.of(Duration.ofSeconds(3)), e.retryAfter());
    assertEquals(List.of(), entra.requests(FakeMicrosoftEntra.LIST_APPLICATIONS));
  }

  @Test
  void a_delete_whose_reply_was_lost_succeeds_when_tried_again() throws IOException {
    AppRegistration shared = app(PREFIX + "SERVERA_0123456789ab");
    InMemoryDirectory tenant = new InMemoryDirectory().add(shared);
    FaultInjector faults =
        new FaultInjector(
            List.of(
                new Fault(
                    FakeMicrosoftEntra.DELETE_APPLICATION, null, Fault.Kind.CRASH, 1, null, null)));
    GraphDirectory directory = connect(tenant, faults, 100);

    HostException lost =
        assertThrows(HostException.class, () -> directory.deleteApplication(shared.id()));
    assertEquals(Category.TRANSIENT, lost.category());
    assertTrue(tenant.getDeletedApplication(shared.id()).isPresent());

    directory.deleteApplication(shared.id());

    assertTrue(tenant.getDeletedApplication(shared.id()).isPresent());
    assertEquals(Optional.empty(), tenant.getApplication(shared.id()));
  }

  @Test
  void tells_a_global_administrator_from_an_ordinary_account() throws IOException {
    InMemoryDirectory tenant = new InMemoryDirectory().globalAdministrator("admin@contoso.com");
    GraphDirectory directory = connect(tenant, FaultInjector.none(), 100);

    assertTrue(directory.isGlobalAdministrator("admin@contoso.com"));
    assertFalse(
        directory.isGlobalAdministrator("Sync_SERVERA_0123456789ab@contoso.onmicrosoft.com"));
  }

  @Test
  void signs_in_with_a_password_protected_pfx_whose_password_comes_from_the_environment()
      throws IOException {
    entra = new FakeMicrosoftEntra(new InMemoryDirectory().add(app(PREFIX + "SERVERA_x")));
    entra.registerClient(WORKER_APP, workerCertificate.certificate());
    Path pfx = workerCertificate.writePkcs12(dir.resolve("worker.pfx"), "s3cret!".toCharArray());
    GraphDirectoryConfig config = config(pfx).withPfxPasswordEnvVar("ABAFIX_GRAPH_PFX_PASSWORD");

    GraphDirectory directory =
        new GraphDirectory(config, Map.of("ABAFIX_GRAPH_PFX_PASSWORD", "s3cret!")::get);

    assertEquals(workerCertificate.thumbprint(), directory.certificateThumbprint());
    assertEquals(1, directory.listApplications(PREFIX).size());
  }

  @Test
  void a_missing_pfx_password_makes_the_credential_unavailable() throws IOException {
    Path pfx = workerCertificate.writePkcs12(dir.resolve("worker.pfx"), "s3cret!".toCharArray());
    GraphDirectoryConfig config = config(pfx).withPfxPasswordEnvVar("ABAFIX_GRAPH_PFX_PASSWORD");

    HostException e =
        assertThrows(HostException.class, () -> new GraphDirectory(config, name -> null));

    assertEquals(Category.CREDENTIAL_UNAVAILABLE, e.category());
    assertTrue(e.getMessage().contains("ABAFIX_GRAPH_PFX_PASSWORD"), e.getMessage());
  }

  private GraphDirectory connect(InMemoryDirectory tenant, FaultInjector faults, int pageSize)
      throws IOException {
    entra = new FakeMicrosoftEntra(tenant, faults, pageSize);
    entra.registerClient(WORKER_APP, workerCertificate.certificate());
    return new GraphDirectory(config(workerCertificate.writePem(dir.resolve("worker.pem"))));
  }

  private GraphDirectoryConfig config(Path certificate) {
    return GraphDirectoryConfig.of(TENANT, WORKER_APP, certificate)
        .withIdentityEndpointOverride(entra == null ? null : entra.identityEndpoint())
        .withGraphBaseUrl(entra == null ? null : entra.graphBaseUrl());
  }

  private static AppRegistration app(String displayName) {
    return new AppRegistration(
        UUID.randomUUID().toString(), UUID.randomUUID().toString(), displayName, List.of());
  }
}
