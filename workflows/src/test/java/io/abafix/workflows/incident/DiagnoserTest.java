package io.abafix.workflows.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.port.SyncServerHost;
import io.abafix.lab.Lab;
import io.abafix.lab.LabSyncServerHost;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class DiagnoserTest {
  private static final long NOW = 1_760_000_000_000L;

  private static Diagnosis diagnose(Lab lab) {
    return Diagnoser.diagnose(facts(lab), NOW, 30);
  }

  private static FleetFacts facts(Lab lab) {
    List<SyncServerHost> hosts = new ArrayList<>(lab.hosts());
    return PortFleetReader.read(lab.tenantDomain(), hosts, lab.directory());
  }

  private static Lab lab(String scenario) {
    return Lab.loadResource(scenario, () -> NOW);
  }

  @Test
  void a_healthy_fleet_has_no_findings_and_no_proposal() {
    Lab lab = lab("healthy-fleet");

    Diagnosis d = diagnose(lab);

    assertTrue(d.healthy(), d.findings().toString());
    assertEquals(List.of(), Diagnoser.propose(d, facts(lab), lab.tenantDomain(), NOW));
  }

  @Test
  void the_cloned_pair_shows_the_duplicated_machine_id_with_both_servers_named() {
    Diagnosis d = diagnose(lab("cloned-pair"));

    Finding f = d.of(FindingKind.DUPLICATE_MACHINE_ID).get(0);
    assertEquals(List.of("SERVERA", "SERVERB"), f.servers());
    assertEquals(Remedy.SHARED_APP_REMEDIATION, f.remedy());
    assertTrue(
        f.evidence().get(0).contains("5c0e8d2a91f64b7e9d3a0c1b2e4f6a88"), f.evidence().toString());
    assertTrue(d.has(FindingKind.SHARED_APPLICATION));
    assertTrue(d.has(FindingKind.SHARED_CONNECTOR_ACCOUNT));
  }

  @Test
  void a_broken_server_on_a_shared_app_is_proposed_the_remediation_with_its_plan() {
    Lab lab = lab("seed-pair");
    FleetFacts facts = facts(lab);

    Diagnosis d = Diagnoser.diagnose(facts, NOW, 30);
    List<ProposedRun> runs = Diagnoser.propose(d, facts, lab.tenantDomain(), NOW);

    Finding signIn = d.of(FindingKind.SIGN_IN_FAILING).get(0);
    assertEquals(List.of("SERVERB"), signIn.servers());
    assertTrue(
        signIn.evidence().stream().anyMatch(e -> e.contains("event 906")),
        signIn.evidence().toString());
    assertEquals(1, runs.size());
    assertEquals(Remedy.SHARED_APP_REMEDIATION, runs.get(0).remedy());
    assertEquals("abafix-remediation-contoso.onmicrosoft.com", runs.get(0).workflowId());
    assertTrue(runs.get(0).plan().get(0).contains("PAUSE_SCHEDULER"), runs.get(0).plan().get(0));
  }

  @Test
  void blank_parameters_are_proposed_the_repair_of_that_server_before_anything_else() {
    Lab lab = lab("blank-parameters");
    lab.saveConnectorInSyncServiceManager("SERVERB");
    FleetFacts facts = facts(lab);

    Diagnosis d = Diagnoser.diagnose(facts, NOW, 30);
    List<ProposedRun> runs = Diagnoser.propose(d, facts, lab.tenantDomain(), NOW);

    assertEquals(
        List.of(List.of("SERVERA"), List.of("SERVERB")),
        d.of(FindingKind.BLANK_PARAMETERS).stream().map(Finding::servers).toList());
    assertEquals(
        List.of(Remedy.CONNECTOR_PARAMETER_REPAIR, Remedy.CONNECTOR_PARAMETER_REPAIR),
        runs.stream().map(ProposedRun::remedy).toList());
    assertEquals("abafix-repair-contoso.onmicrosoft.com-servera", runs.get(0).workflowId());
  }

  @Test
  void a_connector_account_with_global_administrator_is_a_warning_without_a_workflow() {
    Lab lab = lab("healthy-fleet");
    FleetFacts facts = facts(lab);
    var o = facts.observation();
    FleetFacts admin =
        new FleetFacts(
            new io.abafix.workflows.plan.FleetObservation(
                o.tenant(),
                o.servers(),
                o.authentication(),
                o.applications(),
                List.of(o.servers().get(0).connectorAccount())),
            facts.events(),
            facts.unreachable());

    Diagnosis d = Diagnoser.diagnose(admin, NOW, 30);

    Finding f = d.of(FindingKind.GLOBAL_ADMINISTRATOR_CONNECTOR_ACCOUNT).get(0);
    assertEquals(List.of("SERVERA"), f.servers());
    assertEquals(Finding.WARNING, f.severity());
    assertEquals(Remedy.NONE, f.remedy());
  }

  @Test
  void a_certificate_expiry_event_and_a_key_near_its_end_are_findings() {
    Lab lab = lab("healthy-fleet");
    lab.logCertificateExpiry("SERVERB", false);

    Diagnosis soon = diagnose(lab);
    Diagnosis yearAhead = Diagnoser.diagnose(facts(lab), NOW + 340L * 24 * 3600 * 1000, 30);

    Finding f = soon.of(FindingKind.CERTIFICATE_EXPIRY).get(0);
    assertEquals(List.of("SERVERB"), f.servers());
    assertTrue(f.evidence().get(0).contains("event 1011"), f.evidence().toString());
    assertEquals(
        List.of("SERVERA", "SERVERB"),
        yearAhead.of(FindingKind.CERTIFICATE_EXPIRY).stream().map(x -> x.servers().get(0)).toList(),
        "the lab's keys end a year after they were made");
  }

  @Test
  void a_conditional_access_block_is_not_blamed_on_the_certificate() {
    Lab lab = lab("healthy-fleet");
    LabSyncServerHost a = lab.host("SERVERA");
    FleetFacts facts = facts(lab);
    var o = facts.observation();
    var checks = new java.util.HashMap<>(o.authentication());
    checks.put(
        a.serverName(),
        io.abafix.activities.model.AuthenticationCheck.failed("AADSTS53003", "blocked by CA"));
    FleetFacts blocked =
        new FleetFacts(
            new io.abafix.workflows.plan.FleetObservation(
                o.tenant(), o.servers(), checks, o.applications(), o.globalAdministrators()),
            facts.events(),
            facts.unreachable());

    Diagnosis d = Diagnoser.diagnose(blocked, NOW, 30);

    Finding f = d.of(FindingKind.SIGN_IN_FAILING).get(0);
    assertEquals(Remedy.NONE, f.remedy());
    assertTrue(f.recommendation().contains("Conditional Access"), f.recommendation());
    assertEquals(List.of(), Diagnoser.propose(d, blocked, lab.tenantDomain(), NOW));
  }
}
