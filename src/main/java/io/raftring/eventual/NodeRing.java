package io.raftring.eventual;

import io.raftring.ring.HashRing;
import java.util.List;
import java.util.function.Predicate;

/**
 * The eventual keyspace's placement: keys straight onto nodes on one consistent-hash ring ({@link HashRing}), each
 * key replicated on its preference list, the first {@code n} distinct nodes clockwise from it.
 */
public record NodeRing(HashRing ring, int n) {

  public static NodeRing of(java.util.Collection<String> nodes, int virtualNodes, int n) {
    return new NodeRing(HashRing.of(nodes, virtualNodes), n);
  }

  /** The key's position on the ring (its Murmur3 hash, unsigned), which also orders keys on disk and in trees. */
  public static long positionOf(String key) {
    return HashRing.positionOf(key);
  }

  /** The key's home replicas, nearest first (every node when there are fewer than {@code n}). */
  public List<String> preferenceList(String key) {
    return ring.preferenceList(key, n);
  }

  /** Where a request for {@code key} goes now, given which nodes are up and reachable. */
  public ReplicaPlan plan(String key, Predicate<String> live) {
    return ReplicaPlan.of(ring.preferenceList(key, ring.members().size()), n, live);
  }

  public java.util.SortedSet<String> members() {
    return ring.members();
  }
}
