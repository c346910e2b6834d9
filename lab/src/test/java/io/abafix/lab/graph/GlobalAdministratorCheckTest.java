package io.abafix.lab.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.graph.GraphDirectory;
import io.abafix.activities.graph.GraphDirectoryConfig;
import io.abafix.activities.model.RoleCheck;
import io.abafix.activities.port.HostException;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.lab.fault.FaultInjector;
import io.abafix.lab.graph.TestCertificates.TestCertificate;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Global Administrator check through the real Graph adapter: "cannot tell" is never "no", and
 * an eligible (PIM) assignment counts.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class GlobalAdministratorCheckTest {
  private static final String TENANT = "contoso.onmicrosoft.com";
  private static final String WORKER_APP = "11111111-2222-3333-4444-555555555555";
  private static TestCertificate worker;

  @TempDir Path dir;
  private FakeMicrosoftEntra entra;

  @BeforeAll
  static void certificate() {
    worker = TestCertificates.selfSigned("abafix directory worker");
  }

  @AfterEach
  void stop() {
    if (entra != null) entra.close();
  }

  @Test
  void roles_graph_returns_with_limited_information_are_cannot_tell_naming_the_permission()
      throws IOException {
    // Without RoleManagement.Read.Directory, Graph returns the admin's roles without their
    // roleTemplateId: that is not "not an administrator".
    GraphDirectory graph =
        connect(
            new InMemoryDirectory()
                .globalAdministrator("admin@contoso.com")
                .permissions("User.Read.All"));

    RoleCheck check = graph.globalAdministrator("admin@contoso.com");

    assertEquals(RoleCheck.Status.CANNOT_TELL, check.status(), check.describe());
    assertEquals("RoleManagement.Read.Directory", check.missingPermission());
    HostException refused =
        assertThrows(HostException.class, () -> graph.isGlobalAdministrator("admin@contoso.com"));
    assertTrue(refused.getMessage().contains("cannot tell"), refused.getMessage());
  }

  @Test
  void an_account_graph_will_not_let_it_read_is_cannot_tell() throws IOException {
    GraphDirectory graph =
        connect(
            new InMemoryDirectory()
                .globalAdministrator("admin@contoso.com")
                .permissions("Application.ReadWrite.All"));
    RoleCheck check = graph.globalAdministrator("admin@contoso.com");
    assertEquals(RoleCheck.Status.CANNOT_TELL, check.status(), check.describe());
    assertEquals("User.Read.All", check.missingPermission());
  }

  @Test
  void an_unknown_account_is_a_404_and_holds_nothing() throws IOException {
    GraphDirectory graph =
        connect(new InMemoryDirectory().globalAdministrator("admin@contoso.com"));
    assertEquals(
        RoleCheck.Status.DOES_NOT_HOLD, graph.globalAdministrator("nobody@contoso.com").status());
    assertTrue(graph.globalAdministrator("admin@contoso.com").holdsRole());
    assertEquals(
        404,
        entra.requests(FakeMicrosoftEntra.GET_USER).stream()
            .filter(r -> r.path().contains("nobody"))
            .findFirst()
            .orElseThrow()
            .status());
  }

  @Test
  void an_eligible_assignment_through_privileged_identity_management_counts() {
    Lab lab = Lab.loadResource("pim-eligible-ga", System::currentTimeMillis);
    try (LabAdapters adapters = LabAdapters.start(lab)) {
      RoleCheck check =
          adapters.directory().globalAdministrator("svc-legacy@contoso.onmicrosoft.com");
      assertTrue(check.holdsRole(), check.describe());
      assertTrue(check.how().contains("eligible"), check.describe());
      assertEquals(
          RoleCheck.Status.DOES_NOT_HOLD,
          adapters.directory().globalAdministrator("svc-aadsync@contoso.onmicrosoft.com").status());
    }
  }

  @Test
  void a_certificate_with_an_ec_key_is_refused_when_the_worker_starts() throws IOException {
    TestCertificate ec = TestCertificates.selfSignedEc("abafix directory worker (EC)");
    HostException refused =
        assertThrows(
            HostException.class,
            () ->
                new GraphDirectory(
                    GraphDirectoryConfig.of(
                        TENANT, WORKER_APP, ec.writePem(dir.resolve("ec.pem")))));
    assertEquals(HostException.Category.CREDENTIAL_UNAVAILABLE, refused.category());
    assertTrue(refused.getMessage().contains("RS256"), refused.getMessage());
  }

  private GraphDirectory connect(InMemoryDirectory tenant) throws IOException {
    entra = new FakeMicrosoftEntra(tenant, FaultInjector.none(), 100);
    entra.registerClient(WORKER_APP, worker.certificate());
    return new GraphDirectory(
        GraphDirectoryConfig.of(TENANT, WORKER_APP, worker.writePem(dir.resolve("worker.pem")))
            .withIdentityEndpointOverride(entra.identityEndpoint())
            .withGraphBaseUrl(entra.graphBaseUrl()));
  }
}
