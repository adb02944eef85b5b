package io.raftring.eventual;

import java.util.List;
import java.util.Map;

/**
 * This node's view of the eventual keyspace for {@code /v1/cluster}: its actor name, the ring and who is live, hints
 * waiting and what became of hints, anti-entropy progress per peer, and tombstones.
 */
public record EventualStatus(
    String actor,
    int replicas,
    List<String> ring,
    List<String> live,
    Hints hints,
    List<PeerExchange> antiEntropy,
    long tombstones,
    long tombstonesPurged) {

  /** Hints kept here: how many and bytes, per owner, and totals since start. */
  public record Hints(long count, long bytes, Map<String, Long> byOwner, long stored, long replayed,
      long droppedFull, long droppedExpired) {}

  /**
   * Anti-entropy with one peer: exchanges run and how they ended, keys pulled and pushed, and when the last exchange
   * that left nothing differing started (wall-clock milliseconds, 0 if none yet).
   */
  public record PeerExchange(String peer, long exchanges, long converged, long failed, long keysPulled,
      long keysPushed, long lastConvergedMillis, long lastDifferingLeaves) {}
}
