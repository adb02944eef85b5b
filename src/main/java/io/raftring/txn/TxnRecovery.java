package io.raftring.txn;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Recovery's sweep, run on every node every {@code raftring.txn.recovery-interval} over the groups it leads: lists
 * the transactions prepared there, and resolves each that has been prepared longer than
 * {@code raftring.txn.resolve-after} (its coordinator should have finished it within milliseconds: it crashed, was
 * cut off, or lost a message). A restarted node needs nothing else: prepared state, locks and records are in the
 * groups' logs and snapshots, so whichever node leads a group after a crash finds them there.
 */
public final class TxnRecovery {

  private static final int MAX_LISTED = 256;

  private final GroupClient groups;
  private final LockResolver resolver;
  private final Supplier<List<String>> ledGroups;
  private final TxnSettings settings;
  private final LongSupplier wallMillis;
  private final TxnMetrics metrics;
  private final Set<String> swept = new HashSet<>();

  public TxnRecovery(GroupClient groups, LockResolver resolver, Supplier<List<String>> ledGroups,
      TxnSettings settings, LongSupplier wallMillis, TxnMetrics metrics) {
    this.groups = groups;
    this.resolver = resolver;
    this.ledGroups = ledGroups;
    this.settings = settings;
    this.wallMillis = wallMillis;
    this.metrics = metrics;
  }

  /** One sweep; its work goes on asynchronously. */
  public synchronized void sweep() {
    List<String> led = ledGroups.get();
    for (String gone : Set.copyOf(swept)) {
      if (!led.contains(gone)) {
        metrics.groupNotLed(gone);
        swept.remove(gone);
      }
    }
    Duration timeout = settings.recoveryInterval();
    for (String group : led) {
      swept.add(group);
      groups.read(group, TxnCodec.encode(new TxnQuery.ListPrepared(MAX_LISTED)), timeout)
          .thenAccept(bytes -> {
            if (TxnCodec.decodeResult(bytes) instanceof TxnResult.PreparedList list) {
              resolveOld(group, list, timeout);
            }
          });
    }
  }

  private void resolveOld(String group, TxnResult.PreparedList list, Duration timeout) {
    long now = wallMillis.getAsLong();
    int inDoubt = 0;
    for (TxnResult.PreparedSummary prepared : list.prepared()) {
      if (now - prepared.preparedAtMillis() > settings.resolveAfter().toMillis()) {
        inDoubt++;
        resolver.resolve(group, prepared.id(), prepared.expiresAtMillis(), timeout);
      }
    }
    metrics.groupSwept(group, list.preparedCount(), inDoubt, list.lockedKeys());
  }
}
