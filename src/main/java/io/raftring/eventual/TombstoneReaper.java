package io.raftring.eventual;

import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * Purges keys that are only tombstones, which a delete leaves so that replicas that missed it learn of it (a key
 * simply gone would come back from a replica that still has its old value). A tombstone goes once both hold
 * ({@link #purgeable}): its grace period has passed since the delete (by the delete's hybrid logical clock, the same
 * on every replica, so a tombstone handed back and forth between replicas does not start its grace again), and every
 * other home replica of the key had a converged anti-entropy exchange with this node that started after this node
 * came to hold it, so each of them holds the tombstone (or something newer). A replica that is down blocks the purge
 * until it is back and repaired. A tombstone past its grace arriving where the key was already purged is not taken
 * in ({@link ReplicaStore#merge}), so replicas that purge at different moments do not hand it back and forth.
 *
 * <p>Hints cannot bring the old value back either: none lives longer than the grace period (see {@link HintStore}).
 */
final class TombstoneReaper {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TombstoneReaper.class);

  private final String self;
  private final ReplicaStore store;
  private final ToLongFunction<String> lastConvergedMillis;
  private final long graceMillis;
  private final LongSupplier wallMillis;
  private final EvMetrics metrics;

  TombstoneReaper(String self, ReplicaStore store, ToLongFunction<String> lastConvergedMillis, long graceMillis,
      LongSupplier wallMillis, EvMetrics metrics) {
    this.self = self;
    this.store = store;
    this.lastConvergedMillis = lastConvergedMillis;
    this.graceMillis = graceMillis;
    this.wallMillis = wallMillis;
    this.metrics = metrics;
  }

  /**
   * Whether a tombstone may go at {@code nowMillis}, given the key's other home replicas and when each one's last
   * converged exchange with this node started.
   */
  static boolean purgeable(ReplicaStore.Tombstone tombstone, long nowMillis, long graceMillis,
      List<String> otherReplicas, ToLongFunction<String> lastConvergedMillis) {
    if (nowMillis - tombstone.deletedAtMillis() <= graceMillis) {
      return false;
    }
    for (String peer : otherReplicas) {
      if (lastConvergedMillis.applyAsLong(peer) <= tombstone.heldSinceMillis()) {
        return false;
      }
    }
    return true;
  }

  /** Purges what may go now; returns how many purges it started. */
  int sweep() {
    long now = wallMillis.getAsLong();
    int started = 0;
    for (Map.Entry<String, ReplicaStore.Tombstone> tombstone : store.tombstones().entrySet()) {
      String key = tombstone.getKey();
      List<String> others = store.ring().preferenceList(key).stream().filter(n -> !n.equals(self)).toList();
      if (!purgeable(tombstone.getValue(), now, graceMillis, others, lastConvergedMillis)) {
        continue;
      }
      TimedValue current = store.readTimed(key);
      if (current == null || !current.value().isDeleted()
          || current.localMillis() != tombstone.getValue().heldSinceMillis()) {
        continue;
      }
      started++;
      store.purge(key, current).thenAccept(purged -> {
        if (purged) {
          log.debug("purged the tombstone of {} ({}, held since {})", key, current.value(), current.localMillis());
          metrics.tombstonesPurged.inc();
        }
      });
    }
    return started;
  }
}
