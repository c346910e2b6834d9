package io.abafix.activities;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.abafix.activities.approval.ApprovalGuard;
import io.abafix.activities.approval.ApprovalLedger;
import io.abafix.activities.approval.ApprovalTrust;
import io.abafix.activities.approval.DecisionBinding;
import io.abafix.activities.approval.IdTokenVerifier;
import io.abafix.activities.approval.VerifiedApproval;
import io.abafix.activities.approval.VerifiedIdentity;
import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.model.StepResult;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.activities.powershell.PowerShellResult;
import io.abafix.activities.powershell.PowerShellScript;
import io.abafix.activities.powershell.PowerShellSyncServerHost;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The server steps' idempotency and preconditions, on recorded shapes and a small fake server. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SyncServerActivitiesImplTest {
  private static final String ID = "3f1c9a2b7d4e4a6b8c0d1e2f3a4b5c6d";

  /**
   * Trusts no key, so it would refuse every proof: these tests check the steps after their approval
   * is verified ({@code revert}, {@code regenerate}); the lab's ApprovalGuardTest checks the
   * verification.
   */
  private static final ApprovalGuard NO_KEYS =
      new ApprovalGuard(
          new IdTokenVerifier(
              new ApprovalTrust(
                  "00000000-0000-0000-0000-00000000000a",
                  "00000000-0000-0000-0000-00000000000b",
                  null,
                  false),
              new ImmutableJWKSet<>(new JWKSet()),
              Clock.systemUTC()),
          ApprovalLedger.inMemory(),
          (ns, wf, run) -> {
            throw new AssertionError("no run is read by these tests");
          });

  /** An approval verified for the state {@code host} reports now, used for the first time. */
  private static VerifiedApproval approvedFor(SyncServerHost host, String step) {
    ServerState st = host.inspect();
    Map<String, String> bound = new java.util.TreeMap<>();
    bound.put("identityBefore", st.identityLabel());
    bound.put("serviceAccount", st.expectedServiceAccountName());
    bound.put("machineIdFrom", String.valueOf(st.machineId()));
    return approvedWith(step, bound);
  }

  @Test
  void a_revert_already_done_is_recognised_from_the_connectors_user_principal_name()
      throws Exception {
    // The connector reports Sync_SERVERA_3f1c9a2b7d4e@contoso.onmicrosoft.com.
    JsonNode fixture =
        new ObjectMapper()
            .readTree(
                getClass()
                    .getResourceAsStream("/fixtures/server-state/service-account-identity.json"));
    List<PowerShellScript> ran = new ArrayList<>();
    PowerShellSyncServerHost host =
        new PowerShellSyncServerHost(
            "SERVERA",
            (script, stdin, timeout) -> {
              ran.add(script);
              return new PowerShellResult(
                  0, PowerShellSyncServerHost.ANSWER_PREFIX + fixture.get("answer"), "");
            });

    VerifiedApproval approval = approvedFor(host, "REVERT_TO_SERVICE_ACCOUNT@SERVERA");
    ran.clear();
    StepResult r =
        new SyncServerActivitiesImpl(host, NO_KEYS)
            .revert("SERVERA", "clixml:C:\\ProgramData\\abafix\\hia.xml", approval);

    assertFalse(r.changed(), r.detail());
    // A second revert would reset the password and restart the 15-minute propagation.
    assertEquals(List.of(PowerShellScript.GET_SERVER_STATE), ran);
  }

  @Test
  void a_regeneration_killed_after_the_registry_write_starts_adsync_on_the_retry() {
    FakeServer server = new FakeServer();
    server.machineId = "0123456789abcdef0123456789abcdef";
    server.adSyncRunning = false; // the killed run stopped it and never started it again

    StepResult r =
        new SyncServerActivitiesImpl(server, NO_KEYS)
            .regenerate(
                "SERVERA",
                "0123456789abcdef0123456789abcdef",
                approvedFor(server, "REGENERATE_MACHINE_ID@SERVERA"));

    assertTrue(r.changed(), r.detail());
    assertTrue(server.adSyncRunning, "ADSync runs again");
    assertEquals(List.of("setMachineIdentifier"), server.calls);
  }

  @Test
  void a_regeneration_already_done_with_adsync_running_does_nothing() {
    FakeServer server = new FakeServer();
    server.machineId = "0123456789abcdef0123456789abcdef";

    StepResult r =
        new SyncServerActivitiesImpl(server, NO_KEYS)
            .regenerate(
                "SERVERA",
                "0123456789abcdef0123456789abcdef",
                approvedFor(server, "REGENERATE_MACHINE_ID@SERVERA"));

    assertFalse(r.changed());
    assertEquals(List.of(), server.calls);
  }

  @Test
  void a_revert_or_regeneration_is_refused_while_the_wizard_is_open_or_the_scheduler_suspended() {
    for (String blocker : List.of("wizard", "suspended")) {
      FakeServer server = new FakeServer();
      server.wizardOpen = blocker.equals("wizard");
      server.schedulerSuspended = blocker.equals("suspended");
      SyncServerActivitiesImpl steps = new SyncServerActivitiesImpl(server, NO_KEYS);

      ApplicationFailure revert =
          assertThrows(
              ApplicationFailure.class,
              () ->
                  steps.revert(
                      "SERVERA",
                      "clixml:C:\\hia.xml",
                      approvedFor(server, "REVERT_TO_SERVICE_ACCOUNT@SERVERA")));
      ApplicationFailure regenerate =
          assertThrows(
              ApplicationFailure.class,
              () ->
                  steps.regenerate(
                      "SERVERA",
                      "fedcba9876543210fedcba9876543210",
                      approvedFor(server, "REGENERATE_MACHINE_ID@SERVERA")));

      assertEquals(FailureTypes.PRECONDITION_FAILED, revert.getType(), revert.getMessage());
      assertTrue(revert.isNonRetryable());
      assertEquals(FailureTypes.PRECONDITION_FAILED, regenerate.getType());
      assertEquals(List.of(), server.calls, blocker + ": nothing changed");
    }
  }

  @Test
  void a_revert_waits_while_a_cycle_runs() {
    FakeServer server = new FakeServer();
    server.cycleRunning = true;

    ApplicationFailure e =
        assertThrows(
            ApplicationFailure.class,
            () ->
                new SyncServerActivitiesImpl(server, NO_KEYS)
                    .revert(
                        "SERVERA",
                        "clixml:C:\\hia.xml",
                        approvedFor(server, "REVERT_TO_SERVICE_ACCOUNT@SERVERA")));

    assertEquals(FailureTypes.TRANSIENT, e.getType());
    assertEquals(List.of(), server.calls);
  }

  @Test
  void the_sign_in_test_waits_out_a_running_cycle_instead_of_racing_it() {
    FakeServer server = new FakeServer();
    server.cycleRunning = true;
    SyncServerActivitiesImpl steps = new SyncServerActivitiesImpl(server, NO_KEYS);

    ApplicationFailure e =
        assertThrows(ApplicationFailure.class, () -> steps.testConnectorAuthentication("SERVERA"));
    assertEquals(FailureTypes.TRANSIENT, e.getType(), e.getMessage());
    assertEquals(0, server.signInTests, "no Delta Import while a cycle runs");

    server.cycleRunning = false;
    assertTrue(steps.testConnectorAuthentication("SERVERA").authenticated());
    assertEquals(1, server.signInTests);
  }

  /** An approval bound to {@code bound}, first use. */
  private static VerifiedApproval approvedWith(String step, Map<String, String> bound) {
    VerifiedIdentity alice =
        new VerifiedIdentity(
            "alice@contoso.onmicrosoft.com", "oid-a", "tid", Instant.EPOCH, List.of());
    DecisionBinding binding =
        new DecisionBinding("default", "wf", "run", step, "plan", bound, DecisionBinding.APPROVE);
    return new VerifiedApproval(alice, null, binding, step, bound, () -> null);
  }

  @Test
  void a_revert_approved_for_another_identity_than_the_live_one_changes_nothing() {
    FakeServer server = new FakeServer();
    SyncServerActivitiesImpl steps = new SyncServerActivitiesImpl(server, NO_KEYS);
    VerifiedApproval approval = approvedFor(server, "REVERT_TO_SERVICE_ACCOUNT@SERVERA");
    Map<String, String> other = new java.util.TreeMap<>(approval.bound());
    // Approved while the connector used the shared app; it now uses a new one of its own.
    other.put("identityBefore", "Application 11111111-2222-3333-4444-555555555555");

    ApplicationFailure refused =
        assertThrows(
            ApplicationFailure.class,
            () ->
                steps.revert(
                    "SERVERA",
                    "clixml:C:\\hia.xml",
                    approvedWith("REVERT_TO_SERVICE_ACCOUNT@SERVERA", other)));

    assertEquals(FailureTypes.APPROVAL_REFUSED, refused.getType(), refused.getMessage());
    assertTrue(refused.getOriginalMessage().contains("identityBefore"), refused.getMessage());
    assertEquals(List.of(), server.calls, "nothing changed");
  }

  @Test
  void a_regeneration_approved_from_another_machine_id_changes_nothing() {
    FakeServer server = new FakeServer();
    server.machineId = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    SyncServerActivitiesImpl steps = new SyncServerActivitiesImpl(server, NO_KEYS);
    Map<String, String> bound = Map.of("machineIdFrom", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");

    ApplicationFailure refused =
        assertThrows(
            ApplicationFailure.class,
            () ->
                steps.regenerate(
                    "SERVERA",
                    "0123456789abcdef0123456789abcdef",
                    approvedWith("REGENERATE_MACHINE_ID@SERVERA", bound)));

    assertEquals(FailureTypes.APPROVAL_REFUSED, refused.getType(), refused.getMessage());
    assertEquals(List.of(), server.calls, "nothing changed");
  }

  @Test
  void a_step_whose_approval_another_scheduling_used_changes_nothing() {
    FakeServer server = new FakeServer();
    SyncServerActivitiesImpl steps = new SyncServerActivitiesImpl(server, NO_KEYS);
    VerifiedApproval fresh = approvedFor(server, "REVERT_TO_SERVICE_ACCOUNT@SERVERA");
    VerifiedApproval spent =
        new VerifiedApproval(
            fresh.approver(),
            null,
            fresh.binding(),
            fresh.step(),
            fresh.bound(),
            () -> "run-1 activity 5 scheduled 100");

    ApplicationFailure refused =
        assertThrows(
            ApplicationFailure.class, () -> steps.revert("SERVERA", "clixml:C:\\hia.xml", spent));

    assertEquals(FailureTypes.APPROVAL_REFUSED, refused.getType());
    assertTrue(refused.getOriginalMessage().contains("already used"), refused.getMessage());
    assertEquals(List.of(), server.calls, "nothing changed");
  }

  /** A server in memory: the facts the steps check, and the calls they made. */
  private static final class FakeServer implements SyncServerHost {
    final List<String> calls = new ArrayList<>();
    String machineId = ID;
    boolean adSyncRunning = true;
    boolean cycleRunning;
    int signInTests;
    boolean schedulerSuspended;
    boolean wizardOpen;
    IdentityType identity = IdentityType.Application;
    String account;

    @Override
    public String serverName() {
      return "SERVERA";
    }

    @Override
    public ServerState inspect() {
      return new ServerState(
          "SERVERA",
          machineId,
          "2.5.79.0",
          false,
          adSyncRunning,
          true,
          cycleRunning,
          "abdc652a-160c-469e-b31a-70b29e8cf3a8@contoso.onmicrosoft.com",
          identity,
          account,
          identity == IdentityType.Application ? "abdc652a-160c-469e-b31a-70b29e8cf3a8" : null,
          "E1475F4D5BCA1E7596CFF6A623347533ADF66165",
          new AbaParameters("Microsoft", "Microsoft", "E1475F4D5BCA1E7596CFF6A623347533ADF66165"),
          "2.3.0",
          schedulerSuspended,
          wizardOpen);
    }

    @Override
    public void setSyncCycleEnabled(boolean enabled) {
      calls.add("setSyncCycleEnabled");
    }

    @Override
    public void revertToServiceAccount(String accountName, String credentialReference) {
      calls.add("revertToServiceAccount");
      identity = IdentityType.ServiceAccount;
      account = accountName;
    }

    @Override
    public AuthenticationCheck testConnectorAuthentication() {
      signInTests++;
      return AuthenticationCheck.ok();
    }

    @Override
    public String credentialUserName(String credentialReference) {
      return "hia@contoso.onmicrosoft.com";
    }

    @Override
    public void setMachineIdentifier(String newMachineId) {
      calls.add("setMachineIdentifier");
      machineId = newMachineId;
      adSyncRunning = true;
    }

    @Override
    public void rotateApplicationCertificate() {
      calls.add("rotateApplicationCertificate");
    }

    @Override
    public void configureApplicationAuthentication() {
      calls.add("configureApplicationAuthentication");
    }

    @Override
    public List<EventLogEntry> readEvents(long afterRecordId, int maxEntries) {
      return List.of();
    }

    @Override
    public void installAdSyncTools(String source) {
      calls.add("installAdSyncTools");
    }

    @Override
    public void repairConnectorParameters() {
      calls.add("repairConnectorParameters");
    }
  }
}
