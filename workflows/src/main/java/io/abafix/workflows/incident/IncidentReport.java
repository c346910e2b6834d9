package io.abafix.workflows.incident;

/**
 * One observation a watcher sends to the tenant's incident workflow.
 *
 * @param recordId the event's record id; 0 for a finding read from the server's state
 * @param eventId 906, 1011 or 1012; 0 for a finding read from the server's state
 * @param observedAt ISO-8601: the event's time, or when the state was read
 * @param evidence one line a person can read: the event text (shortened) or the state that was seen
 */
public record IncidentReport(
    String tenant,
    String server,
    ReportKind kind,
    long recordId,
    int eventId,
    String observedAt,
    String evidence) {

  /** The longest evidence kept: event 906 texts run to a kilobyte. */
  public static final int MAX_EVIDENCE = 600;

  public IncidentReport {
    if (evidence != null && evidence.length() > MAX_EVIDENCE) {
      evidence = evidence.substring(0, MAX_EVIDENCE) + "...";
    }
  }

  /** Identifies the observation: the same event or state reported twice has the same key. */
  public String key() {
    return server.toUpperCase(java.util.Locale.ROOT) + "|" + kind + "|" + recordId;
  }
}
