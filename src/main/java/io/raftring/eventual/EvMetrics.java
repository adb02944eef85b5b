package io.raftring.eventual;

import io.raftring.metrics.Counter;
import io.raftring.metrics.MetricsRegistry;

/**
 * The eventual keyspace's counters, under {@code raftring_ev_}; its gauges (hints kept, tombstones, anti-entropy per
 * peer) are registered by {@link EventualKeyspace} over the parts that know them.
 */
final class EvMetrics {

  final Counter.Child writesOk;
  final Counter.Child writesNoQuorum;
  final Counter.Child writesTimeout;
  final Counter.Child writesSloppy;
  final Counter.Child writesForwarded;
  final Counter.Child readsOk;
  final Counter.Child readsNoQuorum;
  final Counter.Child readRepairs;
  final Counter.Child hintsStored;
  final Counter.Child hintsDroppedFull;
  final Counter.Child hintsDroppedExpired;
  final Counter.Child hintsReplayed;
  final Counter exchanges;
  final Counter keysRepaired;
  final Counter.Child tombstonesPurged;

  EvMetrics(MetricsRegistry registry) {
    Counter writes = registry.counter("raftring_ev_writes_total",
        "Eventual-keyspace writes this node coordinated, by outcome.", "outcome");
    writesOk = writes.labels("ok");
    writesNoQuorum = writes.labels("no_quorum");
    writesTimeout = writes.labels("timeout");
    writesSloppy = registry.counter("raftring_ev_sloppy_writes_total",
        "Writes that went to stand-ins (fallback nodes) for home replicas that were down.").labels();
    writesForwarded = registry.counter("raftring_ev_forwarded_writes_total",
        "Writes this node passed to a home replica of the key to coordinate (it holds none).").labels();
    Counter reads = registry.counter("raftring_ev_reads_total",
        "Eventual-keyspace reads this node coordinated, by outcome.", "outcome");
    readsOk = reads.labels("ok");
    readsNoQuorum = reads.labels("no_quorum");
    readRepairs = registry.counter("raftring_ev_read_repairs_total",
        "Replicas a read found behind and sent the merged value to.").labels();
    hintsStored = registry.counter("raftring_ev_hints_stored_total",
        "Hints this node stored, as a stand-in or for a home replica that did not acknowledge.").labels();
    Counter dropped = registry.counter("raftring_ev_hints_dropped_total",
        "Hints not kept: refused for the bound on count or bytes (full), or older than max-age (expired).", "reason");
    hintsDroppedFull = dropped.labels("full");
    hintsDroppedExpired = dropped.labels("expired");
    hintsReplayed = registry.counter("raftring_ev_hints_replayed_total",
        "Hints this node handed to their owner and then removed.").labels();
    exchanges = registry.counter("raftring_ev_anti_entropy_exchanges_total",
        "Anti-entropy exchanges this node started, by peer and outcome (converged: nothing left differing).",
        "peer", "outcome");
    keysRepaired = registry.counter("raftring_ev_anti_entropy_keys_total",
        "Keys anti-entropy moved, by peer and direction (pulled here, pushed there).", "peer", "direction");
    tombstonesPurged = registry.counter("raftring_ev_tombstones_purged_total",
        "Tombstones purged after their grace period, once anti-entropy had spread them to every replica.").labels();
  }
}
