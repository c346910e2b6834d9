package io.abafix.worker.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.abafix.activities.model.EventLogEntry;
import io.abafix.lab.Lab;
import io.abafix.lab.LabAdapters;
import io.abafix.workflows.incident.IncidentReport;
import io.abafix.workflows.incident.ReportKind;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher over the production PowerShell adapter and the lab, without Temporal. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ServerWatcherTest {
  private static final long NOW = 1_760_000_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC);

  @TempDir Path dir;
  private LabAdapters adapters;

  @AfterEach
  void stop() {
    if (adapters != null) adapters.close();
  }

  private Lab lab(String scenario) {
    Lab lab = Lab.loadResource(scenario, () -> NOW);
    adapters = LabAdapters.start(lab);
    return lab;
  }

  private ServerWatcher watcher(String server, RecordingReporter reporter) {
    return new ServerWatcher(
        adapters.host(server),
        reporter,
        new WatcherOptions(
            "contoso.onmicrosoft.com",
            Duration.ofSeconds(1),
            dir.resolve(server + ".json"),
            Duration.ofHours(24)),
        CLOCK);
  }

  @Test
  void an_aadsts700027_906_is_reported_as_the_shared_app_conflict() {
    lab("seed-pair");
    RecordingReporter reporter = new RecordingReporter();

    List<IncidentReport> sent = watcher("SERVERB", reporter).pollOnce();

    assertEquals(1, sent.size());
    assertEquals(ReportKind.SHARED_APP_CONFLICT, sent.get(0).kind());
    assertEquals(906, sent.get(0).eventId());
    assertTrue(sent.get(0).evidence().contains("AADSTS700027"));
  }

  @Test
  void a_906_with_aadsts53003_is_not_reported() {
    Lab lab = lab("healthy-fleet");
    lab.logEvent(
        "SERVERA",
        906,
        "Error",
        "[MSAL] AcquireTokenWithCertificate: ... Original exception: AADSTS53003: Access has been"
            + " blocked by Conditional Access policies.");
    RecordingReporter reporter = new RecordingReporter();

    List<IncidentReport> sent = watcher("SERVERA", reporter).pollOnce();

    assertEquals(List.of(), sent);
  }

  @Test
  void a_restarted_watcher_does_not_re_report_an_old_event() {
    Lab lab = lab("seed-pair");
    RecordingReporter reporter = new RecordingReporter();
    assertEquals(1, watcher("SERVERB", reporter).pollOnce().size());

    List<IncidentReport> afterRestart = watcher("SERVERB", reporter).pollOnce();
    lab.runSyncCycle("SERVERB");
    List<IncidentReport> afterNewEvent = watcher("SERVERB", reporter).pollOnce();

    assertEquals(List.of(), afterRestart);
    List<EventLogEntry> log = lab.events("SERVERB");
    assertEquals(1, afterNewEvent.size());
    assertEquals(log.get(log.size() - 1).recordId(), afterNewEvent.get(0).recordId());
    assertEquals(2, reporter.reports.size());
  }

  @Test
  void certificate_expiry_events_are_reported() {
    Lab lab = lab("healthy-fleet");
    lab.logCertificateExpiry("SERVERB", false);
    lab.logCertificateExpiry("SERVERB", true);

    List<IncidentReport> sent = watcher("SERVERB", new RecordingReporter()).pollOnce();

    assertEquals(List.of(1011, 1012), sent.stream().map(IncidentReport::eventId).toList());
    assertTrue(sent.stream().allMatch(r -> r.kind() == ReportKind.CERTIFICATE_EXPIRY));
  }

  @Test
  void blank_parameters_are_reported_once_while_they_last_and_again_when_they_return() {
    Lab lab = lab("blank-parameters");
    RecordingReporter reporter = new RecordingReporter();

    List<IncidentReport> first = watcher("SERVERA", reporter).pollOnce();
    List<IncidentReport> again = watcher("SERVERA", reporter).pollOnce();
    adapters.host("SERVERA").installAdSyncTools("gallery");
    adapters.host("SERVERA").repairConnectorParameters();
    List<IncidentReport> repaired = watcher("SERVERA", reporter).pollOnce();
    lab.blankAbaParameters("SERVERA");
    List<IncidentReport> returned = watcher("SERVERA", reporter).pollOnce();

    assertEquals(ReportKind.BLANK_PARAMETERS, first.get(0).kind());
    assertTrue(first.get(0).evidence().contains("ApplicationManagedBy"));
    assertEquals(List.of(), again);
    assertEquals(List.of(), repaired);
    assertEquals(1, returned.size());
  }

  @Test
  void a_first_run_does_not_report_events_older_than_its_lookback() {
    Lab lab = Lab.loadResource("seed-pair", () -> NOW - Duration.ofDays(3).toMillis());
    adapters = LabAdapters.start(lab);

    List<IncidentReport> sent = watcher("SERVERB", new RecordingReporter()).pollOnce();

    assertEquals(List.of(), sent, "the 906 from three days ago predates the watcher");
  }

  @Test
  void a_report_that_cannot_be_delivered_is_sent_on_the_next_poll() {
    lab("seed-pair");
    RecordingReporter delivered = new RecordingReporter();
    IncidentReporter down =
        r -> {
          throw new IllegalStateException("Temporal unreachable");
        };
    ServerWatcher failing =
        new ServerWatcher(
            adapters.host("SERVERB"),
            down,
            new WatcherOptions(
                "contoso.onmicrosoft.com",
                Duration.ofSeconds(1),
                dir.resolve("SERVERB.json"),
                Duration.ofHours(24)),
            CLOCK);
    try {
      failing.pollOnce();
    } catch (IllegalStateException expected) {
      // The poll stops at the report it could not deliver.
    }

    List<IncidentReport> sent = watcher("SERVERB", delivered).pollOnce();

    assertEquals(1, sent.size());
  }
}
