package io.raftring.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which nodes the placement ring places replicas on. A node is known once it was configured, seen up in the cluster or
 * named in a group's configuration. A known node that is not up and reachable is absent; absent longer than the
 * replacement delay it counts as failed, and its replicas are replaced elsewhere. A decommissioned node is left out at
 * once. Brief absences (a restart, a pause, a short partition) must not move data, which is why the delay exists.
 *
 * <p>Pure: the driver feeds it what it observes and the time, on each tick.
 */
public final class NodePresence {

  private final Duration replaceAfter;
  private final Set<String> known = new TreeSet<>();
  private final Set<String> present = new TreeSet<>();
  private final Map<String, Long> absentSinceNanos = new HashMap<>();

  public NodePresence(Duration replaceAfter) {
    this.replaceAfter = replaceAfter;
  }

  /** Records that at {@code nowNanos} the nodes {@code up} are up and reachable and {@code named} are known. */
  public void observe(Collection<String> up, Collection<String> named, long nowNanos) {
    known.addAll(up);
    known.addAll(named);
    present.clear();
    present.addAll(up);
    for (String node : known) {
      if (present.contains(node)) {
        absentSinceNanos.remove(node);
      } else {
        absentSinceNanos.putIfAbsent(node, nowNanos);
      }
    }
  }

  public boolean isPresent(String node) {
    return present.contains(node);
  }

  public boolean isKnown(String node) {
    return known.contains(node);
  }

  public Set<String> known() {
    return Set.copyOf(known);
  }

  /** How long {@code node} has been absent as of {@code nowNanos}, or zero if it is present. */
  public Duration absentFor(String node, long nowNanos) {
    Long since = absentSinceNanos.get(node);
    return since == null ? Duration.ZERO : Duration.ofNanos(nowNanos - since);
  }

  public boolean hasFailed(String node, long nowNanos) {
    return absentFor(node, nowNanos).compareTo(replaceAfter) >= 0;
  }

  /** The nodes replicas belong on: every known node that is neither decommissioned nor failed. */
  public Set<String> placementNodes(Set<String> decommissioned, long nowNanos) {
    Set<String> nodes = new TreeSet<>();
    for (String node : known) {
      if (!decommissioned.contains(node) && !hasFailed(node, nowNanos)) {
        nodes.add(node);
      }
    }
    return nodes;
  }

  /** Nodes absent now, each with how long it has been absent. */
  public Map<String, Duration> absences(long nowNanos) {
    Map<String, Duration> absences = new java.util.TreeMap<>();
    absentSinceNanos.forEach((node, since) -> absences.put(node, Duration.ofNanos(nowNanos - since)));
    return absences;
  }
}
