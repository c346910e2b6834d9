package io.abafix.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class TimerLockEventsTest {
  /** Entries the server tells apart by identity only: every one equals every other. */
  private static final class Entry {
    final String name;

    Entry(String name) {
      this.name = name;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Entry;
    }

    @Override
    public int hashCode() {
      return 1;
    }
  }

  @Test
  void keeps_the_entries_in_order_and_removes_the_very_one_it_is_given() {
    TimerLockEvents events = new TimerLockEvents();
    Entry a = new Entry("a");
    Entry b = new Entry("b");
    Entry c = new Entry("c");
    events.add(a);
    events.add(b);
    events.add(c);

    assertTrue(events.remove(b));
    assertFalse(events.remove(b), "an entry already removed is not there to remove");
    assertFalse(events.remove(new Entry("b")), "an equal entry is not the same entry");

    List<String> left = new ArrayList<>();
    for (Object e : events) left.add(((Entry) e).name);
    assertEquals(List.of("a", "c"), left);
    assertEquals(2, events.size());
  }

  /** Laid out as Temporal's test server is: its services' starter holds the clock. */
  private static final class Starter {
    private final Clock selfAdvancingTimer = new Clock();
  }

  private static final class Clock {
    private final Lock lock = new ReentrantLock();
    private final LinkedList<Object> lockEvents = new LinkedList<>(List.of("first", "second"));
  }

  @Test
  void takes_the_place_of_the_servers_list_with_what_it_held() {
    Starter starter = new Starter();

    assertEquals(Optional.empty(), TimerLockEvents.install(starter));

    LinkedList<Object> now = starter.selfAdvancingTimer.lockEvents;
    assertInstanceOf(TimerLockEvents.class, now);
    assertEquals(List.of("first", "second"), new ArrayList<>(now));
    assertTrue(now.remove("second"));
  }

  @Test
  void a_server_laid_out_otherwise_is_left_as_it_is_with_the_reason() {
    Optional<String> why = TimerLockEvents.install(new Object());

    assertTrue(why.isPresent());
    assertTrue(why.get().contains("laid out differently"), why.get());
  }
}
