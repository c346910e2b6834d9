package io.abafix.activities.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator.ReplaceUnderscores;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(ReplaceUnderscores.class)
class HeartbeatsTest {

  @Test
  void outside_an_activity_the_work_just_runs() {
    assertEquals("done", Heartbeats.during(() -> "done"));
  }

  @Test
  void what_the_work_throws_passes_through_unchanged() {
    IllegalStateException thrown = new IllegalStateException("boom");
    IllegalStateException caught =
        assertThrows(
            IllegalStateException.class,
            () ->
                Heartbeats.during(
                    () -> {
                      throw thrown;
                    }));
    assertSame(thrown, caught);
  }

  @ActivityInterface
  public interface Step {
    String run(long millis);
  }

  /** A step whose call takes {@code millis}, kept alive by {@link Heartbeats}. */
  public static final class SlowStep implements Step {
    @Override
    public String run(long millis) {
      return Heartbeats.during(
          () -> {
            try {
              Thread.sleep(millis);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            return "done";
          });
    }
  }

  private final TestActivityEnvironment env = TestActivityEnvironment.newInstance();
  private final AtomicInteger beats = new AtomicInteger();

  @AfterEach
  void close() {
    env.close();
  }

  private Step step(Duration heartbeatTimeout) {
    env.registerActivitiesImplementations(new SlowStep());
    env.setActivityHeartbeatListener(Object.class, details -> beats.incrementAndGet());
    return env.newActivityStub(
        Step.class,
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(1))
            .setHeartbeatTimeout(heartbeatTimeout)
            .build());
  }

  @Test
  void a_call_done_before_its_first_beat_is_due_sends_no_heartbeat() {
    // Beats are due every quarter of the timeout (1 s here); the attempt's start already told
    // Temporal it is alive, so a call that ends sooner costs no heartbeat request.
    assertEquals("done", step(Duration.ofSeconds(4)).run(50));
    assertEquals(0, beats.get());
  }

  @Test
  void a_long_call_heartbeats_while_it_runs() {
    // Every 100 ms (a quarter of 400 ms) for 700 ms; the SDK throttles what it sends.
    assertEquals("done", step(Duration.ofMillis(400)).run(700));
    assertTrue(beats.get() >= 1, "heartbeats: " + beats.get());
  }
}
