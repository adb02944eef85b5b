package io.raftring.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/**
 * A named table of plain keys and values in a node's {@link RocksDbStore}: its own column family, beside the journal's,
 * for data that is not an event log (the eventual keyspace's objects and hints). Keys sort as unsigned bytes.
 *
 * <p>Writes go through the store's one group-commit writer and complete once synced, like journal writes, so they
 * share its fsyncs. Reads run on the caller's thread and block briefly (memtable or block cache, else disk).
 */
public final class RocksDbTable {

  /** Visits one entry of a scan; returns false to stop it. */
  @FunctionalInterface
  public interface Visitor {
    boolean visit(byte[] key, byte[] value);
  }

  /** Puts and deletes written together, all or nothing, by {@link #write}. */
  public static final class Batch {
    private final List<byte[]> keys = new ArrayList<>();
    private final List<byte[]> values = new ArrayList<>(); // null: delete
    private long sizeBytes;

    public Batch put(byte[] key, byte[] value) {
      keys.add(key);
      values.add(value);
      sizeBytes += key.length + value.length + 16L;
      return this;
    }

    public Batch delete(byte[] key) {
      keys.add(key);
      values.add(null);
      sizeBytes += key.length + 16L;
      return this;
    }

    public boolean isEmpty() {
      return keys.isEmpty();
    }
  }

  private final RocksDbStore store;
  private final ColumnFamilyHandle family;
  private final String name;

  RocksDbTable(RocksDbStore store, ColumnFamilyHandle family, String name) {
    this.store = store;
    this.family = family;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** The value stored under {@code key}, or null. */
  public byte[] get(byte[] key) {
    try {
      return store.db().get(family, key);
    } catch (RocksDBException e) {
      throw new StorageException("Cannot read table " + name + " in " + store.dir() + ": " + e.getMessage(), e);
    }
  }

  public CompletableFuture<Void> put(byte[] key, byte[] value) {
    return write(new Batch().put(key, value));
  }

  public CompletableFuture<Void> delete(byte[] key) {
    return write(new Batch().delete(key));
  }

  /** Writes the batch all or nothing; completes once it is synced (at once for an empty batch). */
  public CompletableFuture<Void> write(Batch batch) {
    if (batch.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    List<byte[]> keys = List.copyOf(batch.keys);
    List<byte[]> values = new ArrayList<>(batch.values);
    long sizeBytes = batch.sizeBytes;
    return store.submit(new BatchOperation() {
      @Override
      public long sizeBytes() {
        return sizeBytes;
      }

      @Override
      public void addTo(WriteBatch writeBatch) throws RocksDBException {
        for (int i = 0; i < keys.size(); i++) {
          if (values.get(i) == null) {
            writeBatch.delete(family, keys.get(i));
          } else {
            writeBatch.put(family, keys.get(i), values.get(i));
          }
        }
      }
    });
  }

  /**
   * Visits the entries with {@code from <= key < to} in key order ({@code to} null: to the end) until the visitor
   * returns false; returns how many it visited.
   */
  public long scan(byte[] from, byte[] to, Visitor visitor) {
    long visited = 0;
    try (RocksIterator iterator = store.db().newIterator(family)) {
      if (from == null) {
        iterator.seekToFirst();
      } else {
        iterator.seek(from);
      }
      for (; iterator.isValid(); iterator.next()) {
        byte[] key = iterator.key();
        if (to != null && java.util.Arrays.compareUnsigned(key, to) >= 0) {
          break;
        }
        visited++;
        if (!visitor.visit(key, iterator.value())) {
          break;
        }
      }
      try {
        iterator.status();
      } catch (RocksDBException e) {
        throw new StorageException("Cannot scan table " + name + " in " + store.dir() + ": " + e.getMessage(), e);
      }
    }
    return visited;
  }

  /** Every key starting with {@code prefix}, as a scan bound: the first key after all of them (null if none is). */
  public static byte[] afterPrefix(byte[] prefix) {
    byte[] after = prefix.clone();
    for (int i = after.length - 1; i >= 0; i--) {
      if (after[i] != (byte) 0xFF) {
        after[i]++;
        return java.util.Arrays.copyOf(after, i + 1);
      }
    }
    return null;
  }
}
