package io.abafix.activities.internal;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.port.HostException;
import io.temporal.failure.ApplicationFailure;

/** Maps a host's failure onto the Temporal failure type the workflows retry (or do not). */
public final class Failures {
  private Failures() {}

  public static ApplicationFailure from(HostException e) {
    return switch (e.category()) {
      case TRANSIENT ->
          e.retryAfter().isPresent()
              // The service said when to come back: Temporal waits at least that long, durably.
              ? ApplicationFailure.newFailureWithCauseAndDelay(
                  e.getMessage(), FailureTypes.TRANSIENT, null, e.retryAfter().get())
              : ApplicationFailure.newFailure(e.getMessage(), FailureTypes.TRANSIENT);
      case PERMANENT ->
          ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.PERMANENT);
      case CERTIFICATE_NOT_REGISTERED ->
          ApplicationFailure.newNonRetryableFailure(
              e.getMessage(), FailureTypes.CERTIFICATE_NOT_REGISTERED);
      case CREDENTIAL_UNAVAILABLE ->
          ApplicationFailure.newNonRetryableFailure(
              e.getMessage(), FailureTypes.CREDENTIAL_UNAVAILABLE);
    };
  }

  public static ApplicationFailure permanent(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.PERMANENT);
  }

  public static ApplicationFailure transientFailure(String message) {
    return ApplicationFailure.newFailure(message, FailureTypes.TRANSIENT);
  }
}
