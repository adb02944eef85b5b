package io.raftring.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.rocksdb.RocksDB;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The only thread that writes to the database. It takes everything queued (up to a count and a byte limit), writes it
 * as one synced WriteBatch and only then completes the futures of all of it, so N replicas writing at the same time
 * pay for one fsync instead of N.
 *
 * <p>Futures are completed on the writer thread; whatever is chained on them synchronously delays the next write, so
 * callers should chain cheap work only (or hop to their own executor).
 */
final class GroupCommitWriter {

  private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);

  private record Pending(BatchOperation operation, CompletableFuture<Void> done) {}

  /** Enqueued once by {@link #close}; everything before it is written, nothing can be enqueued after it. */
  private static final Pending STOP = new Pending(null, null);

  private final RocksDB db;
  private final int maxBatchWrites;
  private final long maxBatchBytes;
  private final String name;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  // Guards "closed" against submit() so that nothing is enqueued behind STOP, where no one would complete it.
  private final Object submitLock = new Object();
  private boolean closed;
  private final WriteOptions syncedWrite = new WriteOptions().setSync(true);
  private final AtomicLong syncedWrites = new AtomicLong();
  /** Told of every synced write, for metrics; must be cheap since it runs on the writer thread. */
  private volatile SyncObserver syncObserver = SyncObserver.NONE;
  private final AtomicLong committedOperations = new AtomicLong();
  private final Thread thread;

  GroupCommitWriter(RocksDB db, int maxBatchWrites, long maxBatchBytes, String name) {
    this.db = db;
    this.maxBatchWrites = maxBatchWrites;
    this.maxBatchBytes = maxBatchBytes;
    this.name = name;
    this.thread = new Thread(this::run, "raftring-storage-writer[" + name + "]");
    // Daemon: an application that forgets to close the store must still be able to exit; durability does not depend
    // on this thread finishing because nothing is acknowledged before it is synced.
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues the operation; the future completes once it is synced to disk, or exceptionally if it was not written. */
  CompletableFuture<Void> submit(BatchOperation operation) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    synchronized (submitLock) {
      if (closed) {
        done.completeExceptionally(new StoreClosedException("RocksDB store " + name + " is closed"));
        return done;
      }
      queue.add(new Pending(operation, done));
    }
    return done;
  }

  void observeSyncs(SyncObserver observer) {
    this.syncObserver = observer == null ? SyncObserver.NONE : observer;
  }

  /** Number of synced RocksDB writes so far; with group commit this grows slower than {@link #committedOperations}. */
  long syncedWrites() {
    return syncedWrites.get();
  }

  long committedOperations() {
    return committedOperations.get();
  }

  /**
   * Stops accepting operations, writes what is queued and waits for the thread to end.
   *
   * @return false if the thread did not end within the timeout (the database must then not be closed under it)
   */
  boolean close(Duration timeout) throws InterruptedException {
    synchronized (submitLock) {
      if (!closed) {
        closed = true;
        queue.add(STOP);
      }
    }
    thread.join(Math.max(1, timeout.toMillis()));
    if (thread.isAlive()) {
      log.error("Writer of RocksDB store {} did not finish within {}; leaving the database open", name, timeout);
      return false;
    }
    syncedWrite.close();
    return true;
  }

  private void run() {
    List<Pending> drained = new ArrayList<>();
    try {
      boolean stop = false;
      while (!stop) {
        Pending first = queue.poll(1, TimeUnit.HOURS);
        if (first == null) {
          continue;
        }
        if (first == STOP) {
          break;
        }
        drained.add(first);
        long bytes = first.operation().sizeBytes();
        while (drained.size() < maxBatchWrites && bytes < maxBatchBytes) {
          Pending next = queue.poll();
          if (next == null) {
            break;
          }
          if (next == STOP) {
            stop = true;
            break;
          }
          drained.add(next);
          bytes += next.operation().sizeBytes();
        }
        commit(drained);
        drained.clear();
      }
    } catch (Throwable t) {
      // Not expected (commit() handles its own failures); fail everything rather than leave callers waiting forever.
      log.error("Writer of RocksDB store {} stopped unexpectedly", name, t);
      failAll(drained, t);
    } finally {
      synchronized (submitLock) {
        closed = true;
      }
      List<Pending> rest = new ArrayList<>();
      queue.drainTo(rest);
      rest.remove(STOP);
      failAll(rest, new StoreClosedException("RocksDB store " + name + " stopped writing"));
    }
  }

  private void commit(List<Pending> drained) {
    List<Pending> included = new ArrayList<>(drained.size());
    try (WriteBatch batch = new WriteBatch()) {
      for (Pending pending : drained) {
        // A save point per operation keeps each one all-or-nothing even if adding a later part of it fails.
        batch.setSavePoint();
        try {
          pending.operation().addTo(batch);
          batch.popSavePoint();
          included.add(pending);
        } catch (Exception e) {
          batch.rollbackToSavePoint();
          pending.done().completeExceptionally(e);
        }
      }
      if (!included.isEmpty()) {
        long started = System.nanoTime();
        db.write(syncedWrite, batch);
        syncedWrites.incrementAndGet();
        committedOperations.addAndGet(included.size());
        syncObserver.onSync(System.nanoTime() - started, included.size());
      }
    } catch (Throwable t) {
      log.error("Synced write of {} operations to RocksDB store {} failed", included.size(), name, t);
      failAll(drained, t);
      return;
    }
    for (Pending pending : included) {
      pending.done().complete(null);
    }
  }

  private static void failAll(List<Pending> pendings, Throwable cause) {
    for (Pending pending : pendings) {
      pending.done().completeExceptionally(cause);
    }
  }
}
