package io.abafix.activities.internal;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.client.ActivityWorkerShutdownException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Keeps an activity attempt visibly alive while it waits on a slow call (a PowerShell script that
 * restarts ADSync, a Graph request).
 *
 * <p>Why: a step's StartToClose timeout is minutes long because the slowest scripts need it, so a
 * worker that dies in the middle of a step would otherwise hold the step for all of those minutes
 * before Temporal gives the attempt up and retries it elsewhere. With a heartbeat timeout set on
 * the step (see the workflows' step options), Temporal notices the silence within that timeout
 * instead. The call itself cannot heartbeat (it is blocked in a process or a socket), so a timer
 * thread does it on the attempt's behalf for exactly as long as the call runs.
 *
 * <p>When Temporal answers a heartbeat by saying the attempt timed out and is retried elsewhere,
 * the calling thread is interrupted: a PowerShell script still running for an abandoned attempt
 * would otherwise race the retry on the same server. A cancellation is different: the run asked to
 * stop, and a script cut off half way (ADSync stopped, the machine id not yet set) is worse than
 * one that finishes, so the call runs to its end, heartbeating on, and the workflow (which waits
 * for the step with {@code WAIT_CANCELLATION_COMPLETED}) inspects and compensates afterwards. A
 * worker that is shutting down is left alone too; its grace period decides.
 */
public final class Heartbeats {
  /** The longest gap between two heartbeats; the SDK throttles what it actually sends. */
  static final Duration MAX_INTERVAL = Duration.ofSeconds(5);

  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

  private static final ScheduledExecutorService TIMER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "abafix-heartbeat");
            t.setDaemon(true);
            return t;
          });

  private Heartbeats() {}

  /**
   * Runs {@code work} on the calling thread, heartbeating the current activity attempt every
   * quarter of its heartbeat timeout (at most every {@link #MAX_INTERVAL}), the first time one such
   * interval after the call begins, until it returns or throws. Outside an activity, or when the
   * activity has no heartbeat timeout, it just runs {@code work}, so code and tests that call an
   * implementation directly need nothing set up.
   *
   * @return what {@code work} returns; whatever it throws passes through unchanged
   */
  public static <T> T during(Supplier<T> work) {
    ActivityExecutionContext context;
    try {
      context = Activity.getExecutionContext();
    } catch (IllegalStateException notInActivity) {
      return work.get();
    }
    Duration timeout = context.getInfo().getHeartbeatTimeout();
    if (timeout == null || timeout.isZero() || timeout.isNegative()) return work.get();

    long every = clamp(timeout.dividedBy(4)).toMillis();
    Beat beat = new Beat(context, Thread.currentThread());
    // The first beat waits one interval: the attempt's start already told Temporal it is alive, and
    // most calls end sooner, so they cost no heartbeat request (a round trip, and on a real cluster
    // a write to its database).
    ScheduledFuture<?> task = TIMER.scheduleAtFixedRate(beat, every, every, TimeUnit.MILLISECONDS);
    try {
      return work.get();
    } finally {
      task.cancel(false);
      beat.finish();
    }
  }

  private static Duration clamp(Duration d) {
    if (d.compareTo(MIN_INTERVAL) < 0) return MIN_INTERVAL;
    return d.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : d;
  }

  /** One attempt's heartbeats; stops for good once the call ends or the attempt is abandoned. */
  private static final class Beat implements Runnable {
    private final ActivityExecutionContext context;
    private final Thread caller;
    // The caller's log context (run, server, step), for the lines this timer thread logs for it.
    private final Map<String, String> logContext = MDC.getCopyOfContextMap();
    private boolean done;
    private boolean interrupted;
    private boolean cancelSeen;

    Beat(ActivityExecutionContext context, Thread caller) {
      this.context = context;
      this.caller = caller;
    }

    @Override
    public synchronized void run() {
      if (done) return;
      if (logContext != null) MDC.setContextMap(logContext);
      try {
        context.heartbeat(null);
      } catch (ActivityWorkerShutdownException shuttingDown) {
        done = true;
      } catch (ActivityCanceledException cancelled) {
        // Let the call finish (see the class comment); later beats keep the attempt alive.
        if (!cancelSeen) {
          cancelSeen = true;
          log.info(
              "the run cancelled {} while it runs: letting it finish",
              context.getInfo().getActivityType());
        }
      } catch (ActivityCompletionException abandoned) {
        done = true;
        interrupted = true;
        log.info(
            "Temporal no longer wants attempt {} of {} ({}): stopping it",
            context.getInfo().getAttempt(),
            context.getInfo().getActivityType(),
            abandoned.getClass().getSimpleName());
        caller.interrupt();
      } catch (RuntimeException e) {
        // A heartbeat that cannot be sent is retried on the next tick; the timeout tells the rest.
        log.debug("heartbeat not sent: {}", e.toString());
      } finally {
        MDC.clear();
      }
    }

    /** Called on the caller's thread once the call has ended. */
    synchronized void finish() {
      done = true;
      // The interrupt was for the call, which is over: do not leave it to the worker's next task.
      if (interrupted) Thread.interrupted();
    }
  }
}
