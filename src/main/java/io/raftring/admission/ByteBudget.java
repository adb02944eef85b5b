package io.raftring.admission;

/**
 * A node-wide bound on bytes held for one purpose, here request bodies read into memory before they are handled
 * (Cassandra bounds its native protocol's "request data in flight" the same way): a reader reserves what it will
 * hold before it reads, and is refused at once when the budget cannot cover it. Many slow or large uploads together
 * then cost at most the budget, never the heap.
 */
public final class ByteBudget {

  private final long capacity;
  private long reserved;

  public ByteBudget(long capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("a byte budget must be positive, was " + capacity);
    }
    this.capacity = capacity;
  }

  /** Reserves {@code bytes} if the budget still covers them; a reservation larger than the whole budget never fits. */
  public synchronized boolean tryReserve(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("cannot reserve " + bytes + " bytes");
    }
    if (bytes > capacity - reserved) {
      return false;
    }
    reserved += bytes;
    return true;
  }

  /** Returns what {@link #tryReserve} took. */
  public synchronized void release(long bytes) {
    if (bytes < 0 || bytes > reserved) {
      throw new IllegalStateException("releasing " + bytes + " bytes of " + reserved + " reserved");
    }
    reserved -= bytes;
  }

  public synchronized long reserved() {
    return reserved;
  }

  public long capacity() {
    return capacity;
  }
}
