package io.abafix.activities.graph;

import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.kiota.ApiException;
import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.io.IOException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Set;

/** Sorts Graph failures into the categories of {@link HostException}. */
final class GraphErrors {
  /** The wait assumed when a throttling answer carries no Retry-After header. */
  static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(5);

  private GraphErrors() {}

  /** 429 and 503/504 are Graph's "slow down" answers; 500 and 502 are worth another try too. */
  static boolean isTransientStatus(int status) {
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
  }

  /**
   * The wait a Retry-After header asks for: delta-seconds or an HTTP date. Absent or unreadable
   * means {@link #DEFAULT_RETRY_AFTER}, so that a throttled call is never retried at once.
   */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) return DEFAULT_RETRY_AFTER;
    String value = header.trim();
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(value)));
    } catch (NumberFormatException notSeconds) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration wait = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return wait.isNegative() ? Duration.ZERO : wait;
      } catch (DateTimeParseException notADate) {
        return DEFAULT_RETRY_AFTER;
      }
    }
  }

  /**
   * Turns a failed Graph call into a {@link HostException}.
   *
   * @param action what was being done, for the message ("delete app registration 123")
   */
  static HostException translate(String action, RuntimeException failure) {
    HostException already = causeOf(failure, HostException.class);
    if (already != null) return already; // A token failure, sorted where it happened.
    ApiException api = causeOf(failure, ApiException.class);
    if (api != null && api.getResponseStatusCode() > 0) {
      int status = api.getResponseStatusCode();
      String message = action + " failed: HTTP " + status + graphError(api);
      if (status == 429 || status == 503 || status == 504) {
        return new HostException(
            Category.TRANSIENT, message, failure, retryAfter(header(api, "Retry-After")));
      }
      if (isTransientStatus(status)) {
        return new HostException(Category.TRANSIENT, message, failure);
      }
      if (status == 401 || status == 403) {
        message += " (the directory worker's app needs " + GraphPermissions.summary() + ")";
      }
      return new HostException(Category.PERMANENT, message, failure);
    }
    if (hasCause(failure, IOException.class)) {
      return new HostException(
          Category.TRANSIENT,
          action + " failed: cannot reach Microsoft Graph (" + describe(failure) + ")",
          failure);
    }
    return new HostException(Category.PERMANENT, action + " failed: " + describe(failure), failure);
  }

  /** Whether {@code failure} is a Graph answer with this status. */
  static boolean hasStatus(RuntimeException failure, int status) {
    return status(failure) == status;
  }

  /** The HTTP status of the Graph answer behind {@code failure}, or 0 when there was none. */
  static int status(RuntimeException failure) {
    ApiException api = causeOf(failure, ApiException.class);
    return api == null ? 0 : api.getResponseStatusCode();
  }

  /** Graph's own error message behind {@code failure}, or "". */
  static String message(RuntimeException failure) {
    ApiException api = causeOf(failure, ApiException.class);
    if (api instanceof ODataError odata && odata.getError() != null) {
      return String.valueOf(odata.getError().getMessage());
    }
    return api == null || api.getMessage() == null ? "" : api.getMessage();
  }

  static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    return causeOf(failure, type) != null;
  }

  static String describe(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    String text = root.getMessage();
    return root.getClass().getSimpleName() + (text == null ? "" : ": " + text);
  }

  private static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
    Set<Throwable> seen = new java.util.HashSet<>();
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (type.isInstance(t)) return type.cast(t);
    }
    return null;
  }

  private static String graphError(ApiException api) {
    if (api instanceof ODataError odata && odata.getError() != null) {
      return " " + odata.getError().getCode() + ": " + odata.getError().getMessage();
    }
    return api.getMessage() == null ? "" : " " + api.getMessage();
  }

  private static String header(ApiException api, String name) {
    if (api.getResponseHeaders() == null) return null;
    Set<String> values = api.getResponseHeaders().get(name);
    return values == null || values.isEmpty() ? null : values.iterator().next();
  }
}
