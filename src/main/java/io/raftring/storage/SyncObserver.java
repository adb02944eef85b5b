package io.raftring.storage;

/** Learns of every synced write of a store: how long the write and its fsync took and how many operations it held. */
@FunctionalInterface
public interface SyncObserver {

  SyncObserver NONE = (nanos, operations) -> {};

  void onSync(long nanos, int operations);
}
