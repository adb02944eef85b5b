package io.raftring;

import io.raftring.raft.ReplicaProtocol;
import io.raftring.metrics.Counter;
import io.raftring.metrics.Gauge;
import io.raftring.metrics.Histogram;
import io.raftring.metrics.MetricsRegistry;
import io.raftring.raft.RoleName;
import io.raftring.storage.SyncObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A node's Raft and journal metrics: each local replica's term, commit and applied index and role (from the status
 * polls the node makes anyway), leader changes it saw, and every synced journal write's latency and size.
 */
final class RaftMetrics {

  private final Map<String, ReplicaProtocol.Status> latest = new ConcurrentHashMap<>();
  private final Counter.Child proposalsApplied;
  private final Counter.Child proposalsFailed;
  private final Counter leaderChanges;
  private final Histogram.Child syncSeconds;
  private final Counter.Child syncedOperations;
  private final Gauge term;
  private final Gauge commitIndex;
  private final Gauge lastApplied;
  private final Gauge isLeader;
  private final Gauge quiet;

  RaftMetrics(MetricsRegistry registry) {
    Counter proposals = registry.counter("raftring_proposals_total",
        "Writes this node proposed to a group's leader, by outcome.", "outcome");
    proposalsApplied = proposals.labels("applied");
    proposalsFailed = proposals.labels("failed");
    leaderChanges = registry.counter("raftring_raft_leader_changes_total",
        "Times this node saw a group's local replica report a new term (an election happened).", "group");
    syncSeconds = registry.histogram("raftring_journal_sync_seconds",
        "Duration of each synced journal write (RocksDB write + fsync).", Histogram.LATENCY_BUCKETS_SECONDS).labels();
    syncedOperations = registry.counter("raftring_journal_synced_operations_total",
        "Journal operations made durable (many per sync under group commit).").labels();
    term = registry.gauge("raftring_raft_term", "Current term of the local replica.", "group");
    commitIndex = registry.gauge("raftring_raft_commit_index", "Commit index of the local replica.", "group");
    lastApplied = registry.gauge("raftring_raft_last_applied", "Last applied index of the local replica.", "group");
    isLeader = registry.gauge("raftring_raft_is_leader", "1 when the local replica leads its group.", "group");
    quiet = registry.gauge("raftring_raft_quiet",
        "1 when the local replica's group is idle and quiet: no heartbeats, no election timer.", "group");
  }

  /** Records the newest status of this node's replica of {@code group}. */
  void replicaStatus(String group, ReplicaProtocol.Status status) {
    ReplicaProtocol.Status previous = latest.put(group, status);
    if (previous == null) {
      term.register((LongSupplier) () -> latest.get(group).term(), group);
      commitIndex.register((LongSupplier) () -> latest.get(group).commitIndex(), group);
      lastApplied.register((LongSupplier) () -> latest.get(group).lastApplied(), group);
      isLeader.register((LongSupplier) () -> latest.get(group).role() == RoleName.LEADER ? 1 : 0, group);
      quiet.register((LongSupplier) () -> latest.get(group).quiet() ? 1 : 0, group);
    } else if (status.term() > previous.term()) {
      leaderChanges.labels(group).inc();
    }
  }

  void proposal(boolean applied) {
    (applied ? proposalsApplied : proposalsFailed).inc();
  }

  SyncObserver journalObserver() {
    return (nanos, operations) -> {
      syncSeconds.observeNanos(nanos);
      syncedOperations.inc(operations);
    };
  }
}
