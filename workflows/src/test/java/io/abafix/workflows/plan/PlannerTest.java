package io.abafix.workflows.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.ServerState;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.lab.Lab;
import io.abafix.workflows.incident.PortFleetReader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class PlannerTest {

  private static Plan plan(String scenario, String... servers) {
    Lab lab = Lab.loadResource(scenario, () -> 1_760_000_000_000L);
    List<SyncServerHost> hosts =
        servers.length == 0
            ? List.copyOf(lab.hosts())
            : List.of(servers).stream().map(s -> (SyncServerHost) lab.host(s)).toList();
    var facts = PortFleetReader.read(lab.tenantDomain(), hosts, lab.directory());
    return Planner.plan(facts.observation(), Set.of(), lab.now());
  }

  @Test
  void a_shared_app_whose_key_belongs_to_a_server_outside_the_run_blocks_the_plan() {
    // SERVERA holds the shared app's only key; a run over SERVERB and SERVERC alone would rotate
    // that key away and delete the app SERVERA signs in with.
    Plan plan = plan("three-server-fleet", "SERVERB", "SERVERC");
    assertTrue(plan.blocked());
    assertTrue(
        plan.blockers().get(0).contains("a server outside this run"), plan.blockers().get(0));
  }

  @Test
  void the_whole_fleet_is_not_blocked() {
    Plan plan = plan("three-server-fleet");
    assertFalse(plan.blocked(), String.valueOf(plan.blockers()));
    assertEquals("SERVERA", plan.workingServer());
    assertEquals(List.of("SERVERB", "SERVERC"), plan.brokenServers());
  }

  @Test
  void a_server_locked_out_of_its_app_is_fixed_even_without_the_server_it_shared_with() {
    Plan plan = plan("seed-pair", "SERVERB");
    assertFalse(plan.nothingToDo());
    assertFalse(plan.blocked());
    assertEquals("SERVERB", plan.workingServer());
    assertTrue(plan.applicationsToDelete().isEmpty(), "SERVERA still signs in with the shared app");
    assertTrue(plan.steps().stream().noneMatch(s -> s.target().equals("SERVERA")));
    assertTrue(plan.steps().stream().anyMatch(s -> s.key().equals("CONFIGURE_ABA@SERVERB")));
  }

  @Test
  void a_certificate_named_by_its_key_id_is_matched_against_the_apps_key_ids() {
    // A connector whose CertificateId holds the app key's id (the portal's "Certificate ID"):
    // SERVERA names the shared app's only key by its id, so no server outside the run holds it.
    Lab lab = Lab.loadResource("seed-pair", () -> 1_760_000_000_000L);
    FleetObservation o =
        PortFleetReader.read(lab.tenantDomain(), List.copyOf(lab.hosts()), lab.directory())
            .observation();
    List<ServerState> byKeyId =
        o.servers().stream()
            .map(
                s -> {
                  String keyId = lab.keyIdOf(s.certificateId());
                  return withCertificate(
                      s, keyId == null ? "0b6f3c9e-2d41-4e7a-9c85-1f2a3b4c5d6e" : keyId);
                })
            .toList();
    Plan plan =
        Planner.plan(
            new FleetObservation(
                o.tenant(),
                byKeyId,
                o.authentication(),
                o.applications(),
                o.globalAdministrators(),
                o.roleChecks()),
            Set.of(),
            lab.now());
    assertFalse(plan.blocked(), String.valueOf(plan.blockers()));
    assertEquals("SERVERA", plan.workingServer());
    assertEquals(1, plan.applicationsToDelete().size());
  }

  private static ServerState withCertificate(ServerState s, String certificateId) {
    return new ServerState(
        s.server(),
        s.machineId(),
        s.version(),
        s.stagingMode(),
        s.adSyncRunning(),
        s.syncCycleEnabled(),
        s.syncCycleInProgress(),
        s.connectorAccount(),
        s.identityType(),
        s.serviceAccountName(),
        s.applicationId(),
        certificateId,
        s.abaParameters(),
        s.adSyncToolsVersion(),
        s.schedulerSuspended(),
        s.wizardOpen());
  }

  @Test
  void a_healthy_fleet_has_nothing_to_do() {
    Plan plan = plan("healthy-fleet");
    assertTrue(plan.nothingToDo());
    assertTrue(plan.steps().isEmpty());
  }
}
