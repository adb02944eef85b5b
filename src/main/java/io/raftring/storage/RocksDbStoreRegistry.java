package io.raftring.storage;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Opens each node directory's database once per JVM, however many plugins use it: the journal and the snapshot store
 * of one ActorSystem share it, and it is closed when the last of them releases it. ActorSystems with different
 * directories (several nodes in one test JVM) get different databases.
 *
 * <p>Methods are synchronized on purpose, closing included: a database being closed still holds RocksDB's LOCK file,
 * so a new acquire of the same directory must wait for the close to finish.
 */
public final class RocksDbStoreRegistry {

  private static final class Entry {
    final RocksDbStore store;
    int references;

    Entry(RocksDbStore store) {
      this.store = store;
    }
  }

  private static final Map<Path, Entry> stores = new HashMap<>();

  private RocksDbStoreRegistry() {}

  /**
   * The store of the settings' directory, opening it if no one holds it. Settings other than the directory come from
   * whoever opened it first. Every acquire must be paired with one {@link #release}.
   */
  public static synchronized RocksDbStore acquire(StorageSettings settings) {
    Path dir = RocksDbStore.canonicalDir(settings.dir());
    Entry entry = stores.get(dir);
    if (entry == null) {
      entry = new Entry(RocksDbStore.open(settings));
      stores.put(dir, entry);
    }
    entry.references++;
    return entry.store;
  }

  /** Gives back one acquire; the last one closes the store (writing what is queued first). */
  public static synchronized void release(RocksDbStore store) {
    Entry entry = stores.get(store.dir());
    if (entry == null || entry.store != store) {
      throw new IllegalStateException("RocksDB store " + store.dir() + " is not held by the registry");
    }
    entry.references--;
    if (entry.references == 0) {
      stores.remove(store.dir());
      store.close();
    }
  }

  /** How many holders the directory's store has (0 if it is not open); for tests. */
  static synchronized int references(Path dir) {
    Entry entry = stores.get(RocksDbStore.canonicalDir(dir));
    return entry == null ? 0 : entry.references;
  }
}
