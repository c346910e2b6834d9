package io.abafix.workflows.plan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.AppRegistration;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.KeyCredential;
import io.abafix.activities.model.ServerState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** Preflight's use of the version table: blockers for servers that cannot end up syncing. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlannerVersionTest {
  private static final long TODAY = Instant.parse("2026-12-01T09:00:00Z").toEpochMilli();
  private static final long SEPTEMBER = Instant.parse("2026-09-01T09:00:00Z").toEpochMilli();
  private static final String APP = "11111111-2222-3333-4444-555555555555";
  private static final AbaParameters COMPLETE =
      new AbaParameters("ConnectSync", "ConnectSync", "cert-1");

  private static ServerState server(String name, String machineId, String version, String thumb) {
    return new ServerState(
        name,
        machineId,
        version,
        false,
        true,
        true,
        false,
        "Sync_" + name + "_0123456789ab@contoso",
        IdentityType.Application,
        null,
        APP,
        thumb,
        COMPLETE,
        null);
  }

  /** SERVERA and SERVERB share one app; SERVERB's key was replaced (AADSTS700027). */
  private static FleetObservation pair(String versionA, String versionB, ServerState... others) {
    List<ServerState> servers = new java.util.ArrayList<>();
    servers.add(server("SERVERA", "a".repeat(32), versionA, "AAAA"));
    servers.add(server("SERVERB", "b".repeat(32), versionB, "BBBB"));
    servers.addAll(List.of(others));
    Map<String, AuthenticationCheck> auth = new LinkedHashMap<>();
    auth.put("SERVERA", AuthenticationCheck.ok());
    auth.put("SERVERB", AuthenticationCheck.failed("AADSTS700027", "key not registered"));
    for (ServerState o : others) auth.put(o.server(), AuthenticationCheck.ok());
    AppRegistration app =
        new AppRegistration(
            "obj-1",
            APP,
            "ConnectSyncProvisioning_SERVERA_0123456789ab",
            List.of(new KeyCredential("k1", "AAAA", "2027-06-01T00:00:00Z")));
    return new FleetObservation("contoso.onmicrosoft.com", servers, auth, List.of(app), List.of());
  }

  @Test
  void a_server_that_no_longer_syncs_because_of_its_version_blocks_the_plan() {
    Plan plan = Planner.plan(pair("2.6.3.0", "2.5.78.0"), Set.of(), TODAY);

    assertTrue(plan.blocked(), plan.toString());
    assertTrue(
        plan.blockers().stream()
            .anyMatch(
                b -> b.startsWith("SERVERB: 2.5.78.0 no longer syncs") && b.contains("2.5.79.0")),
        plan.blockers().toString());
  }

  @Test
  void a_server_whose_adsync_is_stopped_blocks_the_plan_instead_of_being_guessed() {
    ServerState b = server("SERVERB", "b".repeat(32), "2.6.3.0", "BBBB");
    ServerState stopped =
        new ServerState(
            b.server(),
            b.machineId(),
            b.version(),
            false,
            false,
            true,
            false,
            null,
            IdentityType.Unknown,
            null,
            null,
            null,
            null,
            null);
    FleetObservation fleet = pair("2.6.3.0", "2.6.3.0");
    List<ServerState> servers = new java.util.ArrayList<>(fleet.servers());
    servers.set(1, stopped);
    Plan plan =
        Planner.plan(
            new FleetObservation(
                fleet.tenant(),
                servers,
                fleet.authentication(),
                fleet.applications(),
                fleet.globalAdministrators()),
            Set.of(),
            TODAY);

    assertTrue(plan.blocked(), plan.toString());
    assertTrue(
        plan.blockers().stream()
            .anyMatch(x -> x.startsWith("SERVERB: the ADSync service is stopped")),
        plan.blockers().toString());
  }

  @Test
  void before_30_september_2026_the_same_server_is_a_finding_not_a_blocker() {
    Plan plan = Planner.plan(pair("2.6.3.0", "2.5.78.0"), Set.of(), SEPTEMBER);

    assertFalse(plan.blocked(), plan.blockers().toString());
    assertTrue(
        plan.findings().stream().anyMatch(f -> f.startsWith("SERVERB: 2.5.78.0 will stop syncing")),
        plan.findings().toString());
  }

  @Test
  void a_server_too_old_for_aba_blocks_the_plan_even_before_the_deadline() {
    Plan plan = Planner.plan(pair("2.6.3.0", "2.4.129.0"), Set.of(), SEPTEMBER);

    assertTrue(
        plan.blockers().stream().anyMatch(b -> b.contains("needs 2.5.3.0 or later")),
        plan.blockers().toString());
  }

  @Test
  void an_old_server_outside_the_plan_is_reported_but_blocks_nothing() {
    ServerState other = server("SERVERC", "c".repeat(32), "2.5.78.0", "CCCC");
    other =
        new ServerState(
            other.server(),
            other.machineId(),
            other.version(),
            false,
            true,
            true,
            false,
            other.connectorAccount(),
            IdentityType.Application,
            null,
            "99999999-2222-3333-4444-555555555555",
            "CCCC",
            COMPLETE,
            null);

    Plan plan = Planner.plan(pair("2.6.3.0", "2.6.3.0", other), Set.of(), TODAY);

    assertFalse(plan.blocked(), plan.blockers().toString());
    assertTrue(
        plan.findings().stream().anyMatch(f -> f.startsWith("SERVERC: 2.5.78.0 no longer syncs")),
        plan.findings().toString());
  }

  @Test
  void servers_past_end_of_support_and_self_switching_versions_are_findings() {
    Plan plan = Planner.plan(pair("2.5.79.0", "2.6.3.0"), Set.of(), TODAY);

    assertFalse(plan.blocked(), plan.blockers().toString());
    assertTrue(
        plan.findings().stream()
            .anyMatch(f -> f.startsWith("SERVERA: 2.5.79.0 is past its end of support")),
        plan.findings().toString());
    assertTrue(
        plan.findings().stream()
            .anyMatch(f -> f.startsWith("SERVERA runs Entra Connect 2.5.79.0, which switches")),
        plan.findings().toString());
  }

  @Test
  void an_unknown_version_is_said_and_blocks_nothing() {
    Plan plan = Planner.plan(pair("2.6.3.0", null), Set.of(), TODAY);

    assertFalse(plan.blocked(), plan.blockers().toString());
    assertTrue(
        plan.findings().stream()
            .anyMatch(f -> f.startsWith("SERVERB: the Entra Connect version is unknown")),
        plan.findings().toString());
  }
}
