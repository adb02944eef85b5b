package io.raftring.txn;

import io.raftring.kv.KeyLock;
import io.raftring.kv.KeyOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The locks prepared transactions hold on one group's keys: per key, one exclusive (write) lock or any number of
 * shared (read) locks. A prepare takes all its locks or none; commit and abort release them. Part of the replicated
 * state: every replica holds the same locks after the same log.
 */
final class LockTable {

  /** Key -> the locks on it (one exclusive, or shared ones), in the order they were taken. */
  private final NavigableMap<String, List<KeyLock>> byKey;

  LockTable() {
    this(new TreeMap<>(KeyOrder.UTF8));
  }

  private LockTable(NavigableMap<String, List<KeyLock>> byKey) {
    this.byKey = byKey;
  }

  /** A copy that later changes to this table do not affect (for snapshots). */
  LockTable copy() {
    NavigableMap<String, List<KeyLock>> copy = new TreeMap<>(KeyOrder.UTF8);
    byKey.forEach((key, locks) -> copy.put(key, new ArrayList<>(locks)));
    return new LockTable(copy);
  }

  /**
   * The locks of other transactions that stop {@code txnId} from locking {@code exclusive} keys exclusively and
   * {@code shared} keys shared; empty when it may take them all.
   */
  List<KeyLock> conflicts(String txnId, Collection<String> exclusive, Collection<String> shared) {
    List<KeyLock> conflicts = new ArrayList<>();
    for (String key : exclusive) {
      for (KeyLock lock : byKey.getOrDefault(key, List.of())) {
        if (!lock.txnId().equals(txnId)) {
          conflicts.add(lock);
        }
      }
    }
    for (String key : shared) {
      for (KeyLock lock : byKey.getOrDefault(key, List.of())) {
        if (lock.exclusive() && !lock.txnId().equals(txnId)) {
          conflicts.add(lock);
        }
      }
    }
    return conflicts;
  }

  /** Takes the locks; the caller checked {@link #conflicts} first. */
  void acquire(List<KeyLock> locks) {
    for (KeyLock lock : locks) {
      byKey.computeIfAbsent(lock.key(), k -> new ArrayList<>(1)).add(lock);
    }
  }

  /** Releases every lock {@code txnId} holds on {@code keys}. */
  void release(String txnId, Collection<String> keys) {
    for (String key : keys) {
      List<KeyLock> locks = byKey.get(key);
      if (locks != null) {
        locks.removeIf(lock -> lock.txnId().equals(txnId));
        if (locks.isEmpty()) {
          byKey.remove(key);
        }
      }
    }
  }

  /** Every lock on {@code key}: any of them stops a write that is not its holder's. */
  List<KeyLock> on(String key) {
    return List.copyOf(byKey.getOrDefault(key, List.of()));
  }

  /** The exclusive lock on {@code key}, if any: it stops reads of the latest value. */
  List<KeyLock> exclusiveOn(String key) {
    return byKey.getOrDefault(key, List.of()).stream().filter(KeyLock::exclusive).toList();
  }

  /**
   * Exclusive locks on keys in [{@code from}, {@code toExclusive}) ({@code null}: no upper bound) that start with
   * {@code requiredPrefix} ({@code null}: any): what a range read over that span must not read past.
   */
  List<KeyLock> exclusiveIn(String from, String toExclusive, String requiredPrefix) {
    NavigableMap<String, List<KeyLock>> span = toExclusive == null
        ? byKey.tailMap(from, true) : byKey.subMap(from, true, toExclusive, false);
    List<KeyLock> found = new ArrayList<>();
    for (Map.Entry<String, List<KeyLock>> entry : span.entrySet()) {
      if (requiredPrefix != null && !entry.getKey().startsWith(requiredPrefix)) {
        break;
      }
      entry.getValue().stream().filter(KeyLock::exclusive).forEach(found::add);
    }
    return found;
  }

  /** Locked keys. */
  int size() {
    return byKey.size();
  }

  /** Every lock, in key order (for snapshots). */
  List<KeyLock> all() {
    List<KeyLock> all = new ArrayList<>();
    byKey.values().forEach(all::addAll);
    return all;
  }
}
