package io.abafix.workflows.model;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Unmodifiable copies in natural order, for collections whose iteration reaches journal text,
 * activity arguments or a workflow's commands. {@code Set.copyOf} and {@code Map.copyOf} iterate in
 * an order that changes from one JVM to the next; these iterate the same on every JVM whatever
 * order they were built in. Like those, they refuse null elements, keys and values.
 */
public final class Sorted {
  private Sorted() {}

  /** {@code elements} in their natural order (an enum's: its declaration order). */
  public static <E extends Comparable<? super E>> Set<E> set(Collection<? extends E> elements) {
    TreeSet<E> copy = new TreeSet<>();
    for (E e : elements) copy.add(Objects.requireNonNull(e, "element"));
    return Collections.unmodifiableSortedSet(copy);
  }

  /** {@code map} in the natural order of its keys. */
  public static <K extends Comparable<? super K>, V> Map<K, V> map(
      Map<? extends K, ? extends V> map) {
    TreeMap<K, V> copy = new TreeMap<>();
    map.forEach(
        (k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
    return Collections.unmodifiableSortedMap(copy);
  }
}
