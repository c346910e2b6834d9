package io.abafix.activities.graph;

import io.abafix.activities.port.HostException;
import io.abafix.activities.port.HostException.Category;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The objects this process wrote in Microsoft Graph lately, and how: Entra ID replicates a write to
 * its other replicas over a short time, so a read right after it may not show it. Within {@link
 * #WINDOW} of abafix's own write, "not found" on that object is replication, worth a retry with
 * backoff; after it, it is an answer.
 */
final class RecentWrites {
  /** How long after its own write abafix waits out a lagging replica before it believes it. */
  static final Duration WINDOW = Duration.ofMinutes(5);

  private enum Kind {
    DELETED,
    RESTORED,
    CREATED
  }

  private record Write(Kind kind, long atMillis) {}

  private final Map<String, Write> writes = new ConcurrentHashMap<>();
  private final LongSupplier clock;

  RecentWrites() {
    this(System::currentTimeMillis);
  }

  RecentWrites(LongSupplier clock) {
    this.clock = clock;
  }

  void markDeleted(String key) {
    put(key, Kind.DELETED);
  }

  void markRestored(String key) {
    put(key, Kind.RESTORED);
  }

  void markCreated(String key) {
    put(key, Kind.CREATED);
  }

  boolean deleted(String key) {
    return recent(key, Kind.DELETED);
  }

  boolean created(String key) {
    return recent(key, Kind.CREATED);
  }

  boolean restored(String key) {
    return recent(key, Kind.RESTORED);
  }

  /**
   * @throws HostException TRANSIENT when abafix wrote {@code key} within the window: the answer
   *     that {@code what} is missing may come from a replica that has not seen the write yet
   */
  void requireSettled(String key, String what) {
    Write w = key == null ? null : writes.get(norm(key));
    if (w == null) return;
    long age = clock.getAsLong() - w.atMillis();
    if (age >= 0 && age < WINDOW.toMillis()) {
      throw new HostException(
          Category.TRANSIENT,
          "Graph does not show "
              + what
              + " "
              + Duration.ofMillis(age).toSeconds()
              + " s after abafix's own write: directory replication, retrying (for up to "
              + WINDOW.toMinutes()
              + " min after the write)");
    }
  }

  private boolean recent(String key, Kind kind) {
    Write w = key == null ? null : writes.get(norm(key));
    return w != null && w.kind() == kind && clock.getAsLong() - w.atMillis() < WINDOW.toMillis();
  }

  private void put(String key, Kind kind) {
    if (key != null) writes.put(norm(key), new Write(kind, clock.getAsLong()));
  }

  private static String norm(String key) {
    return key.toLowerCase(Locale.ROOT);
  }
}
