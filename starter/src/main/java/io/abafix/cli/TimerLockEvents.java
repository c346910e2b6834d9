package io.abafix.cli;

import java.lang.reflect.Field;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps Temporal's Java test server linear in the work it has done.
 *
 * <p>Its clock ({@code SelfAdvancingTimerImpl}) records every lock and unlock of time skipping in a
 * {@code LinkedList}, for its diagnostics, and never drops most of them; each unlock through a
 * handle (at nearly every state change of a workflow) removes its lock's entry by a scan from the
 * list's head. The list grows with every activity the server has run, so each state change costs
 * time in proportion to all the work before it: quadratic in a server's lifetime, which is what a
 * many-tenant run on the embedded server spends most of its time in. This list keeps the same
 * entries, in the same order, and finds the one to remove by identity in constant time.
 *
 * <p>The server's fields are private: when a Temporal release lays them out differently, {@link
 * #install} leaves the server as it is and says why.
 */
final class TimerLockEvents extends LinkedList<Object> {
  private static final long serialVersionUID = 1L;

  /**
   * The entries, in order, each keyed by identity as the server compares them. The server reads and
   * changes its list only while it holds its clock's lock, so this needs no lock of its own.
   */
  private final transient Map<Identity, Boolean> entries = new LinkedHashMap<>();

  /**
   * Puts this list in place of the server's own, carrying over what it holds.
   *
   * @param testServicesStarter the test server's {@code TestServicesStarter}
   * @return why it could not, when it could not
   */
  static Optional<String> install(Object testServicesStarter) {
    try {
      Object timer =
          field(testServicesStarter.getClass(), "selfAdvancingTimer").get(testServicesStarter);
      Field events = field(timer.getClass(), "lockEvents");
      Object lock = field(timer.getClass(), "lock").get(timer);
      if (!(events.get(timer) instanceof LinkedList<?> old)
          || !(lock instanceof java.util.concurrent.locks.Lock timerLock)) {
        return Optional.of("the test server's clock has no lock-event list to replace");
      }
      TimerLockEvents replacement = new TimerLockEvents();
      timerLock.lock();
      try {
        for (Object e : old) replacement.add(e);
        events.set(timer, replacement);
      } finally {
        timerLock.unlock();
      }
      return Optional.empty();
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.of("the test server's clock is laid out differently (" + e + ")");
    }
  }

  /** The server's clock from a {@code TestServer.PortBoundTestServer}. */
  static Optional<String> installIn(Object portBoundTestServer) {
    try {
      return install(
          field(portBoundTestServer.getClass(), "testServicesStarter").get(portBoundTestServer));
    } catch (ReflectiveOperationException | RuntimeException e) {
      return Optional.of("the test server is laid out differently (" + e + ")");
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }

  @Override
  public boolean add(Object event) {
    entries.put(new Identity(event), Boolean.TRUE);
    return true;
  }

  @Override
  public boolean remove(Object event) {
    return entries.remove(new Identity(event)) != null;
  }

  @Override
  public int size() {
    return entries.size();
  }

  @Override
  public boolean contains(Object event) {
    return entries.containsKey(new Identity(event));
  }

  @Override
  public void clear() {
    entries.clear();
  }

  @Override
  public Object[] toArray() {
    return entries.keySet().stream().map(Identity::event).toArray();
  }

  @Override
  public <T> T[] toArray(T[] a) {
    return entries.keySet().stream().map(Identity::event).toList().toArray(a);
  }

  /** The server only adds, removes and iterates; positions are not kept. */
  @Override
  public java.util.ListIterator<Object> listIterator(int index) {
    throw new UnsupportedOperationException("the timer's lock events keep no positions");
  }

  @Override
  public Iterator<Object> iterator() {
    return entries.keySet().stream().map(Identity::event).iterator();
  }

  /** An entry's key: the entry itself, compared by identity as the server compares them. */
  private record Identity(Object event) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity other && other.event == event;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(event);
    }
  }
}
