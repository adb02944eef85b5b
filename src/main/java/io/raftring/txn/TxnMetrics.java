package io.raftring.txn;

import io.raftring.metrics.Counter;
import io.raftring.metrics.Histogram;
import io.raftring.metrics.MetricsRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Transaction metrics on /metrics: outcomes by path, prepare-to-commit latency, and recovery's view of the locks. */
public final class TxnMetrics {

  /** Which way a transaction went. */
  enum Path {
    ONE_GROUP("one-group"), TWO_PHASE("two-phase");

    final String label;

    Path(String label) {
      this.label = label;
    }
  }

  private final Counter transactions;
  private final Histogram prepareToCommit;
  private final Counter conflicts;
  private final Counter resolved;
  /** Per group this node leads: prepared transactions, those in doubt, locked keys (as of the last sweep). */
  private final Map<String, int[]> perGroup = new ConcurrentHashMap<>();

  public TxnMetrics(MetricsRegistry registry) {
    transactions = registry.counter("raftring_txn_total",
        "Transactions coordinated by this node, by path (one-group, two-phase) and outcome (committed: success"
            + " branch ran; compare-failed: failure branch ran; aborted; unavailable; unknown).",
        "path", "outcome");
    prepareToCommit = registry.histogram("raftring_txn_prepare_to_commit_seconds",
        "Two-phase transactions: from sending the prepares to the commit applied in the record group.",
        Histogram.LATENCY_BUCKETS_SECONDS);
    conflicts = registry.counter("raftring_txn_conflicts_total",
        "Prepares that met another transaction's locks, by what the rule said (wait, die).", "verdict");
    resolved = registry.counter("raftring_txn_resolved_total",
        "Transactions finished by lock resolution or recovery rather than their coordinator, by action.", "action");
    registry.gauge("raftring_txn_prepared", "Prepared transactions holding locks in the groups this node leads.",
        () -> sum(0));
    registry.gauge("raftring_txn_in_doubt",
        "Prepared transactions in the groups this node leads older than raftring.txn.resolve-after: their coordinator"
            + " did not finish them and recovery is resolving them.", () -> sum(1));
    registry.gauge("raftring_txn_locks_held", "Keys locked by prepared transactions in the groups this node leads.",
        () -> sum(2));
  }

  /** Metrics that go nowhere, for tests. */
  public static TxnMetrics discarding() {
    return new TxnMetrics(new MetricsRegistry());
  }

  void outcome(Path path, TxnOutcome outcome) {
    String label;
    if (outcome instanceof TxnOutcome.Completed completed) {
      label = completed.succeeded() ? "committed" : "compare-failed";
    } else if (outcome instanceof TxnOutcome.Aborted aborted) {
      label = aborted.cause() == null ? "aborted" : "unavailable";
    } else {
      label = "unknown";
    }
    transactions.labels(path.label, label).inc();
  }

  void prepareToCommit(long nanos) {
    prepareToCommit.labels().observeNanos(nanos);
  }

  void conflict(ConflictRule.Verdict verdict) {
    conflicts.labels(verdict.name().toLowerCase(java.util.Locale.ROOT)).inc();
  }

  void resolved(String action) {
    resolved.labels(action).inc();
  }

  void groupSwept(String group, int prepared, int inDoubt, int lockedKeys) {
    perGroup.put(group, new int[] {prepared, inDoubt, lockedKeys});
  }

  void groupNotLed(String group) {
    perGroup.remove(group);
  }

  private long sum(int field) {
    long total = 0;
    for (int[] counts : perGroup.values()) {
      total += counts[field];
    }
    return total;
  }
}
