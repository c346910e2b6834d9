package io.abafix.worker.watch;

import io.abafix.workflows.incident.IncidentReport;

/** Where a watcher sends what it finds. */
public interface IncidentReporter {
  /**
   * Delivers one report. Returns only once the report is durably accepted; throws when it is not,
   * and the watcher then tries again on its next poll.
   */
  void report(IncidentReport report);
}
