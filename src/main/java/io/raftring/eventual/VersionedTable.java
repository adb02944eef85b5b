package io.raftring.eventual;

import io.raftring.storage.RocksDbTable;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A RocksDB table of {@link TimedValue}s that changes a key only by read-modify-write under that key's lock, so two
 * writes of one key never both start from the same old value. A change is visible to the next read of the key at once
 * (it waits in {@code pending} until RocksDB has it), and its future completes once it is synced.
 *
 * <p>The {@link Listener} hears each change under the key's lock, in the order the changes were made: the Merkle trees
 * and the tombstone list follow the table that way.
 */
final class VersionedTable {

  /** Hears every change of a key: {@code before} and {@code after}, null for "absent". */
  interface Listener {
    void changed(byte[] key, TimedValue before, TimedValue after);
  }

  /** The outcome of a change: what was there and what is now. */
  record Change(TimedValue before, TimedValue after) {
    boolean changed() {
      return before != after;
    }
  }

  /** Deleted, not yet in RocksDB. */
  private static final TimedValue REMOVED = new TimedValue(VersionedValue.EMPTY, 0);
  private static final int STRIPES = 256;

  private final RocksDbTable table;
  private final Object[] stripes = new Object[STRIPES];
  private final Map<Key, TimedValue> pending = new ConcurrentHashMap<>();
  private volatile Listener listener = (key, before, after) -> {};

  VersionedTable(RocksDbTable table) {
    this.table = table;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new Object();
    }
  }

  void listen(Listener listener) {
    this.listener = listener;
  }

  RocksDbTable table() {
    return table;
  }

  /** The key's value, null if absent. */
  TimedValue get(byte[] key) {
    TimedValue waiting = pending.get(new Key(key));
    if (waiting != null) {
      return waiting == REMOVED ? null : waiting;
    }
    byte[] stored = table.get(key);
    return stored == null ? null : TimedValue.fromBytes(stored);
  }

  /**
   * Replaces the key's value by {@code update(current)} (current null when absent); an answer equal to the current
   * value, or null, changes nothing and completes at once. Otherwise completes once the new value is synced.
   */
  CompletableFuture<Change> update(byte[] key, Function<TimedValue, TimedValue> update) {
    Key k = new Key(key);
    CompletableFuture<Void> synced;
    Change change;
    synchronized (stripeOf(key)) {
      TimedValue before = get(key);
      TimedValue after = update.apply(before);
      if (after == null || after.equals(before)) {
        return CompletableFuture.completedFuture(new Change(before, before));
      }
      pending.put(k, after);
      listener.changed(key, before, after);
      synced = table.put(key, after.toBytes());
      change = new Change(before, after);
    }
    return synced.handle((ok, failure) -> {
      pending.remove(k, change.after());
      if (failure != null) {
        throw new java.util.concurrent.CompletionException(failure);
      }
      return change;
    });
  }

  /** Removes the key if its value is still {@code expected}; completes with whether it did, once synced. */
  CompletableFuture<Boolean> removeIf(byte[] key, TimedValue expected) {
    Key k = new Key(key);
    CompletableFuture<Void> synced;
    synchronized (stripeOf(key)) {
      TimedValue current = get(key);
      if (current == null || !current.equals(expected)) {
        return CompletableFuture.completedFuture(false);
      }
      pending.put(k, REMOVED);
      listener.changed(key, current, null);
      synced = table.delete(key);
    }
    return synced.handle((ok, failure) -> {
      pending.remove(k, REMOVED);
      if (failure != null) {
        throw new java.util.concurrent.CompletionException(failure);
      }
      return true;
    });
  }

  /**
   * Visits every key's current value: what RocksDB has, with the changes not yet synced in their place. Call it within
   * {@link #exclusively}, or it may miss changes made meanwhile.
   */
  void forEach(java.util.function.BiConsumer<byte[], TimedValue> visitor) {
    Map<Key, TimedValue> waiting = new java.util.HashMap<>(pending);
    table.scan(null, null, (key, bytes) -> {
      TimedValue newer = waiting.remove(new Key(key));
      if (newer == null) {
        visitor.accept(key, TimedValue.fromBytes(bytes));
      } else if (newer != REMOVED) {
        visitor.accept(key, newer);
      }
      return true;
    });
    // Keys RocksDB did not have yet when the scan passed them.
    waiting.forEach((key, value) -> {
      if (value != REMOVED) {
        visitor.accept(key.bytes(), value);
      }
    });
  }

  /** Runs {@code action} holding every key's lock: nothing changes meanwhile (rebuilding what follows the table). */
  void exclusively(Runnable action) {
    lockAll(0, action);
  }

  private void lockAll(int stripe, Runnable action) {
    if (stripe == STRIPES) {
      action.run();
      return;
    }
    synchronized (stripes[stripe]) {
      lockAll(stripe + 1, action);
    }
  }

  private Object stripeOf(byte[] key) {
    return stripes[(Arrays.hashCode(key) & 0x7fffffff) % STRIPES];
  }

  /** A byte array as a map key. */
  private record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }
  }
}
