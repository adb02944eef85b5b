package io.raftring.raft;

import com.typesafe.config.Config;
import java.nio.file.Path;
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
 * @param snapshotThresholdEntries applied entries in the log since the last snapshot that trigger a new one
 * @param snapshotThresholdBytes bytes of entries in the log since the last snapshot that trigger a new one
 * @param snapshotChunkBytes most snapshot bytes in one InstallSnapshot message
 * @param maxInflightSnapshotChunks unacknowledged InstallSnapshot chunks per follower (flow control)
 * @param snapshotDir where snapshot files go (a directory per replica below it); null: the node's storage directory
 *     ({@code raftring.storage.dir}) + {@code /raft-snapshots}
 * @param clientQueueDeadline longest a client request waits in the queue in front of a replica before it is refused
 *     (OVERLOADED) instead of processed late
 * @param quiesceIdle whether an idle group whose followers are caught up stops heartbeating until something happens
 *     (see {@link RaftCore#quiesced()})
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
    int maxPendingReads,
    long snapshotThresholdEntries,
    long snapshotThresholdBytes,
    int snapshotChunkBytes,
    int maxInflightSnapshotChunks,
    Path snapshotDir,
    Duration clientQueueDeadline,
    boolean quiesceIdle) {

  public static final long DEFAULT_SNAPSHOT_THRESHOLD_ENTRIES = 10_000;
  public static final long DEFAULT_SNAPSHOT_THRESHOLD_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_SNAPSHOT_CHUNK_BYTES = 64 * 1024;
  public static final int DEFAULT_MAX_INFLIGHT_SNAPSHOT_CHUNKS = 4;
  /** Akka's default remote frame is 256 KiB; a chunk and its envelope must fit in one. */
  public static final int MAX_SNAPSHOT_CHUNK_BYTES = 192 * 1024;
  public static final Duration DEFAULT_CLIENT_QUEUE_DEADLINE = Duration.ofMillis(100);

  /** The settings without the snapshot knobs and the client queue deadline, which take their defaults. */
  public RaftSettings(
      Duration electionTimeoutMin,
      Duration electionTimeoutMax,
      Duration heartbeatInterval,
      int maxEntriesPerAppend,
      long maxBytesPerAppend,
      int maxInflightAppends,
      int maxPendingProposals,
      Duration leaseDuration,
      int maxPendingReads) {
    this(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, maxEntriesPerAppend, maxBytesPerAppend,
        maxInflightAppends, maxPendingProposals, leaseDuration, maxPendingReads, DEFAULT_SNAPSHOT_THRESHOLD_ENTRIES,
        DEFAULT_SNAPSHOT_THRESHOLD_BYTES, DEFAULT_SNAPSHOT_CHUNK_BYTES, DEFAULT_MAX_INFLIGHT_SNAPSHOT_CHUNKS, null,
        DEFAULT_CLIENT_QUEUE_DEADLINE, true);
  }

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
    if (snapshotThresholdEntries < 1 || snapshotThresholdBytes < 1 || maxInflightSnapshotChunks < 1) {
      throw new IllegalArgumentException("snapshot thresholds and max-inflight-chunks must be at least 1");
    }
    if (snapshotChunkBytes < 1 || snapshotChunkBytes > MAX_SNAPSHOT_CHUNK_BYTES) {
      throw new IllegalArgumentException(
          "snapshot chunk-size must be between 1 byte and " + MAX_SNAPSHOT_CHUNK_BYTES + " bytes");
    }
    if (clientQueueDeadline.isNegative() || clientQueueDeadline.isZero()) {
      throw new IllegalArgumentException("client-queue-deadline must be positive");
    }
  }

  /** These settings with other snapshot thresholds (tests and benchmarks). */
  public RaftSettings withSnapshotThresholds(long entries, long bytes) {
    return new RaftSettings(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, maxEntriesPerAppend,
        maxBytesPerAppend, maxInflightAppends, maxPendingProposals, leaseDuration, maxPendingReads, entries, bytes,
        snapshotChunkBytes, maxInflightSnapshotChunks, snapshotDir, clientQueueDeadline, quiesceIdle);
  }

  /** These settings with another snapshot chunk size and window. */
  public RaftSettings withSnapshotChunks(int chunkBytes, int maxInflightChunks) {
    return new RaftSettings(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, maxEntriesPerAppend,
        maxBytesPerAppend, maxInflightAppends, maxPendingProposals, leaseDuration, maxPendingReads,
        snapshotThresholdEntries, snapshotThresholdBytes, chunkBytes, maxInflightChunks, snapshotDir,
        clientQueueDeadline, quiesceIdle);
  }

  /** These settings with another snapshot directory. */
  public RaftSettings withSnapshotDir(Path dir) {
    return new RaftSettings(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, maxEntriesPerAppend,
        maxBytesPerAppend, maxInflightAppends, maxPendingProposals, leaseDuration, maxPendingReads,
        snapshotThresholdEntries, snapshotThresholdBytes, snapshotChunkBytes, maxInflightSnapshotChunks, dir,
        clientQueueDeadline, quiesceIdle);
  }

  /** These settings with another client queue deadline. */
  public RaftSettings withClientQueueDeadline(Duration deadline) {
    return new RaftSettings(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, maxEntriesPerAppend,
        maxBytesPerAppend, maxInflightAppends, maxPendingProposals, leaseDuration, maxPendingReads,
        snapshotThresholdEntries, snapshotThresholdBytes, snapshotChunkBytes, maxInflightSnapshotChunks, snapshotDir,
        deadline, quiesceIdle);
  }

  /** These settings with idle groups quiescing, or not. */
  public RaftSettings withQuiesceIdle(boolean quiesce) {
    return new RaftSettings(electionTimeoutMin, electionTimeoutMax, heartbeatInterval, maxEntriesPerAppend,
        maxBytesPerAppend, maxInflightAppends, maxPendingProposals, leaseDuration, maxPendingReads,
        snapshotThresholdEntries, snapshotThresholdBytes, snapshotChunkBytes, maxInflightSnapshotChunks, snapshotDir,
        clientQueueDeadline, quiesce);
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
        raft.getInt("max-pending-reads"),
        raft.getLong("snapshot.threshold-entries"),
        raft.getBytes("snapshot.threshold-bytes"),
        raft.getBytes("snapshot.chunk-size").intValue(),
        raft.getInt("snapshot.max-inflight-chunks"),
        raft.getString("snapshot.dir").isBlank() ? null : Path.of(raft.getString("snapshot.dir")),
        raft.getDuration("client-queue-deadline"),
        raft.getBoolean("quiesce-idle-groups"));
  }

  public static RaftSettings defaults() {
    return new RaftSettings(
        Duration.ofMillis(150), Duration.ofMillis(300), Duration.ofMillis(50), 512, 1024 * 1024, 4, 10_000,
        Duration.ofMillis(100), 10_000);
  }
}
