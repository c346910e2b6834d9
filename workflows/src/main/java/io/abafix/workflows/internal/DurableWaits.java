package io.abafix.workflows.internal;

import io.abafix.activities.FailureTypes;
import io.abafix.activities.SyncServerActivities;
import io.abafix.activities.model.StepResult;
import io.abafix.workflows.model.Timings;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Waits that may last hours (a new service account's propagation, a long sync cycle) without
 * growing the run's history: each is one activity that fails, retryably, until the awaited state is
 * there, and Temporal retries it every poll interval within a schedule-to-close bound (as in
 * samples-java's {@code polling/infrequent}). However long the wait, it adds the same handful of
 * events to the history; a workflow loop of timers and checks would add about eleven per look.
 */
public final class DurableWaits {
  private final Route route;
  private final Timings timings;
  private final Consumer<String> waitingFor;
  private final LongConsumer deadline;
  private final Map<String, SyncServerActivities> stubs = new HashMap<>();

  /**
   * @param waitingFor told what the run waits for before each wait, and null after it
   */
  public DurableWaits(Route route, Timings timings, Consumer<String> waitingFor) {
    this(route, timings, waitingFor, d -> {});
  }

  /**
   * @param deadline told when the wait under way gives up (epoch millis, workflow time) before each
   *     wait, and 0 after it, so that a status can count down to it
   */
  public DurableWaits(
      Route route, Timings timings, Consumer<String> waitingFor, LongConsumer deadline) {
    this.route = route;
    this.timings = timings;
    this.waitingFor = waitingFor;
    this.deadline = deadline;
  }

  /**
   * Waits until the server's connector signs in, for at most the propagation bound.
   *
   * @return how many looks it took
   */
  public int signIn(String server, String what) {
    Duration bound = Duration.ofSeconds(timings.propagationWaitSeconds());
    return wait(what, bound, () -> stub(server, "signIn", bound).awaitSignIn(server)).attempt();
  }

  /** Waits until no sync cycle runs on the server, for at most the sync-cycle bound. */
  public StepResult syncCycleEnd(String server) {
    Duration bound = Duration.ofSeconds(timings.syncCycleWaitSeconds());
    return wait(
        "the sync cycle on " + server + " to end",
        bound,
        () -> stub(server, "syncCycle", bound).awaitSyncCycleEnd(server));
  }

  private StepResult wait(String what, Duration bound, java.util.function.Supplier<StepResult> op) {
    waitingFor.accept(what);
    deadline.accept(Workflow.currentTimeMillis() + bound.toMillis());
    try {
      return op.get();
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof TimeoutFailure t
          && t.getTimeoutType() == TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE) {
        throw ApplicationFailure.newNonRetryableFailure(
            "gave up waiting for " + what + " after " + bound.toMinutes() + " minutes",
            FailureTypes.PERMANENT);
      }
      throw e;
    } finally {
      waitingFor.accept(null);
      deadline.accept(0);
    }
  }

  private SyncServerActivities stub(String server, String kind, Duration bound) {
    return stubs.computeIfAbsent(
        server + "|" + kind,
        k ->
            Workflow.newActivityStub(
                SyncServerActivities.class, StepOptions.poll(route, server, timings, bound)));
  }
}
