package io.raftring.storage;

/** The database could not be opened, read or written; the message says which database and what was attempted. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
