package io.raftring.eventual;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts the answers of one request's replicas, each node once: the request has {@link #reached} its W or R when
 * {@code required} of them succeeded, and is {@link #impossible} once too many failed for that to happen. A node not
 * among {@code expected}, or one already counted, changes nothing.
 *
 * @param <T> what a successful answer carries (a value for reads)
 */
final class Tally<T> {

  private final int required;
  private final Set<String> expected;
  private final Map<String, T> succeeded = new LinkedHashMap<>();
  private final List<String> failed = new ArrayList<>();

  Tally(int required, Set<String> expected) {
    this.required = required;
    this.expected = Set.copyOf(expected);
  }

  /** Records a success; true when this one made the request reach {@code required}. */
  synchronized boolean succeed(String node, T answer) {
    if (!expected.contains(node) || succeeded.containsKey(node) || failed.contains(node)) {
      return false;
    }
    succeeded.put(node, answer);
    return succeeded.size() == required;
  }

  /** Records a failure; true when this one made the request unable to reach {@code required}. */
  synchronized boolean fail(String node) {
    if (!expected.contains(node) || succeeded.containsKey(node) || failed.contains(node)) {
      return false;
    }
    boolean wasPossible = !impossible();
    failed.add(node);
    return wasPossible && impossible();
  }

  synchronized boolean reached() {
    return succeeded.size() >= required;
  }

  synchronized boolean impossible() {
    return succeeded.size() < required && expected.size() - failed.size() < required;
  }

  /** Every expected node has answered, one way or the other. */
  synchronized boolean complete() {
    return succeeded.size() + failed.size() == expected.size();
  }

  synchronized Map<String, T> successes() {
    return new LinkedHashMap<>(succeeded);
  }

  synchronized List<String> failures() {
    return List.copyOf(failed);
  }

  int required() {
    return required;
  }
}
