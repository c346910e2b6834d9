package io.abafix.worker.watch;

import io.abafix.activities.model.AbaParameters;
import io.abafix.activities.model.EventLogEntry;
import io.abafix.activities.model.IdentityType;
import io.abafix.activities.model.ServerState;
import io.abafix.activities.port.SyncServerHost;
import io.abafix.workflows.incident.IncidentReport;
import io.abafix.workflows.incident.ReportKind;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one Entra Connect server from its per-server worker: at every interval it reads the
 * Directory Synchronization entries of the Application log that are new since the last poll, and
 * the server's state, and reports to the tenant's incident:
 *
 * <ul>
 *   <li>event 906 with {@code AADSTS700027}: {@link ReportKind#SHARED_APP_CONFLICT} (a 906 with any
 *       other code, such as a Conditional Access block, is logged at debug and not reported);
 *   <li>events 1011 and 1012: {@link ReportKind#CERTIFICATE_EXPIRY};
 *   <li>the connector on Application with a blank ABA parameter: {@link
 *       ReportKind#BLANK_PARAMETERS}, once while it lasts.
 * </ul>
 *
 * <p>It remembers in its state file the newest record it has looked at and the conditions it has
 * reported, and writes the file after each delivered report, so a restart neither reports an event
 * twice nor loses one. A report that cannot be delivered (Temporal unreachable) stops the poll and
 * is tried again on the next one. Thread safe; {@link #pollOnce()} may also be called directly.
 */
public final class ServerWatcher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ServerWatcher.class);

  /** Entries read per call; the PowerShell adapter accepts up to 1000. */
  static final int BATCH = 200;

  private static final String BLANK_PARAMETERS = ReportKind.BLANK_PARAMETERS.name();

  private final SyncServerHost host;
  private final IncidentReporter reporter;
  private final WatcherOptions options;
  private final Clock clock;
  private final Object lifecycle = new Object();
  private ScheduledExecutorService scheduler;
  private WatcherState state;

  public ServerWatcher(SyncServerHost host, IncidentReporter reporter, WatcherOptions options) {
    this(host, reporter, options, Clock.systemUTC());
  }

  /**
   * @param clock decides which events a first run counts as recent
   */
  public ServerWatcher(
      SyncServerHost host, IncidentReporter reporter, WatcherOptions options, Clock clock) {
    this.host = host;
    this.reporter = reporter;
    this.options = options;
    this.clock = clock;
  }

  /** This watcher with another clock (tests, and the demo's lab time). */
  public ServerWatcher withClock(Clock other) {
    return new ServerWatcher(host, reporter, options, other);
  }

  /** Polls now and then at every interval, on a thread of its own, until {@link #close()}. */
  public ServerWatcher start() {
    synchronized (lifecycle) {
      return startLocked();
    }
  }

  private ServerWatcher startLocked() {
    if (scheduler != null) return this;
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "abafix-watcher-" + host.serverName());
              t.setDaemon(true);
              return t;
            });
    long millis = options.interval().toMillis();
    scheduler.scheduleWithFixedDelay(this::pollQuietly, 0, millis, TimeUnit.MILLISECONDS);
    log.info(
        "watching {} every {} (state in {})",
        host.serverName(),
        options.interval(),
        options.stateFile());
    return this;
  }

  private void pollQuietly() {
    try {
      pollOnce();
    } catch (RuntimeException e) {
      // One failed poll (the server busy, Temporal unreachable) must not end the watching.
      log.warn("watching {}: {}", host.serverName(), e.getMessage());
    }
  }

  /**
   * Reads new events and the state once, and reports what is new.
   *
   * @return the reports delivered by this poll
   */
  public synchronized List<IncidentReport> pollOnce() {
    List<IncidentReport> sent = new ArrayList<>();
    boolean firstRun = false;
    if (state == null) {
      Optional<WatcherState> saved = WatcherState.load(options.stateFile());
      firstRun = saved.isEmpty();
      state = saved.orElse(new WatcherState(0, Set.of()));
    }
    Instant recentFrom = clock.instant().minus(options.firstRunLookback());
    while (true) {
      List<EventLogEntry> batch = host.readEvents(state.lastRecordId(), BATCH);
      for (EventLogEntry e : batch) {
        Optional<ReportKind> kind = EventClassifier.classify(e);
        if (kind.isEmpty()) {
          if (e.eventId() == EventClassifier.AUTHENTICATION_FAILED) {
            log.debug(
                "{}: event 906 (record {}) is not AADSTS700027: not reported",
                host.serverName(),
                e.recordId());
          }
        } else if (firstRun && isBefore(e.timeCreated(), recentFrom)) {
          log.debug(
              "{}: record {} predates the first run: not reported",
              host.serverName(),
              e.recordId());
        } else {
          IncidentReport report =
              new IncidentReport(
                  options.tenant(),
                  host.serverName(),
                  kind.get(),
                  e.recordId(),
                  e.eventId(),
                  e.timeCreated(),
                  e.message());
          reporter.report(report);
          sent.add(report);
        }
        state =
            new WatcherState(
                Math.max(state.lastRecordId(), e.recordId()), state.activeConditions());
        // Saved after each delivered report, so that a restart does not send it again; a failed
        // delivery (thrown above) leaves the position before it, to be retried.
        if (!sent.isEmpty() && sent.get(sent.size() - 1).recordId() == e.recordId()) save();
      }
      save();
      if (batch.size() < BATCH) break;
    }

    ServerState s = host.inspect();
    List<String> blank = blankParameters(s);
    Set<String> active = new LinkedHashSet<>(state.activeConditions());
    if (!blank.isEmpty() && !active.contains(BLANK_PARAMETERS)) {
      IncidentReport report =
          new IncidentReport(
              options.tenant(),
              host.serverName(),
              ReportKind.BLANK_PARAMETERS,
              0,
              0,
              clock.instant().toString(),
              String.join(", ", blank)
                  + " blank on the Entra connector (identity Application, ADSyncTools "
                  + (s.adSyncToolsVersion() == null ? "not installed" : s.adSyncToolsVersion())
                  + ")");
      reporter.report(report);
      sent.add(report);
      active.add(BLANK_PARAMETERS);
    } else if (blank.isEmpty()) {
      active.remove(BLANK_PARAMETERS);
    }
    state = new WatcherState(state.lastRecordId(), active);
    save();
    return sent;
  }

  private WatcherState saved;

  private void save() {
    if (state.equals(saved)) return;
    state.save(options.stateFile());
    saved = state;
  }

  private static List<String> blankParameters(ServerState s) {
    if (s.identityType() != IdentityType.Application) return List.of();
    AbaParameters p = s.abaParameters();
    return p == null
        ? List.of("ApplicationManagedBy", "CertificateManagedBy", "CertificateId")
        : p.blankNames();
  }

  private static boolean isBefore(String iso, Instant bound) {
    try {
      return iso != null && Instant.parse(iso).isBefore(bound);
    } catch (DateTimeParseException e) {
      return false;
    }
  }

  /** Stops polling; a poll in progress finishes. */
  @Override
  public void close() {
    synchronized (lifecycle) {
      closeLocked();
    }
  }

  private void closeLocked() {
    if (scheduler == null) return;
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    scheduler = null;
  }
}
