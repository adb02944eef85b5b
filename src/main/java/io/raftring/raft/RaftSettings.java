package io.raftring.raft;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The timing and batching knobs of a replica, read from {@code raftring.raft} (see reference.conf for meanings).
 *
 * @param electionTimeoutMin lower bound of the randomized election timeout
 * @param electionTimeoutMax upper bound (exclusive) of the randomized election timeout
 * @param heartbeatInterval how often a leader sends AppendEntries to an idle follower
 * @param maxEntriesPerAppend most entries in one AppendEntries
 * @param maxBytesPerAppend most entry bytes in one AppendEntries (one oversized entry still goes alone)
 * @param maxInflightAppends unacknowledged AppendEntries per follower (flow control)
 * @param maxPendingProposals proposals a leader holds awaiting commit before refusing new ones
 * @param leaseDuration how long after a heartbeat round that a majority acknowledged the leader serves lease reads
 * @param maxPendingReads reads a leader holds awaiting confirmation or apply before refusing new ones
 */
public record RaftSettings(
    Duration electionTimeoutMin,
    Duration electionTimeoutMax,
    Duration heartbeatInterval,
    int maxEntriesPerAppend,
    long maxBytesPerAppend,
    int maxInflightAppends,
    int maxPendingProposals,
    Duration leaseDuration,
    int maxPendingReads) {

  public RaftSettings {
    if (electionTimeoutMin.isNegative() || electionTimeoutMin.isZero()) {
      throw new IllegalArgumentException("election-timeout-min must be positive");
    }
    if (electionTimeoutMax.compareTo(electionTimeoutMin) <= 0) {
      throw new IllegalArgumentException("election-timeout-max must be above election-timeout-min");
    }
    if (heartbeatInterval.compareTo(electionTimeoutMin) >= 0) {
      throw new IllegalArgumentException("heartbeat-interval must be below election-timeout-min");
    }
    if (leaseDuration.isNegative() || leaseDuration.compareTo(electionTimeoutMin) >= 0) {
      // A follower may campaign one minimum election timeout after it last heard from the leader; a lease as long
      // as that could overlap a new leader's term.
      throw new IllegalArgumentException("lease-duration must be below election-timeout-min");
    }
    if (maxEntriesPerAppend < 1 || maxBytesPerAppend < 1 || maxInflightAppends < 1 || maxPendingProposals < 1
        || maxPendingReads < 1) {
      throw new IllegalArgumentException("raft batch and flow-control limits must be at least 1");
    }
  }

  public static RaftSettings fromConfig(Config raft) {
    return new RaftSettings(
        raft.getDuration("election-timeout-min"),
        raft.getDuration("election-timeout-max"),
        raft.getDuration("heartbeat-interval"),
        raft.getInt("max-entries-per-append"),
        raft.getBytes("max-bytes-per-append"),
        raft.getInt("max-inflight-appends"),
        raft.getInt("max-pending-proposals"),
        raft.getDuration("lease-duration"),
        raft.getInt("max-pending-reads"));
  }

  public static RaftSettings defaults() {
    return new RaftSettings(
        Duration.ofMillis(150), Duration.ofMillis(300), Duration.ofMillis(50), 512, 1024 * 1024, 4, 10_000,
        Duration.ofMillis(100), 10_000);
  }
}
