package io.abafix.activities.port;

import java.time.Duration;
import java.util.Optional;

/**
 * A failure reported by a server host or the directory, already sorted into transient or permanent
 * by whoever knows best (the script's error category, the HTTP status). The activity layer maps it
 * onto a Temporal failure type.
 */
public class HostException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How the workflow should treat the failure. */
  public enum Category {
    /** Retry with backoff: busy service, network, throttling, propagation delay. */
    TRANSIENT,
    /** Never retry: bad input, missing prerequisite, refused operation. */
    PERMANENT,
    /** AADSTS700027: the signing certificate is not registered on the app. */
    CERTIFICATE_NOT_REGISTERED,
    /** A credential reference did not resolve on this host. */
    CREDENTIAL_UNAVAILABLE
  }

  private final Category category;
  private final Duration retryAfter;

  public HostException(Category category, String message) {
    this(category, message, null, null);
  }

  public HostException(Category category, String message, Throwable cause) {
    this(category, message, cause, null);
  }

  /**
   * @param retryAfter for a transient failure, the earliest time to try again that the service
   *     asked for (HTTP Retry-After); null when it said nothing
   */
  public HostException(Category category, String message, Throwable cause, Duration retryAfter) {
    super(message, cause);
    this.category = category;
    this.retryAfter = retryAfter;
  }

  public Category category() {
    return category;
  }

  /** The wait the service asked for before the next try, if it asked. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
