package io.raftring.txn;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * Transaction settings, {@code raftring.txn.*} (reference.conf documents each).
 *
 * @param lockTtl          how long a two-phase attempt's locks are promised for: past it, anyone who meets them may
 *                         abort the attempt if it is still undecided
 * @param maxOperations    most compares plus operations in one transaction
 * @param maxBytes         most bytes of keys and values in one transaction
 * @param recoveryInterval how often each node looks, in the groups it leads, for prepared transactions to resolve
 * @param resolveAfter     a prepared transaction older than this is resolved by the sweep (its coordinator would
 *                         normally have finished it within milliseconds)
 */
public record TxnSettings(Duration lockTtl, int maxOperations, long maxBytes, Duration recoveryInterval,
    Duration resolveAfter) {

  public static final TxnSettings DEFAULT =
      new TxnSettings(Duration.ofSeconds(3), 256, 2L << 20, Duration.ofSeconds(1), Duration.ofSeconds(1));

  public TxnSettings {
    if (lockTtl.isNegative() || lockTtl.isZero()
        || lockTtl.toMillis() > GroupTxnState.MAX_TXN_AGE_MILLIS / 2) {
      throw new IllegalArgumentException("raftring.txn.lock-ttl must be positive and at most "
          + GroupTxnState.MAX_TXN_AGE_MILLIS / 2000 + "s, was " + lockTtl);
    }
    if (maxOperations < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("raftring.txn.max-operations and max-bytes must be at least 1");
    }
    if (recoveryInterval.isNegative() || recoveryInterval.isZero() || resolveAfter.isNegative()) {
      throw new IllegalArgumentException("raftring.txn.recovery-interval must be positive, resolve-after not negative");
    }
  }

  public static TxnSettings fromConfig(Config txn) {
    return new TxnSettings(txn.getDuration("lock-ttl"), txn.getInt("max-operations"),
        txn.getBytes("max-bytes"), txn.getDuration("recovery-interval"), txn.getDuration("resolve-after"));
  }
}
