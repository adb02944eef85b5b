package io.raftring.storage;

/** An operation reached a {@link RocksDbStore} that is closing or closed; nothing of it was written. */
public final class StoreClosedException extends IllegalStateException {
  public StoreClosedException(String message) {
    super(message);
  }
}
