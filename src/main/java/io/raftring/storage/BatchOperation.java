package io.raftring.storage;

import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;

/**
 * One unit of work for the {@link GroupCommitWriter}: what it adds to a WriteBatch is committed all together or not
 * at all, together with whatever else was queued at the same time.
 */
interface BatchOperation {

  /** Roughly how many bytes this operation adds to a batch; bounds how much one synced write carries. */
  long sizeBytes();

  /** Adds this operation's puts and deletes to the batch. Runs on the writer thread only. */
  void addTo(WriteBatch batch) throws RocksDBException;
}
