package io.raftring.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's RocksDB database: journal events, per-persistenceId metadata and snapshots, each in its own column
 * family, and the named {@link #table tables} of other users. Knows nothing of Akka; the plugins
 * ({@link RocksDbJournal}, {@link RocksDbSnapshotStore}) serialize and call this.
 *
 * <p>Every write goes through one {@link GroupCommitWriter} and its future completes only once RocksDB synced it
 * (WAL fsync). Reads run on the caller's thread and block; call them from a dispatcher meant for blocking work.
 *
 * <p>Within one persistenceId, writes must be submitted in sequence number order (an Akka persistent actor does so);
 * a delete sees the writes that were acknowledged before it was submitted.
 *
 * <p>Plugins share a store through {@link RocksDbStoreRegistry}; code without an ActorSystem may {@link #open} one and
 * {@link #close} it itself.
 */
public final class RocksDbStore implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RocksDbStore.class);

  static {
    RocksDB.loadLibrary();
  }

  private static final String JOURNAL = "journal";
  private static final String METADATA = "journal-metadata";
  private static final String SNAPSHOTS = "snapshots";

  private final StorageSettings settings;
  private final Path dir;
  private static final long MAX_TOTAL_WAL_BYTES = 64L * 1024 * 1024;

  private final DBOptions dbOptions;
  private final ColumnFamilyOptions columnFamilyOptions;
  private final RocksDB db;
  private final List<ColumnFamilyHandle> handles;
  private final ColumnFamilyHandle journal;
  private final ColumnFamilyHandle metadata;
  private final ColumnFamilyHandle snapshots;
  /** The named tables by name: the ones found at open, and those created since. Guarded by {@code this}. */
  private final java.util.Map<String, RocksDbTable> tables = new java.util.HashMap<>();
  private final GroupCommitWriter writer;
  // Compacting a deleted range can take a while; it must not hold up the writer (and with it every replica's writes).
  private final ExecutorService maintenance;
  private boolean closed;

  private RocksDbStore(StorageSettings settings, Path dir) {
    this.settings = settings;
    this.dir = dir;
    // The write-ahead log is what makes a write durable, but it also holds deleted events until their memtables are
    // flushed; bounding it makes RocksDB flush, so a compacted journal's disk use stays bounded while the node runs.
    this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
        .setMaxTotalWalSize(MAX_TOTAL_WAL_BYTES);
    this.columnFamilyOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>(List.of(
        new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnFamilyOptions),
        new ColumnFamilyDescriptor(JOURNAL.getBytes(), columnFamilyOptions),
        new ColumnFamilyDescriptor(METADATA.getBytes(), columnFamilyOptions),
        new ColumnFamilyDescriptor(SNAPSHOTS.getBytes(), columnFamilyOptions)));
    // RocksDB opens a database only with all of its column families named: the tables created by earlier runs too.
    List<String> tableNames = existingTables(dir);
    for (String table : tableNames) {
      descriptors.add(new ColumnFamilyDescriptor(table.getBytes(StandardCharsets.UTF_8), columnFamilyOptions));
    }
    this.handles = new ArrayList<>();
    try {
      this.db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
    } catch (RocksDBException e) {
      dbOptions.close();
      columnFamilyOptions.close();
      throw new StorageException("Cannot open RocksDB database at " + dir + ": " + e.getMessage(), e);
    }
    this.journal = handles.get(1);
    this.metadata = handles.get(2);
    this.snapshots = handles.get(3);
    for (int i = 0; i < tableNames.size(); i++) {
      tables.put(tableNames.get(i), new RocksDbTable(this, handles.get(4 + i), tableNames.get(i)));
    }
    this.writer = new GroupCommitWriter(db, settings.maxBatchWrites(), settings.maxBatchBytes(), dir.toString());
    this.maintenance = Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "raftring-storage-maintenance[" + dir + "]");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Opens (creating if needed) the database in {@code settings.dir()}; the caller must {@link #close} it. */
  public static RocksDbStore open(StorageSettings settings) {
    return new RocksDbStore(settings, canonicalDir(settings.dir()));
  }

  /** The directory with symbolic links and relative parts resolved, created if missing: the registry's key. */
  static Path canonicalDir(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
      return absolute.toRealPath();
    } catch (IOException e) {
      throw new StorageException("Cannot create storage directory " + dir.toAbsolutePath() + ": " + e, e);
    }
  }

  public Path dir() {
    return dir;
  }

  // ----------------------------------------------------------------------------------------------------------- tables

  /**
   * The table {@code name} (its own column family), created on first use and found again when the database is opened
   * later. The journal's own column families are not tables.
   */
  public synchronized RocksDbTable table(String name) {
    if (name.isEmpty() || RESERVED.contains(name)) {
      throw new IllegalArgumentException("'" + name + "' cannot name a table");
    }
    if (closed) {
      throw new StoreClosedException("RocksDB store " + dir + " is closed");
    }
    RocksDbTable table = tables.get(name);
    if (table == null) {
      try {
        ColumnFamilyHandle handle = db.createColumnFamily(
            new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), columnFamilyOptions));
        handles.add(handle);
        table = new RocksDbTable(this, handle, name);
        tables.put(name, table);
      } catch (RocksDBException e) {
        throw new StorageException("Cannot create table " + name + " in " + dir + ": " + e.getMessage(), e);
      }
    }
    return table;
  }

  private static final java.util.Set<String> RESERVED = java.util.Set.of(
      new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8), JOURNAL, METADATA, SNAPSHOTS);

  /** The column families of an existing database in {@code dir} that are tables; none for a new database. */
  private static List<String> existingTables(Path dir) {
    if (!Files.exists(dir.resolve("CURRENT"))) {
      return List.of();
    }
    try (Options options = new Options()) {
      List<String> names = new ArrayList<>();
      for (byte[] family : RocksDB.listColumnFamilies(options, dir.toString())) {
        String name = new String(family, StandardCharsets.UTF_8);
        if (!RESERVED.contains(name)) {
          names.add(name);
        }
      }
      return names;
    } catch (RocksDBException e) {
      throw new StorageException("Cannot list the column families of " + dir + ": " + e.getMessage(), e);
    }
  }

  RocksDB db() {
    return db;
  }

  CompletableFuture<Void> submit(BatchOperation operation) {
    return writer.submit(operation);
  }

  public StorageSettings settings() {
    return settings;
  }

  // ---------------------------------------------------------------------------------------------------------- journal

  /**
   * Writes the events of one persistenceId all-or-nothing; the future completes once they are synced.
   *
   * @param entries in increasing sequence number order, at least one
   */
  public CompletableFuture<Void> appendEvents(String persistenceId, List<JournalEntry> entries) {
    if (entries.isEmpty()) {
      return CompletableFuture.failedFuture(new IllegalArgumentException("no events to append"));
    }
    byte[] prefix = StorageKeys.persistenceIdPrefix(persistenceId);
    long size = 0;
    for (JournalEntry entry : entries) {
      size += prefix.length + 8 + entry.bytes().length;
    }
    long sizeBytes = size;
    return writer.submit(new BatchOperation() {
      @Override
      public long sizeBytes() {
        return sizeBytes;
      }

      @Override
      public void addTo(WriteBatch batch) throws RocksDBException {
        for (JournalEntry entry : entries) {
          batch.put(journal, StorageKeys.journalKey(prefix, entry.sequenceNr()), entry.bytes());
        }
      }
    });
  }

  /**
   * Calls {@code onEvent(bytes, sequenceNr)} for the stored events with {@code fromSequenceNr <= sequenceNr <=
   * toSequenceNr}, in order, at most {@code max} of them; returns how many.
   */
  public long replayEvents(
      String persistenceId, long fromSequenceNr, long toSequenceNr, long max, ObjLongConsumer<byte[]> onEvent) {
    if (max <= 0 || toSequenceNr < fromSequenceNr) {
      return 0;
    }
    byte[] prefix = StorageKeys.persistenceIdPrefix(persistenceId);
    // Start past the deleted range: seeking there skips its tombstones instead of stepping over them.
    long from = Math.max(Math.max(fromSequenceNr, 1), deletedToSequenceNr(persistenceId) + 1);
    long count = 0;
    try (RocksIterator iterator = db.newIterator(journal)) {
      for (iterator.seek(StorageKeys.journalKey(prefix, from)); iterator.isValid() && count < max; iterator.next()) {
        byte[] key = iterator.key();
        if (!StorageKeys.hasPrefix(key, prefix)) {
          break;
        }
        long sequenceNr = StorageKeys.sequenceNrOfJournalKey(key);
        if (sequenceNr > toSequenceNr) {
          break;
        }
        onEvent.accept(iterator.value(), sequenceNr);
        count++;
      }
      checkIterator(iterator, "replaying " + persistenceId);
    }
    return count;
  }

  /**
   * The highest sequence number ever written for the persistenceId (0 if none), also after its events were deleted:
   * the newest stored event, or what the metadata remembered when older events were deleted.
   */
  public long highestSequenceNr(String persistenceId) {
    long remembered = readLong(StorageKeys.highestSequenceNrKey(persistenceId));
    return Math.max(remembered, newestStoredSequenceNr(persistenceId));
  }

  /** Up to which sequence number events were deleted (0 if never). */
  public long deletedToSequenceNr(String persistenceId) {
    return readLong(StorageKeys.deletedToKey(persistenceId));
  }

  /**
   * Deletes the events up to and including {@code toSequenceNr} (at most up to the highest one written; later writes
   * are not affected) and remembers how far it deleted. Completes once synced; the range is compacted afterwards in
   * the background if {@code compact-after-delete} is on.
   */
  public CompletableFuture<Void> deleteEventsTo(String persistenceId, long toSequenceNr) {
    byte[] prefix = StorageKeys.persistenceIdPrefix(persistenceId);
    long[] deletedRange = new long[2]; // [from, to], set on the writer thread, read after the future completed
    CompletableFuture<Void> synced = writer.submit(new BatchOperation() {
      @Override
      public long sizeBytes() {
        return 2L * (prefix.length + 8) + 64;
      }

      @Override
      public void addTo(WriteBatch batch) throws RocksDBException {
        long highest = highestSequenceNr(persistenceId);
        long deletedTo = deletedToSequenceNr(persistenceId);
        long to = Math.min(toSequenceNr, highest);
        if (to <= deletedTo) {
          return;
        }
        batch.deleteRange(journal, StorageKeys.journalKey(prefix, deletedTo + 1), StorageKeys.journalKey(prefix, to + 1));
        batch.put(metadata, StorageKeys.deletedToKey(persistenceId), StorageKeys.encodeLong(to));
        batch.put(metadata, StorageKeys.highestSequenceNrKey(persistenceId), StorageKeys.encodeLong(highest));
        deletedRange[0] = deletedTo + 1;
        deletedRange[1] = to;
      }
    });
    if (settings.compactAfterDelete()) {
      synced.thenRun(() -> {
        if (deletedRange[1] > 0) {
          compactInBackground(
              StorageKeys.journalKey(prefix, deletedRange[0]), StorageKeys.journalKey(prefix, deletedRange[1] + 1));
        }
      });
    }
    return synced;
  }

  /**
   * Every persistenceId with events or snapshots in this store, read by jumping from one id's keys to the next (one
   * seek per id, not one step per event).
   */
  public java.util.SortedSet<String> persistenceIds() {
    java.util.SortedSet<String> ids = new java.util.TreeSet<>();
    for (ColumnFamilyHandle family : List.of(journal, snapshots)) {
      try (RocksIterator iterator = db.newIterator(family)) {
        iterator.seekToFirst();
        while (iterator.isValid()) {
          String id = StorageKeys.persistenceIdOf(iterator.key());
          ids.add(id);
          iterator.seek(StorageKeys.afterPersistenceId(id));
        }
        checkIterator(iterator, "listing persistence ids");
      }
    }
    return ids;
  }

  private long newestStoredSequenceNr(String persistenceId) {
    byte[] prefix = StorageKeys.persistenceIdPrefix(persistenceId);
    try (RocksIterator iterator = db.newIterator(journal)) {
      iterator.seekForPrev(StorageKeys.journalKey(prefix, Long.MAX_VALUE));
      if (iterator.isValid() && StorageKeys.hasPrefix(iterator.key(), prefix)) {
        return StorageKeys.sequenceNrOfJournalKey(iterator.key());
      }
      checkIterator(iterator, "reading highest sequence number of " + persistenceId);
      return 0;
    }
  }

  private void compactInBackground(byte[] begin, byte[] end) {
    try {
      maintenance.execute(() -> {
        try {
          db.compactRange(journal, begin, end);
        } catch (RocksDBException e) {
          log.warn("Compacting deleted events in {} failed; the space is reclaimed by later compactions", dir, e);
        }
      });
    } catch (RejectedExecutionException closing) {
      // Closing: RocksDB's own compactions reclaim the space later.
    }
  }

  // -------------------------------------------------------------------------------------------------------- snapshots

  /** Stores a snapshot (replacing one with the same sequence number and timestamp); completes once synced. */
  public CompletableFuture<Void> saveSnapshot(String persistenceId, long sequenceNr, long timestamp, byte[] bytes) {
    byte[] key = StorageKeys.snapshotKey(persistenceId, sequenceNr, timestamp);
    return writer.submit(new BatchOperation() {
      @Override
      public long sizeBytes() {
        return key.length + bytes.length;
      }

      @Override
      public void addTo(WriteBatch batch) throws RocksDBException {
        batch.put(snapshots, key, bytes);
      }
    });
  }

  /** The snapshot with the highest sequence number (then timestamp) within the bounds, if any. */
  public Optional<StoredSnapshot> newestSnapshot(String persistenceId, SnapshotBounds bounds) {
    byte[] prefix = StorageKeys.persistenceIdPrefix(persistenceId);
    try (RocksIterator iterator = db.newIterator(snapshots)) {
      iterator.seekForPrev(StorageKeys.snapshotKey(prefix, bounds.maxSequenceNr(), Long.MAX_VALUE));
      for (; iterator.isValid(); iterator.prev()) {
        byte[] key = iterator.key();
        if (!StorageKeys.hasPrefix(key, prefix)) {
          break;
        }
        long sequenceNr = StorageKeys.sequenceNrOfSnapshotKey(key);
        if (sequenceNr < bounds.minSequenceNr()) {
          break;
        }
        long timestamp = StorageKeys.timestampOfSnapshotKey(key);
        if (bounds.contains(sequenceNr, timestamp)) {
          return Optional.of(new StoredSnapshot(persistenceId, sequenceNr, timestamp, iterator.value()));
        }
      }
      checkIterator(iterator, "loading snapshot of " + persistenceId);
    }
    return Optional.empty();
  }

  /** Deletes the persistenceId's snapshots within the bounds that are stored when this is called; completes once synced. */
  public CompletableFuture<Void> deleteSnapshots(String persistenceId, SnapshotBounds bounds) {
    byte[] prefix = StorageKeys.persistenceIdPrefix(persistenceId);
    List<byte[]> keys = new ArrayList<>();
    try (RocksIterator iterator = db.newIterator(snapshots)) {
      iterator.seek(StorageKeys.snapshotKey(prefix, bounds.minSequenceNr(), 0));
      for (; iterator.isValid(); iterator.next()) {
        byte[] key = iterator.key();
        if (!StorageKeys.hasPrefix(key, prefix)) {
          break;
        }
        long sequenceNr = StorageKeys.sequenceNrOfSnapshotKey(key);
        if (sequenceNr > bounds.maxSequenceNr()) {
          break;
        }
        if (bounds.contains(sequenceNr, StorageKeys.timestampOfSnapshotKey(key))) {
          keys.add(key);
        }
      }
      checkIterator(iterator, "finding snapshots of " + persistenceId + " to delete");
    }
    if (keys.isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    return writer.submit(new BatchOperation() {
      @Override
      public long sizeBytes() {
        return keys.size() * (prefix.length + 16L);
      }

      @Override
      public void addTo(WriteBatch batch) throws RocksDBException {
        for (byte[] key : keys) {
          batch.delete(snapshots, key);
        }
      }
    });
  }

  // ------------------------------------------------------------------------------------------------------- lifecycle

  /** Tells {@code observer} the duration and size of every synced write from now on (null: nobody). */
  public void observeSyncs(SyncObserver observer) {
    writer.observeSyncs(observer);
  }

  /** Synced writes so far; with group commit fewer than {@link #committedOperations()} under concurrent writers. */
  public long syncedWrites() {
    return writer.syncedWrites();
  }

  /** Operations (appends, deletes, snapshot saves) committed so far. */
  public long committedOperations() {
    return writer.committedOperations();
  }

  /**
   * Writes what is queued, stops the writer and closes the database. Operations submitted afterwards fail with
   * {@link StoreClosedException}. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (!writer.close(settings.closeTimeout())) {
        return; // the writer may still be inside RocksDB: closing the database under it could crash the JVM
      }
      maintenance.shutdown();
      if (!maintenance.awaitTermination(settings.closeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        log.error("Compaction in {} did not finish within {}; leaving the database open", dir, settings.closeTimeout());
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.error("Interrupted while closing RocksDB store {}; leaving the database open", dir);
      return;
    }
    db.cancelAllBackgroundWork(true);
    for (ColumnFamilyHandle handle : handles) {
      handle.close();
    }
    try {
      db.closeE();
    } catch (RocksDBException e) {
      log.error("Closing RocksDB store {} failed", dir, e);
    }
    dbOptions.close();
    columnFamilyOptions.close();
  }

  private long readLong(byte[] key) {
    try {
      return StorageKeys.decodeLong(db.get(metadata, key));
    } catch (RocksDBException e) {
      throw new StorageException("Cannot read metadata from RocksDB store " + dir + ": " + e.getMessage(), e);
    }
  }

  private void checkIterator(RocksIterator iterator, String what) {
    try {
      iterator.status();
    } catch (RocksDBException e) {
      throw new StorageException("Failed " + what + " in RocksDB store " + dir + ": " + e.getMessage(), e);
    }
  }
}
