package io.raftring.kv;

import java.util.Objects;

/**
 * A transaction's lock on a key, as a request that meets it learns of it: which transaction holds it, where that
 * transaction's record is (the group to ask how it ended), until when its coordinator promised to finish it, and
 * whether it excludes readers too or only writers.
 *
 * <p>The key-value layer only carries locks; the transaction layer ({@code io.raftring.txn}) takes, releases and
 * resolves them.
 *
 * @param key             the locked key
 * @param txnId           the holder's transaction id
 * @param recordGroup     the group holding the holder's transaction record
 * @param expiresAtMillis wall-clock time (ms since the epoch, the coordinator's clock) after which the holder may be
 *                        aborted by anyone who meets the lock, unless it was decided before
 * @param exclusive       true for a write lock (it stops readers of the latest value and all writers); false for a
 *                        read lock (it stops writers only)
 */
public record KeyLock(String key, String txnId, String recordGroup, long expiresAtMillis, boolean exclusive) {

  public KeyLock {
    KeyChecks.requireKey(key, "key");
    Objects.requireNonNull(txnId, "txnId");
    Objects.requireNonNull(recordGroup, "recordGroup");
    if (expiresAtMillis < 0) {
      throw new IllegalArgumentException("expiresAtMillis must not be negative, was " + expiresAtMillis);
    }
  }
}
