package io.abafix.workflows.incident;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.AuthenticationCheck;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.workflows.plan.FleetObservation;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/** The diagnosis reads the version table and events 1014 into findings. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class VersionAndTpmFindingsTest {
  private static final long TODAY = Instant.parse("2026-12-01T09:00:00Z").toEpochMilli();
  private static final long SEPTEMBER = Instant.parse("2026-09-01T09:00:00Z").toEpochMilli();
  private static final AbaParameters COMPLETE =
      new AbaParameters("ConnectSync", "ConnectSync", "cert-1");
  private static final AbaParameters BLANK = new AbaParameters(null, null, null);

  private static ServerState onApp(String version, AbaParameters parameters) {
    return new ServerState(
        "SERVERA",
        "a".repeat(32),
        version,
        false,
        true,
        true,
        false,
        "Sync_SERVERA_aaaaaaaaaaaa@contoso.onmicrosoft.com",
        IdentityType.Application,
        null,
        "11111111-2222-3333-4444-555555555555",
        "AAAA",
        parameters,
        "2.3.1");
  }

  private static ServerState onServiceAccount(String version) {
    return new ServerState(
        "SERVERA",
        "a".repeat(32),
        version,
        false,
        true,
        true,
        false,
        "Sync_SERVERA_aaaaaaaaaaaa@contoso.onmicrosoft.com",
        IdentityType.ServiceAccount,
        "Sync_SERVERA_aaaaaaaaaaaa@contoso.onmicrosoft.com",
        null,
        null,
        null,
        null);
  }

  private static Diagnosis diagnose(ServerState s, long now, EventLogEntry... events) {
    FleetFacts facts =
        new FleetFacts(
            new FleetObservation(
                "contoso.onmicrosoft.com",
                List.of(s),
                Map.of(s.server(), AuthenticationCheck.ok()),
                List.of(),
                List.of()),
            Map.of(s.server(), List.of(events)),
            Map.of());
    return Diagnoser.diagnose(facts, now, 30);
  }

  @Test
  void a_current_supported_version_gives_no_finding() {
    assertTrue(diagnose(onApp("2.6.3.0", COMPLETE), TODAY).healthy());
    assertTrue(diagnose(onServiceAccount("2.6.3.0"), TODAY).healthy());
  }

  @Test
  void below_2_5_79_0_is_an_error_after_30_september_2026_and_a_warning_before() {
    Finding after =
        diagnose(onApp("2.5.78.0", COMPLETE), TODAY).of(FindingKind.VERSION_SYNC_STOPS).get(0);
    assertEquals(Finding.ERROR, after.severity());
    assertTrue(after.summary().contains("no longer syncs"), after.summary());
    assertTrue(after.recommendation().contains("2.5.79.0 or later"), after.recommendation());

    Finding before =
        diagnose(onApp("2.5.78.0", COMPLETE), SEPTEMBER).of(FindingKind.VERSION_SYNC_STOPS).get(0);
    assertEquals(Finding.WARNING, before.severity());
    assertTrue(before.summary().contains("will stop syncing"), before.summary());
  }

  @Test
  void a_version_past_its_end_of_support_is_a_warning_naming_its_source() {
    Diagnosis d = diagnose(onApp("2.5.79.0", COMPLETE), TODAY);

    Finding f = d.of(FindingKind.VERSION_PAST_END_OF_SUPPORT).get(0);
    assertEquals(Finding.WARNING, f.severity());
    assertTrue(f.evidence().get(0).contains("23 Oct 2026"), f.evidence().toString());
    assertTrue(
        f.evidence().get(0).contains("https://learn.microsoft.com/"), f.evidence().toString());
    assertFalse(d.has(FindingKind.VERSION_SYNC_STOPS), d.findings().toString());
    assertFalse(
        diagnose(onApp("2.5.79.0", COMPLETE), SEPTEMBER)
            .has(FindingKind.VERSION_PAST_END_OF_SUPPORT));
  }

  @Test
  void from_2_6_84_0_a_server_on_a_service_account_is_told_it_will_not_switch_by_itself() {
    Finding f =
        diagnose(onServiceAccount("2.6.84.0"), TODAY)
            .of(FindingKind.NO_AUTOMATIC_ABA_SWITCH)
            .get(0);
    assertEquals(Finding.WARNING, f.severity());
    assertTrue(f.recommendation().contains("Configure application-based authentication"));
    assertFalse(
        diagnose(onServiceAccount("2.6.3.0"), TODAY).has(FindingKind.NO_AUTOMATIC_ABA_SWITCH));
    assertFalse(
        diagnose(onApp("2.6.84.0", COMPLETE), TODAY).has(FindingKind.NO_AUTOMATIC_ABA_SWITCH));
  }

  @Test
  void blank_parameters_on_2_6_1_0_and_later_still_need_the_repair() {
    Finding kept = diagnose(onApp("2.6.3.0", BLANK), TODAY).of(FindingKind.BLANK_PARAMETERS).get(0);
    assertEquals(Remedy.CONNECTOR_PARAMETER_REPAIR, kept.remedy());
    assertTrue(kept.recommendation().contains("no longer clears them"), kept.recommendation());
    assertFalse(kept.recommendation().contains("never select OK"), kept.recommendation());

    Finding cleared =
        diagnose(onApp("2.5.190.0", BLANK), TODAY).of(FindingKind.BLANK_PARAMETERS).get(0);
    assertTrue(cleared.recommendation().contains("never select OK"), cleared.recommendation());
  }

  @Test
  void event_1014_is_a_no_tpm_finding_with_its_record() {
    EventLogEntry noTpm =
        new EventLogEntry(
            4711,
            1014,
            "Directory Synchronization",
            "Warning",
            "2026-11-30T08:00:00Z",
            "The certificate's private key is not protected by a TPM.");

    Diagnosis d = diagnose(onApp("2.6.3.0", COMPLETE), TODAY, noTpm);

    Finding f = d.of(FindingKind.NO_TPM).get(0);
    assertEquals(Finding.WARNING, f.severity());
    assertEquals(List.of("SERVERA"), f.servers());
    assertTrue(f.evidence().get(0).contains("record 4711"), f.evidence().toString());
    assertTrue(FleetFacts.relevant(noTpm), "1014 is read by the survey");
  }

  @Test
  void events_1011_and_1012_are_certificate_expiry_findings() {
    EventLogEntry due =
        new EventLogEntry(
            12,
            1011,
            "Directory Synchronization",
            "Warning",
            "2026-11-30T08:00:00Z",
            "rotation due");
    EventLogEntry expired =
        new EventLogEntry(
            13, 1012, "Directory Synchronization", "Error", "2026-11-30T09:00:00Z", "expired");

    assertEquals(
        Finding.WARNING,
        diagnose(onApp("2.6.3.0", COMPLETE), TODAY, due)
            .of(FindingKind.CERTIFICATE_EXPIRY)
            .get(0)
            .severity());
    assertEquals(
        Finding.ERROR,
        diagnose(onApp("2.6.3.0", COMPLETE), TODAY, due, expired)
            .of(FindingKind.CERTIFICATE_EXPIRY)
            .get(0)
            .severity());
  }
}
