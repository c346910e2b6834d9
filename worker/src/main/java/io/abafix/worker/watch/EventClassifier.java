package io.abafix.worker.watch;

import io.abafix.activities.model.EventLogEntry;
import io.abafix.workflows.incident.ReportKind;
import java.util.Optional;

/** Decides which Application-log entries are an incident. */
public final class EventClassifier {
  public static final int AUTHENTICATION_FAILED = 906;
  public static final int CERTIFICATE_NEARS_EXPIRY = 1011;
  public static final int CERTIFICATE_EXPIRED = 1012;

  private EventClassifier() {}

  /**
   * 906 with {@code AADSTS700027} is the shared-app conflict; any other 906 (a Conditional Access
   * block such as AADSTS53003, a wrong password) is not this incident and is ignored. 1011 and 1012
   * are certificate expiry. Everything else is ignored.
   */
  public static Optional<ReportKind> classify(EventLogEntry e) {
    if (e == null) return Optional.empty();
    if (e.eventId() == AUTHENTICATION_FAILED) {
      return e.message() != null && e.message().contains("AADSTS700027")
          ? Optional.of(ReportKind.SHARED_APP_CONFLICT)
          : Optional.empty();
    }
    if (e.eventId() == CERTIFICATE_NEARS_EXPIRY || e.eventId() == CERTIFICATE_EXPIRED) {
      return Optional.of(ReportKind.CERTIFICATE_EXPIRY);
    }
    return Optional.empty();
  }
}
