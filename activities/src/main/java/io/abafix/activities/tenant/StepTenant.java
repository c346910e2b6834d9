package io.abafix.activities.tenant;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.Map;
import java.util.Optional;

/**
 * The tenant a step is for. Every activity a workflow schedules carries it in its header {@value
 * #HEADER} (in the history, beside the arguments), as a digest of the tenant's key: header payloads
 * do not pass through the payload codec, and a payload abafix writes never shows a tenant in clear.
 * The worker compares it with the digest of its own tenant before anything runs, and keeps the
 * tenant here, on the step's thread, for as long as the step runs, so that what the step calls (an
 * adapter, the lab) can say which tenant a call came for.
 */
public final class StepTenant {
  /** The activity header that names the step's tenant key. */
  public static final String HEADER = "abafix-tenant";

  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  private StepTenant() {}

  /** The header's value for a tenant key: its digest. */
  public static Payload payload(String tenantKey) {
    return DefaultDataConverter.STANDARD_INSTANCE
        .toPayload(digest(tenantKey))
        .orElseThrow(() -> new IllegalStateException("cannot encode a tenant's digest"));
  }

  /** What a step's header holds for a tenant key: {@code sha256:} and 64 hex. */
  public static String digest(String tenantKey) {
    try {
      byte[] d =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(tenantKey.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return "sha256:" + java.util.HexFormat.of().formatHex(d);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The tenant digest a step's header holds, if it holds one. */
  public static Optional<String> of(Map<String, Payload> header) {
    Payload p = header == null ? null : header.get(HEADER);
    if (p == null) return Optional.empty();
    return Optional.ofNullable(
        DefaultDataConverter.STANDARD_INSTANCE.fromPayload(p, String.class, String.class));
  }

  /**
   * The tenant key of the step running on this thread (on a tenant-blind queue of a run from before
   * tenant routing: the digest its header holds); null outside a step.
   */
  public static String current() {
    return CURRENT.get();
  }

  /** Runs {@code work} as a step of {@code tenant} (null: of no tenant). */
  public static <T> T during(String tenant, java.util.function.Supplier<T> work) {
    String before = CURRENT.get();
    CURRENT.set(tenant);
    try {
      return work.get();
    } finally {
      if (before == null) CURRENT.remove();
      else CURRENT.set(before);
    }
  }
}
