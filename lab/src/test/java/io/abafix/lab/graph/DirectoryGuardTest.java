package io.abafix.lab.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.DirectoryActivitiesImpl;
import io.abafix.activities.FailureTypes;
import io.abafix.activities.approval.ApprovalProof;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.ProvenParameters;
import io.abafix.activities.approval.RunRef;
import io.abafix.activities.approval.StepAuthorization;
import io.abafix.activities.graph.GraphDirectory;
import io.abafix.activities.graph.GraphDirectoryConfig;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.ApprovedDeletions;
import io.abafix.lab.fault.FaultInjector;
import io.abafix.lab.graph.TestCertificates.TestCertificate;
import io.abafix.lab.signin.LabIdentityProvider;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory activities' own guard, through the real Graph adapter to the fake Entra ID, which
 * records every request: what the approval does not cover is refused before anything is sent.
 */
@DisplayNameGeneration(ReplaceUnderscores.class)
class DirectoryGuardTest {
  private static final String TENANT = "contoso.onmicrosoft.com";
  private static final String WORKER_APP = "11111111-2222-3333-4444-555555555555";
  private static final String RUN = "run-1";
  private static final RunRef THIS_RUN = new RunRef("default", "abafix-remediation-" + TENANT, RUN);
  private final LabIdentityProvider approvers =
      new LabIdentityProvider(TENANT, java.time.Clock.systemUTC());

  private static TestCertificate workerCertificate;

  @TempDir Path dir;
  private FakeMicrosoftEntra entra;
  private final AppRegistration shared = app("ConnectSyncProvisioning_SERVERA_0123456789ab");
  private final AppRegistration other = app("ConnectSyncProvisioning_SERVERC_ba9876543210");
  private final AppRegistration payroll = app("Payroll");
  private DirectoryActivitiesImpl activities;
  private InMemoryDirectory tenant;

  @BeforeAll
  static void createCertificate() {
    workerCertificate = TestCertificates.selfSigned("abafix directory worker");
  }

  @BeforeEach
  void connect() throws IOException {
    tenant = new InMemoryDirectory().add(shared).add(other).add(payroll).worker(WORKER_APP);
    entra = new FakeMicrosoftEntra(tenant, FaultInjector.none(), 100);
    entra.registerClient(WORKER_APP, workerCertificate.certificate());
    reconnect();
  }

  @AfterEach
  void stop() {
    entra.close();
  }

  @Test
  void an_app_the_plan_names_is_deleted_and_restored() {
    ApprovedDeletions approval = ApprovedDeletions.of(RUN, List.of(shared));
    assertTrue(activities.deleteApplication(shared.id(), signed(shared), approval).changed());
    assertEquals(1, entra.requests(FakeMicrosoftEntra.DELETE_APPLICATION).size());
    assertTrue(activities.restoreApplication(shared.id(), signed(shared), approval).changed());
    assertEquals(1, entra.requests(FakeMicrosoftEntra.RESTORE_APPLICATION).size());
  }

  @Test
  void an_app_the_plan_does_not_name_sends_no_request() {
    ApprovedDeletions approval = ApprovedDeletions.of(RUN, List.of(shared));
    // Signed for both, but the plan names only the shared app.
    assertRefused(
        () -> activities.deleteApplication(other.id(), signed(shared, other), approval),
        "does not name it");
    assertRefused(
        () -> activities.restoreApplication(other.id(), signed(other), approval),
        "does not name it");
    assertEquals(List.of(), entra.requests());
  }

  @Test
  void an_app_not_named_connect_sync_provisioning_sends_no_request_even_when_approved() {
    ApprovedDeletions approval = ApprovedDeletions.of(RUN, List.of(payroll));
    assertRefused(
        () -> activities.deleteApplication(payroll.id(), signed(payroll), approval), "only");
    assertRefused(
        () -> activities.restoreApplication(payroll.id(), signed(payroll), approval), "only");
    assertEquals(List.of(), entra.requests());
  }

  @Test
  void an_approval_that_misnames_the_live_app_deletes_nothing() {
    // The approval calls Payroll's object id a provisioning app: Graph says otherwise.
    ApprovedDeletions approval =
        new ApprovedDeletions(
            RUN,
            List.of(
                new ApprovedDeletions.ApprovedApp(
                    payroll.id(), payroll.appId(), "ConnectSyncProvisioning_FAKE_000000000000")),
            1);
    assertRefused(
        () -> activities.deleteApplication(payroll.id(), signed(payroll), approval),
        "not the approved");
    assertEquals(List.of(), entra.requests(FakeMicrosoftEntra.DELETE_APPLICATION));
  }

  @Test
  void no_more_apps_than_the_plan_counts_are_deleted_in_one_run() {
    ApprovedDeletions approval =
        new ApprovedDeletions(
            RUN, ApprovedDeletions.of(RUN, List.of(shared, other)).applications(), 1);
    StepAuthorization both = signed(shared, other);
    assertRefused(() -> activities.deleteApplication(shared.id(), both, approval), "allows 1");
    ApprovedDeletions one = ApprovedDeletions.of(RUN, List.of(shared));
    activities.deleteApplication(shared.id(), both, one);
    activities.restoreApplication(shared.id(), signed(shared), one);
    activities.deleteApplication(shared.id(), both, one); // the same app again: still one app
    ApprovedDeletions widened = ApprovedDeletions.of(RUN, List.of(shared, other));
    ApprovedDeletions sameCount =
        new ApprovedDeletions(RUN, widened.applications().subList(1, 2), 1);
    assertRefused(
        () -> activities.deleteApplication(other.id(), both, sameCount), "already deleted 1");
    assertEquals(2, entra.requests(FakeMicrosoftEntra.DELETE_APPLICATION).size());
  }

  @Test
  void no_approval_at_all_sends_no_request() {
    assertRefused(
        () -> activities.deleteApplication(shared.id(), signed(shared), null), "no approved plan");
    ApplicationFailure unsigned =
        assertThrows(
            ApplicationFailure.class,
            () ->
                activities.deleteApplication(
                    shared.id(), null, ApprovedDeletions.of(RUN, List.of(shared))));
    assertEquals(FailureTypes.APPROVAL_REFUSED, unsigned.getType());
    ApplicationFailure otherApp =
        assertThrows(
            ApplicationFailure.class,
            () ->
                activities.deleteApplication(
                    shared.id(), signed(other), ApprovedDeletions.of(RUN, List.of(shared))));
    assertEquals(FailureTypes.APPROVAL_REFUSED, otherApp.getType());
    assertEquals(List.of(), entra.requests());
  }

  @Test
  void a_restored_app_gets_back_its_own_service_principal_not_a_new_one() {
    String original = tenant.servicePrincipal(shared.appId()).orElseThrow().id();
    ApprovedDeletions approval = ApprovedDeletions.of(RUN, List.of(shared));
    activities.deleteApplication(shared.id(), signed(shared), approval);
    assertTrue(tenant.servicePrincipal(shared.appId()).isEmpty(), "gone with its app");

    var restored = activities.restoreApplication(shared.id(), signed(shared), approval);

    assertEquals(original, tenant.servicePrincipal(shared.appId()).orElseThrow().id());
    assertEquals(original, restored.after().get("servicePrincipalId"));
    assertEquals(List.of(), entra.requests(FakeMicrosoftEntra.CREATE_SERVICE_PRINCIPAL));
    assertEquals(1, entra.requests(FakeMicrosoftEntra.RESTORE_SERVICE_PRINCIPAL).size());
  }

  @Test
  void only_when_no_deleted_service_principal_exists_is_a_new_one_made_and_said_to_lack_roles() {
    ApprovedDeletions approval = ApprovedDeletions.of(RUN, List.of(shared));
    // Deleted long ago (not by this worker, so no replication wait), its service principal purged.
    tenant.deleteApplication(shared.id());
    tenant.purgeDeletedServicePrincipal(shared.appId());

    var restored = activities.restoreApplication(shared.id(), signed(shared), approval);

    assertEquals("true", restored.after().get("servicePrincipalRecreated"));
    assertTrue(
        restored.detail().contains("NONE of the old one's app role assignments")
            && restored.detail().contains("ADSynchronization.ReadWrite.All"),
        restored.detail());
  }

  @Test
  void with_owned_by_and_no_ownership_preflight_names_the_app_and_the_fix_and_sends_no_change() {
    tenant.permissions("Application.ReadWrite.OwnedBy", "User.Read.All");

    var missing = activities.checkApplicationAccess(List.of(shared));

    assertEquals(1, missing.size(), String.valueOf(missing));
    String text = missing.get(0).describe();
    assertTrue(text.contains(shared.displayName()), text);
    assertTrue(text.contains("/applications/" + shared.id() + "/owners/$ref"), text);
    assertTrue(text.contains(InMemoryDirectory.WORKER_SP), "names the worker's own SP: " + text);
    assertEquals(List.of(), entra.requests(FakeMicrosoftEntra.DELETE_APPLICATION));
  }

  @Test
  void with_owned_by_and_ownership_or_with_read_write_all_access_is_proven() {
    tenant.permissions("Application.ReadWrite.OwnedBy").ownedByWorker(shared.id());
    assertEquals(List.of(), activities.checkApplicationAccess(List.of(shared)));
    assertEquals(1, activities.checkApplicationAccess(List.of(shared, other)).size());
    // Permissions reach the worker in its next token.
    tenant.permissions("Application.ReadWrite.All");
    reconnect();
    assertEquals(List.of(), activities.checkApplicationAccess(List.of(shared, other)));
  }

  @Test
  void graph_refuses_a_delete_under_owned_by_of_an_app_the_worker_does_not_own() {
    tenant.permissions("Application.ReadWrite.OwnedBy");
    ApplicationFailure e =
        assertThrows(
            ApplicationFailure.class,
            () ->
                activities.deleteApplication(
                    shared.id(), signed(shared), ApprovedDeletions.of(RUN, List.of(shared))));
    assertTrue(e.getOriginalMessage().contains("Authorization_RequestDenied"), e.getMessage());
    assertTrue(tenant.getApplication(shared.id()).isPresent(), "still live");
  }

  @Test
  void a_retried_delete_that_meets_a_lagging_replica_is_retried_not_failed_for_good() {
    entra.close();
    tenant = new InMemoryDirectory().add(shared).worker(WORKER_APP);
    entra =
        new FakeMicrosoftEntra(
                tenant,
                new FaultInjector(
                    List.of(
                        new io.abafix.lab.fault.Fault(
                            FakeMicrosoftEntra.DELETE_APPLICATION,
                            null,
                            io.abafix.lab.fault.Fault.Kind.CRASH,
                            1,
                            null,
                            null))),
                100)
            .staleReads(2);
    entra.registerClient(WORKER_APP, workerCertificate.certificate());
    reconnect();
    ApprovedDeletions approval = ApprovedDeletions.of(RUN, List.of(shared));

    // First attempt: deleted, but the reply is lost (504).
    ApplicationFailure lost =
        assertThrows(
            ApplicationFailure.class,
            () -> activities.deleteApplication(shared.id(), signed(shared), approval));
    assertTrue(!lost.isNonRetryable(), lost.getMessage());
    // Second: Graph says 404 on DELETE, deleted items lag behind: replication, not "no such app".
    ApplicationFailure lagging =
        assertThrows(
            ApplicationFailure.class,
            () -> activities.deleteApplication(shared.id(), signed(shared), approval));
    assertTrue(!lagging.isNonRetryable(), "retryable: " + lagging.getMessage());
    assertTrue(lagging.getOriginalMessage().contains("replication"), lagging.getMessage());
    // Third: the replica caught up.
    assertEquals(
        "already in deleted items",
        activities.deleteApplication(shared.id(), signed(shared), approval).detail());
  }

  private void reconnect() {
    try {
      activities =
          new DirectoryActivitiesImpl(
              new GraphDirectory(
                  GraphDirectoryConfig.of(
                          TENANT, WORKER_APP, workerCertificate.writePem(dir.resolve("worker.pem")))
                      .withGraphBaseUrl(entra.graphBaseUrl())
                      .withIdentityEndpointOverride(entra.identityEndpoint())),
              approvers.guard(
                  false,
                  (ns, wf, run) ->
                      new io.abafix.activities.approval.StartedRun(
                          ns, wf, run, run, java.time.Instant.now(), null, null, null)),
              () -> new io.abafix.activities.approval.ApprovalGuard.Scheduling(THIS_RUN, "1", 1L));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** alice's signed approval, for this run, of deleting exactly these apps. */
  private StepAuthorization signed(AppRegistration... apps) {
    DecisionBinding binding =
        new DecisionBinding(
            THIS_RUN.namespace(),
            THIS_RUN.workflowId(),
            THIS_RUN.runId(),
            "DELETE_APPLICATIONS@directory",
            "plan-digest",
            Map.of(
                ProvenParameters.DELETE_APPLICATION,
                ProvenParameters.list(
                    java.util.Arrays.stream(apps).map(AppRegistration::id).toList()),
                ProvenParameters.APPLICATION_IDS,
                ProvenParameters.list(
                    java.util.Arrays.stream(apps)
                        .map(a -> a.id() + "=" + a.appId().toLowerCase(java.util.Locale.ROOT))
                        .toList())),
            DecisionBinding.APPROVE);
    return new StepAuthorization(
        null, ApprovalProof.of(approvers.idToken("alice", binding.nonce()), binding));
  }

  private static void assertRefused(Runnable call, String why) {
    ApplicationFailure e = assertThrows(ApplicationFailure.class, call::run);
    assertEquals(FailureTypes.PERMANENT, e.getType());
    assertTrue(e.isNonRetryable());
    assertTrue(e.getOriginalMessage().contains(why), e.getOriginalMessage());
  }

  private static AppRegistration app(String displayName) {
    return new AppRegistration(
        UUID.randomUUID().toString(), UUID.randomUUID().toString(), displayName, List.of());
  }
}
