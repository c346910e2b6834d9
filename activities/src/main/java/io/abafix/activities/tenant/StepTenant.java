package io.abafix.activities.tenant;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Map;
import java.util.Optional;

/**
 * The tenant a step is for. Every activity a workflow schedules carries it in its header {@value
 * #HEADER} (in the history, beside the arguments); the worker compares it with its own tenant
 * before anything runs, and keeps it here, on the step's thread, for as long as the step runs, so
 * that what the step calls (an adapter, the lab) can say which tenant a call came for.
 */
public final class StepTenant {
  /** The activity header that names the step's tenant key. */
  public static final String HEADER = "abafix-tenant";

  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private StepTenant() {}

  /** The header's value for a tenant key. Plain JSON: a tenant key is no secret. */
  public static Payload payload(String tenantKey) {
    return DefaultDataConverter.STANDARD_INSTANCE
        .toPayload(tenantKey)
        .orElseThrow(() -> new IllegalStateException("cannot encode tenant " + tenantKey));
  }

  /** The tenant key a step's header names, if it names one. */
  public static Optional<String> of(Map<String, Payload> header) {
    Payload p = header == null ? null : header.get(HEADER);
    if (p == null) return Optional.empty();
    return Optional.ofNullable(
        DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, String.class, String.class));
  }

  /** The tenant of the step running on this thread; null outside a step. */
  public static String current() {
    return CURRENT.get();
  }

  /** Runs {@code work} as a step of {@code tenantKey} (null: of no tenant). */
  public static <T> T during(String tenantKey, java.util.function.Supplier<T> work) {
    String before = CURRENT.get();
    CURRENT.set(tenantKey);
    try {
      return work.get();
    } finally {
      if (before == null) CURRENT.remove();
      else CURRENT.set(before);
    }
  }
}
