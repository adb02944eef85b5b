package io.raftring.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * When each other node was last heard from, by the beacons every node sends every other one each heartbeat interval
 * ({@link NodeBeacon}), and which nodes fell silent. Quiet groups (see {@code RaftCore.quiesced()}) run no election
 * timer: the node's beacon stands in for the heartbeats of every group its replicas lead, so a node silent for an
 * election timeout is to their followers what a leader silent that long is to a follower, and they campaign
 * ({@code RaftCore.peerUnreachable}). As with election timers, the timeout is drawn anew from the election timeout's
 * range at every beacon, so the followers of one group, on different nodes, rarely campaign at the same moment and
 * split the vote. Beacons cost a message per pair of nodes per interval, however many groups.
 *
 * <p>A node is reported once per silence ({@link #newlySilent}), and again only after it was heard from in between;
 * a node never heard from is never reported (the cluster's failure detector covers it). Thread-safe: beacons arrive on
 * one thread, the check runs on another.
 */
final class NodeLiveness {

  private final long minSilenceNanos;
  private final long silenceSpreadNanos;
  private final DoubleSupplier random;
  /** By node heard from and not reported since: when it falls silent unless heard from again. */
  private final Map<String, Long> silentAt = new HashMap<>();

  /**
   * @param minSilenceNanos, maxSilenceNanos the range a node's silence timeout is drawn from (the election timeout's)
   * @param random uniform in [0, 1)
   */
  NodeLiveness(long minSilenceNanos, long maxSilenceNanos, DoubleSupplier random) {
    this.minSilenceNanos = minSilenceNanos;
    this.silenceSpreadNanos = maxSilenceNanos - minSilenceNanos;
    this.random = random;
  }

  synchronized void heard(String node, long nowNanos) {
    silentAt.put(node, nowNanos + minSilenceNanos + (long) (random.getAsDouble() * silenceSpreadNanos));
  }

  /** The nodes that have been silent for their silence timeout at {@code nowNanos} and were not reported since. */
  synchronized List<String> newlySilent(long nowNanos) {
    List<String> silent = new ArrayList<>(0);
    silentAt.entrySet().removeIf(e -> {
      boolean due = nowNanos - e.getValue() >= 0;
      if (due) {
        silent.add(e.getKey());
      }
      return due;
    });
    return silent;
  }
}
