package io.abafix.worker.watch;

import io.abafix.workflows.incident.IncidentReport;
import java.util.ArrayList;
import java.util.List;

/** Keeps what a watcher reports, for tests that need no Temporal. */
final class RecordingReporter implements IncidentReporter {
  final List<IncidentReport> reports = new ArrayList<>();

  @Override
  public synchronized void report(IncidentReport report) {
    reports.add(report);
  }
}
