package io.raftring.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When each other node was last heard from, by the beacons every node sends every other one each heartbeat interval
 * ({@link NodeBeacon}), and which nodes fell silent. Quiet groups (see {@code RaftCore.quiesced()}) run no election
 * timer: the node's beacon stands in for the heartbeats of every group its replicas lead, so a node silent for an
 * election timeout is to their followers what a leader silent that long is to a follower, and they campaign
 * ({@code RaftCore.peerUnreachable}). Beacons cost a message per pair of nodes per interval, however many groups.
 *
 * <p>A node is reported once per silence ({@link #newlySilent}), and again only after it was heard from in between;
 * a node never heard from is never reported (the cluster's failure detector covers it). Thread-safe: beacons arrive on
 * one thread, the check runs on another.
 */
final class NodeLiveness {

  private final long silenceNanos;
  private final Map<String, Long> lastHeard = new HashMap<>();
  private final Map<String, Boolean> reported = new HashMap<>();

  /** @param silenceNanos how long without a beacon makes a node silent (an election timeout) */
  NodeLiveness(long silenceNanos) {
    this.silenceNanos = silenceNanos;
  }

  synchronized void heard(String node, long nowNanos) {
    lastHeard.put(node, nowNanos);
    reported.remove(node);
  }

  /** The nodes that have been silent for the silence timeout at {@code nowNanos} and were not reported since. */
  synchronized List<String> newlySilent(long nowNanos) {
    List<String> silent = new ArrayList<>(0);
    lastHeard.forEach((node, at) -> {
      if (nowNanos - at >= silenceNanos && reported.putIfAbsent(node, Boolean.TRUE) == null) {
        silent.add(node);
      }
    });
    return silent;
  }
}
