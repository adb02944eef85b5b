package io.raftring.eventual;

import java.util.function.LongSupplier;

/**
 * A hybrid logical clock (Kulkarni, Demirbas et al., 2014): a timestamp is the physical time in milliseconds in the
 * high 48 bits and a logical counter in the low 16, so it stays within a clock tick of wall time while never going
 * backwards and always moving past any timestamp this node has seen. A write whose coordinator saw another write
 * therefore gets the later timestamp even if its own wall clock is behind, and last-writer-wins only ever orders
 * writes that did not see each other by physical time.
 *
 * <p>A timestamp from another node more than {@code maxForwardDriftMillis} ahead of our wall clock is not followed:
 * one node with a clock far in the future would otherwise drag every node's timestamps along with it.
 *
 * <p>Thread-safe. The time source is injected, so tests drive it.
 */
public final class HybridLogicalClock {

  static final int LOGICAL_BITS = 16;
  private static final long LOGICAL_MASK = (1L << LOGICAL_BITS) - 1;

  private final LongSupplier wallMillis;
  private final long maxForwardDriftMillis;
  private long last;
  private long refusedRemote;

  public HybridLogicalClock(LongSupplier wallMillis, long maxForwardDriftMillis) {
    this.wallMillis = wallMillis;
    this.maxForwardDriftMillis = maxForwardDriftMillis;
  }

  public static long physicalMillis(long timestamp) {
    return timestamp >>> LOGICAL_BITS;
  }

  public static long logical(long timestamp) {
    return timestamp & LOGICAL_MASK;
  }

  static long timestamp(long physicalMillis, long logical) {
    return physicalMillis << LOGICAL_BITS | logical;
  }

  /** A timestamp for a local event (a write this node coordinates): greater than every one it gave or saw before. */
  public synchronized long now() {
    long physical = timestamp(wallMillis.getAsLong(), 0);
    last = Math.max(physical, last + 1);
    return last;
  }

  /** Takes in a timestamp seen elsewhere, so that the next {@link #now()} is past it (unless it is too far ahead). */
  public synchronized void observe(long remote) {
    long wall = wallMillis.getAsLong();
    if (physicalMillis(remote) > wall + maxForwardDriftMillis) {
      refusedRemote++;
      return;
    }
    last = Math.max(last, remote);
  }

  /** Remote timestamps ignored for being too far ahead of this node's wall clock. */
  public synchronized long refusedRemote() {
    return refusedRemote;
  }
}
