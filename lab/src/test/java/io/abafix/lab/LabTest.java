package io.abafix.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.port.HostException;
import io.abafix.lab.fault.Fault;
import io.abafix.lab.scenario.Scenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LabTest {
  private static final String CREDENTIAL =
      "clixml:C:\\ProgramData\\abafix\\hybrid-identity-admin.xml";
  private static final String SHARED_APP_ID = "abdc652a-160c-469e-b31a-70b29e8cf3a8";
  private static final String SHARED_APP_OBJECT_ID = "b370b668-85ee-4cb7-bafa-79663145b942";

  private final AtomicLong now = new AtomicLong(1_767_225_600_000L); // 2026-01-01T00:00:00Z
  private Lab lab;

  @BeforeEach
  void seedPair() {
    lab = Lab.fromScenario(Scenario.fromResource("seed-pair").withoutLatency(), now::get);
  }

  @Test
  void in_the_seed_pair_server_a_authenticates_and_server_b_fails_with_aadsts700027() {
    assertTrue(lab.host("SERVERA").testConnectorAuthentication().authenticated());

    AuthenticationCheck b = lab.host("serverb").testConnectorAuthentication();
    assertFalse(b.authenticated());
    assertEquals("AADSTS700027", b.errorCode());
    assertTrue(b.message().contains("is not registered on application"), b.message());
    assertTrue(b.message().contains("app Id '" + SHARED_APP_ID + "'"), b.message());
  }

  @Test
  void the_seed_pair_starts_with_a_906_event_on_server_b_only() {
    assertTrue(lab.host("SERVERA").readEvents(0, 100).isEmpty());
    List<EventLogEntry> events = lab.host("SERVERB").readEvents(0, 100);
    assertEquals(1, events.size());
    assertEquals(906, events.get(0).eventId());
    assertEquals("Directory Synchronization", events.get(0).source());
    assertEquals("Error", events.get(0).level());
    assertTrue(events.get(0).message().contains("AADSTS700027"));
  }

  @Test
  void a_sync_cycle_on_the_broken_server_logs_event_906_with_the_certificate_error() {
    long before = lastRecordId("SERVERB");
    now.addAndGet(60_000);

    AuthenticationCheck check = lab.runSyncCycle("SERVERB").orElseThrow();

    assertFalse(check.authenticated());
    List<EventLogEntry> fresh = lab.host("SERVERB").readEvents(before, 10);
    assertEquals(1, fresh.size());
    EventLogEntry event = fresh.get(0);
    assertEquals(906, event.eventId());
    assertTrue(
        event
            .message()
            .startsWith(
                "[MSAL] AcquireTokenWithCertificate: Exception caught while acquiring token via"
                    + " certificate. [invalid_client]"),
        event.message());
    assertTrue(
        event
            .message()
            .contains(
                "AADSTS700027: The certificate with identifier used to sign the client assertion"
                    + " is not registered on application."));
    assertTrue(event.message().contains("applications/" + SHARED_APP_ID + "']"));
    assertEquals("2026-01-01T00:01:00Z", event.timeCreated());
  }

  @Test
  void a_sync_cycle_does_not_run_while_the_scheduler_is_paused() {
    lab.host("SERVERB").setSyncCycleEnabled(false);
    long before = lastRecordId("SERVERB");

    assertTrue(lab.runSyncCycle("SERVERB").isEmpty());
    assertEquals(before, lastRecordId("SERVERB"));
  }

  @Test
  void rotating_on_server_b_makes_b_work_and_breaks_a() {
    String oldThumbprint = lab.host("SERVERB").inspect().certificateId();

    lab.host("SERVERB").rotateApplicationCertificate();

    assertTrue(lab.host("SERVERB").testConnectorAuthentication().authenticated());
    AuthenticationCheck a = lab.host("SERVERA").testConnectorAuthentication();
    assertEquals("AADSTS700027", a.errorCode());
    ServerState b = lab.host("SERVERB").inspect();
    assertNotEquals(oldThumbprint, b.certificateId());
    assertEquals(b.certificateId(), b.abaParameters().certificateId());
    AppRegistration app = lab.directory().getApplication(SHARED_APP_OBJECT_ID).orElseThrow();
    assertEquals(1, app.keyCredentials().size());
    assertTrue(app.holdsCertificate(b.certificateId()));
    assertEquals(1, lab.effectCount("rotateApplicationCertificate", "SERVERB"));
  }

  @Test
  void rotating_a_server_on_a_service_account_is_refused() {
    lab.host("SERVERA").revertToServiceAccount("Sync_SERVERA_3f1c9a2b7d4e", CREDENTIAL);

    HostException e =
        assertThrows(HostException.class, () -> lab.host("SERVERA").rotateApplicationCertificate());
    assertEquals(HostException.Category.PERMANENT, e.category());
  }

  @Test
  void rotating_when_the_app_was_deleted_is_refused_as_permanent() {
    lab.directory().deleteApplication(SHARED_APP_OBJECT_ID);

    HostException e =
        assertThrows(HostException.class, () -> lab.host("SERVERB").rotateApplicationCertificate());
    assertEquals(HostException.Category.PERMANENT, e.category());
    assertTrue(e.getMessage().contains(SHARED_APP_ID), e.getMessage());
  }

  @Test
  void after_revert_the_service_account_is_access_denied_until_the_propagation_delay_passes() {
    lab.host("SERVERA").revertToServiceAccount("Sync_SERVERA_3f1c9a2b7d4e", CREDENTIAL);

    ServerState a = lab.host("SERVERA").inspect();
    assertEquals(IdentityType.ServiceAccount, a.identityType());
    assertEquals("Sync_SERVERA_3f1c9a2b7d4e", a.serviceAccountName());
    assertNull(a.applicationId());
    assertFalse(a.abaParameters().complete());
    assertEquals("AccessDenied", lab.host("SERVERA").testConnectorAuthentication().errorCode());

    now.addAndGet(2_999);
    assertEquals("AccessDenied", lab.host("SERVERA").testConnectorAuthentication().errorCode());

    now.addAndGet(1);
    assertTrue(lab.host("SERVERA").testConnectorAuthentication().authenticated());
    assertEquals(1, lab.effectCount("revertToServiceAccount", "SERVERA"));
  }

  @Test
  void revert_with_a_reference_that_does_not_resolve_on_the_server_is_credential_unavailable() {
    HostException e =
        assertThrows(
            HostException.class,
            () ->
                lab.host("SERVERB")
                    .revertToServiceAccount("Sync_SERVERB_9b2e7c41d05a", "clixml:C:\\nowhere.xml"));

    assertEquals(HostException.Category.CREDENTIAL_UNAVAILABLE, e.category());
    assertTrue(e.getMessage().contains("SERVERB"), e.getMessage());
    assertTrue(e.getMessage().contains("clixml:C:\\nowhere.xml"), e.getMessage());
    assertEquals(IdentityType.Application, lab.host("SERVERB").inspect().identityType());
  }

  @Test
  void configuring_aba_gives_the_server_its_own_app_named_for_it() {
    lab.host("SERVERB").revertToServiceAccount("Sync_SERVERB_9b2e7c41d05a", CREDENTIAL);

    lab.host("SERVERB").configureApplicationAuthentication();

    ServerState b = lab.host("SERVERB").inspect();
    assertEquals(IdentityType.Application, b.identityType());
    assertNotEquals(SHARED_APP_ID, b.applicationId());
    assertTrue(b.abaParameters().complete());
    assertEquals("Microsoft", b.abaParameters().applicationManagedBy());
    assertEquals(b.certificateId(), b.abaParameters().certificateId());
    List<AppRegistration> own =
        lab.directory().listApplications("ConnectSyncProvisioning_SERVERB_9b2e7c41d05a");
    assertEquals(1, own.size());
    assertEquals(b.applicationId(), own.get(0).appId());
    assertTrue(own.get(0).holdsCertificate(b.certificateId()));
    assertTrue(lab.directory().servicePrincipalExists(b.applicationId()));
    assertTrue(lab.host("SERVERB").testConnectorAuthentication().authenticated());
    // Server A is untouched: it still works on the shared app.
    assertTrue(lab.host("SERVERA").testConnectorAuthentication().authenticated());
  }

  @Test
  void configuring_again_with_the_same_name_reuses_the_app_and_adds_a_key() {
    lab.host("SERVERB").configureApplicationAuthentication();
    String appId = lab.host("SERVERB").inspect().applicationId();

    lab.host("SERVERB").configureApplicationAuthentication();

    assertEquals(appId, lab.host("SERVERB").inspect().applicationId());
    AppRegistration app =
        lab.directory().listApplications("ConnectSyncProvisioning_SERVERB_").get(0);
    assertEquals(2, app.keyCredentials().size());
  }

  @Test
  void setting_the_machine_identifier_changes_it_and_leaves_adsync_running() {
    String newId = "0123456789abcdef0123456789abcdef";

    lab.host("SERVERB").setMachineIdentifier(newId);

    ServerState b = lab.host("SERVERB").inspect();
    assertEquals(newId, b.machineId());
    assertTrue(b.adSyncRunning());
    assertEquals("Sync_SERVERB_0123456789ab", b.expectedServiceAccountName());
    assertEquals(1, lab.effectCount("setMachineIdentifier", "SERVERB"));
  }

  @Test
  void setting_a_machine_identifier_that_is_not_32_hex_characters_is_refused() {
    HostException e =
        assertThrows(
            HostException.class, () -> lab.host("SERVERB").setMachineIdentifier("not-a-guid"));
    assertEquals(HostException.Category.PERMANENT, e.category());
    assertEquals("9b2e7c41d05a4f3e8a6b1c2d3e4f5a6b", lab.host("SERVERB").inspect().machineId());
  }

  @Test
  void setting_the_machine_identifier_during_a_sync_cycle_is_refused_until_it_ends() {
    lab.startSyncCycle("SERVERB", 10_000);
    assertTrue(lab.host("SERVERB").inspect().syncCycleInProgress());

    HostException e =
        assertThrows(
            HostException.class,
            () -> lab.host("SERVERB").setMachineIdentifier("0123456789abcdef0123456789abcdef"));
    assertEquals(HostException.Category.PERMANENT, e.category());

    now.addAndGet(10_000);
    assertFalse(lab.host("SERVERB").inspect().syncCycleInProgress());
    lab.host("SERVERB").setMachineIdentifier("0123456789abcdef0123456789abcdef");
  }

  @Test
  void pausing_the_scheduler_does_not_stop_a_running_cycle() {
    lab.startSyncCycle("SERVERA", 5_000);

    lab.host("SERVERA").setSyncCycleEnabled(false);

    ServerState a = lab.host("SERVERA").inspect();
    assertFalse(a.syncCycleEnabled());
    assertTrue(a.syncCycleInProgress());
  }

  @Test
  void a_crash_fault_applies_the_effect_then_throws_a_transient_failure() {
    lab.faults()
        .add(new Fault("revertToServiceAccount", "SERVERA", Fault.Kind.CRASH, 1, null, null));

    HostException e =
        assertThrows(
            HostException.class,
            () ->
                lab.host("SERVERA")
                    .revertToServiceAccount("Sync_SERVERA_3f1c9a2b7d4e", CREDENTIAL));

    assertEquals(HostException.Category.TRANSIENT, e.category());
    assertTrue(e.getMessage().contains("worker died during revertToServiceAccount on SERVERA"));
    assertEquals(IdentityType.ServiceAccount, lab.host("SERVERA").inspect().identityType());
    assertEquals(Map.of("revertToServiceAccount:SERVERA", 1), lab.effectCounts());
    assertEquals(List.of("CRASH revertToServiceAccount on SERVERA"), lab.faults().fired());
  }

  @Test
  void a_transient_fault_fails_before_any_effect_and_is_used_up() {
    lab.faults().add(new Fault("deleteApplication", null, Fault.Kind.TRANSIENT, 2, null, null));

    for (int i = 0; i < 2; i++) {
      HostException e =
          assertThrows(
              HostException.class, () -> lab.directory().deleteApplication(SHARED_APP_OBJECT_ID));
      assertEquals(HostException.Category.TRANSIENT, e.category());
      assertEquals(
          "injected transient failure: deleteApplication on the directory", e.getMessage());
    }
    assertTrue(lab.directory().getApplication(SHARED_APP_OBJECT_ID).isPresent());

    lab.directory().deleteApplication(SHARED_APP_OBJECT_ID);
    assertTrue(lab.directory().getApplication(SHARED_APP_OBJECT_ID).isEmpty());
  }

  @Test
  void http_faults_are_left_for_the_graph_endpoint() {
    lab.faults().add(new Fault("listApplications", null, Fault.Kind.HTTP, 1, 429, 2));

    assertEquals(1, lab.directory().listApplications("ConnectSyncProvisioning_").size());
    assertEquals(1, lab.faults().pending().size());
    assertTrue(lab.faults().take("listApplications", null).isPresent());
  }

  @Test
  void deleting_is_a_soft_delete_and_restoring_the_app_does_not_restore_its_service_principal() {
    assertTrue(lab.directory().servicePrincipalExists(SHARED_APP_ID));

    lab.directory().deleteApplication(SHARED_APP_OBJECT_ID);
    lab.directory().deleteApplication(SHARED_APP_OBJECT_ID); // already deleted: nothing happens

    assertTrue(lab.directory().listApplications("ConnectSyncProvisioning_").isEmpty());
    assertTrue(lab.directory().getDeletedApplication(SHARED_APP_OBJECT_ID).isPresent());
    assertEquals("AADSTS700027", lab.host("SERVERA").testConnectorAuthentication().errorCode());
    assertEquals(1, lab.effectCount("deleteApplication", SHARED_APP_OBJECT_ID));

    lab.directory().restoreApplication(SHARED_APP_OBJECT_ID);

    assertTrue(lab.directory().getApplication(SHARED_APP_OBJECT_ID).isPresent());
    assertFalse(lab.directory().servicePrincipalExists(SHARED_APP_ID));
    assertEquals("AADSTS700027", lab.host("SERVERA").testConnectorAuthentication().errorCode());

    // The service principal went to deleted items with its app; restored, it is the same object
    // with the sync app role the wizard granted it.
    String deletedSp = lab.directory().deletedServicePrincipalId(SHARED_APP_ID).orElseThrow();
    lab.directory().restoreServicePrincipal(deletedSp);
    assertEquals(deletedSp, lab.directory().servicePrincipalId(SHARED_APP_ID).orElseThrow());
    assertTrue(lab.host("SERVERA").testConnectorAuthentication().authenticated());
  }

  @Test
  void a_new_service_principal_holds_no_app_role_so_the_server_still_cannot_sync() {
    lab.directory().deleteApplication(SHARED_APP_OBJECT_ID);
    lab.directory().restoreApplication(SHARED_APP_OBJECT_ID);
    // A deleted service principal purged: only a new one can be made, without the role.
    lab.directory().createServicePrincipal(SHARED_APP_ID);
    lab.directory().createServicePrincipal(SHARED_APP_ID);
    assertEquals(1, lab.effectCount("createServicePrincipal", SHARED_APP_ID));
    assertEquals("AADSTS700027", lab.host("SERVERA").testConnectorAuthentication().errorCode());
  }

  @Test
  void deleting_an_unknown_app_is_a_permanent_not_found() {
    HostException e =
        assertThrows(
            HostException.class,
            () -> lab.directory().deleteApplication("00000000-0000-4000-8000-000000000000"));
    assertEquals(HostException.Category.PERMANENT, e.category());
    assertTrue(e.getMessage().contains("not found"), e.getMessage());
  }

  @Test
  void the_directory_knows_who_is_a_global_administrator() {
    assertTrue(lab.directory().isGlobalAdministrator("admin@contoso.onmicrosoft.com"));
    assertFalse(lab.directory().isGlobalAdministrator("svc-aadsync@contoso.onmicrosoft.com"));
    assertFalse(lab.directory().isGlobalAdministrator("nobody@contoso.onmicrosoft.com"));
  }

  @Test
  void the_whole_documented_procedure_leaves_each_server_on_its_own_working_app() {
    followTheDocumentedResolution();

    LabSnapshot snapshot = lab.snapshot();
    assertEquals(2, snapshot.applications().size());
    for (LabSnapshot.Server s : snapshot.servers()) {
      assertEquals(IdentityType.Application, s.identityType());
      assertTrue(s.authenticates(), s.name());
      assertTrue(s.syncCycleEnabled());
      LabSnapshot.Application app = snapshot.applicationByAppId(s.applicationId()).orElseThrow();
      assertEquals(
          "ConnectSyncProvisioning_" + s.name() + "_" + s.machineId().substring(0, 12),
          app.displayName());
      assertEquals(List.of(s.certificateThumbprint()), app.keyThumbprints());
    }
    assertEquals(List.of(SHARED_APP_OBJECT_ID), snapshot.deletedApplicationIds());
  }

  @Test
  void automatic_onboarding_of_servers_sharing_an_account_produces_the_shared_app_state() {
    lab.host("SERVERA").revertToServiceAccount("svc-aadsync@contoso.onmicrosoft.com", CREDENTIAL);
    lab.host("SERVERB").revertToServiceAccount("svc-aadsync@contoso.onmicrosoft.com", CREDENTIAL);
    lab.directory().deleteApplication(SHARED_APP_OBJECT_ID);

    lab.autoOnboard("SERVERA");
    lab.autoOnboard("SERVERB");

    ServerState a = lab.host("SERVERA").inspect();
    ServerState b = lab.host("SERVERB").inspect();
    assertEquals(a.applicationId(), b.applicationId());
    // The server onboarded last holds the key: the first one breaks.
    assertTrue(lab.host("SERVERB").testConnectorAuthentication().authenticated());
    assertEquals("AADSTS700027", lab.host("SERVERA").testConnectorAuthentication().errorCode());
  }

  @Test
  void rotating_with_blank_aba_parameters_fails_like_the_wizard() {
    lab.blankAbaParameters("SERVERA");

    HostException e =
        assertThrows(HostException.class, () -> lab.host("SERVERA").rotateApplicationCertificate());
    assertEquals(HostException.Category.PERMANENT, e.category());
    assertTrue(e.getMessage().startsWith("ApplicationManagedBy isn't set"), e.getMessage());
  }

  @Test
  void step_latency_is_a_real_sleep_and_does_not_hold_up_other_servers() throws Exception {
    Scenario base = Scenario.fromResource("seed-pair");
    Lab slow =
        Lab.fromScenario(
            base.withTiming(
                new Scenario.Timing(3L, null, Map.of("rotateApplicationCertificate", 300L))),
            now::get);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      long start = System.nanoTime();
      Future<?> rotate = pool.submit(() -> slow.host("SERVERB").rotateApplicationCertificate());
      Thread.sleep(50);
      // The other server answers at once while the rotation sleeps.
      long inspectStart = System.nanoTime();
      pool.submit(() -> slow.host("SERVERA").inspect()).get(5, TimeUnit.SECONDS);
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - inspectStart) < 200);
      rotate.get(5, TimeUnit.SECONDS);
      assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) >= 300);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrent_calls_from_many_threads_keep_the_lab_consistent() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        String server = i % 2 == 0 ? "SERVERA" : "SERVERB";
        futures.add(
            pool.submit(
                () -> {
                  lab.host(server).inspect();
                  lab.host(server).testConnectorAuthentication();
                  lab.runSyncCycle(server);
                  lab.directory().listApplications("ConnectSyncProvisioning_");
                }));
      }
      for (Future<?> f : futures) f.get(10, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    List<EventLogEntry> events = lab.host("SERVERB").readEvents(0, 1_000);
    assertEquals(101, events.size());
    for (int i = 1; i < events.size(); i++) {
      assertEquals(events.get(i - 1).recordId() + 1, events.get(i).recordId());
    }
    assertTrue(lab.host("SERVERA").readEvents(0, 1_000).isEmpty());
  }

  @Test
  void read_events_returns_entries_after_the_given_record_oldest_first_up_to_the_maximum() {
    for (int i = 0; i < 4; i++) lab.runSyncCycle("SERVERB");

    List<EventLogEntry> page = lab.host("SERVERB").readEvents(2, 2);

    assertEquals(List.of(3L, 4L), page.stream().map(EventLogEntry::recordId).toList());
  }

  @Test
  void unknown_server_names_are_refused_and_lookup_ignores_case() {
    assertEquals("SERVERA", lab.host("servera").serverName());
    assertThrows(IllegalArgumentException.class, () -> lab.host("SERVERZ"));
  }

  private long lastRecordId(String server) {
    List<EventLogEntry> events = lab.events(server);
    return events.isEmpty() ? 0 : events.get(events.size() - 1).recordId();
  }

  /** The article's resolution for two servers, step by step, through the ports. */
  private void followTheDocumentedResolution() {
    LabSyncServerHost a = lab.host("SERVERA");
    LabSyncServerHost b = lab.host("SERVERB");
    a.setSyncCycleEnabled(false);
    a.revertToServiceAccount(a.inspect().expectedServiceAccountName(), CREDENTIAL);
    now.addAndGet(3_000);
    assertTrue(a.testConnectorAuthentication().authenticated());
    b.rotateApplicationCertificate();
    assertTrue(b.testConnectorAuthentication().authenticated());
    b.setSyncCycleEnabled(false);
    if (a.inspect().machineId().equals(b.inspect().machineId())) {
      b.setMachineIdentifier("0123456789abcdef0123456789abcdef");
    }
    b.revertToServiceAccount(b.inspect().expectedServiceAccountName(), CREDENTIAL);
    now.addAndGet(3_000);
    assertTrue(b.testConnectorAuthentication().authenticated());
    for (AppRegistration app : lab.directory().listApplications("ConnectSyncProvisioning_")) {
      lab.directory().deleteApplication(app.id());
    }
    b.configureApplicationAuthentication();
    b.setSyncCycleEnabled(true);
    a.configureApplicationAuthentication();
    a.setSyncCycleEnabled(true);
  }
}
