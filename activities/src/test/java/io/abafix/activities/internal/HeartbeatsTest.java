package io.abafix.activities.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
}
