package io.raftring.kv;

import java.util.List;

/**
 * What a node hooks into each of its {@link KvStateMachine}s (the replica creates its machine from a supplier, and
 * the node's supplier passes one of these per group): the changes committed entries made, in apply order, for watches
 * and the lessor; and the lessor's in-memory clock, which keep-alives reach through a leader's read.
 *
 * <p>Called on the replica's thread: implementations must be quick and must not block. They must not throw.
 */
public interface KvListener {

  /** Listens to nothing and keeps no lease clock. */
  KvListener NONE = new KvListener() {};

  /**
   * One applied entry changed something: {@code events} in the order they were made, then the store is at
   * {@code revision}. Either list may be empty (a lease grant changes no key).
   */
  default void applied(long revision, List<KvEvent> events, List<LeaseEvent> leaseEvents) {}

  /**
   * The machine's whole state was replaced at {@code revision}, by a snapshot or (revision 0, no leases) by starting
   * empty: there are no events for revisions up to it, and {@code leases} is the lease table now.
   */
  default void restored(long revision, LeaseTable.View leases) {}

  /**
   * A keep-alive of {@code lease} (granted with {@code ttlMillis}) reached this replica as a leader's read: renew it on
   * this node's lessor clock. Returns the time to live left afterwards in milliseconds, or -1 when this node does not
   * run the group's lessor (not leader, or not yet confirmed in its lessor epoch), so the caller retries.
   */
  default long keepAlive(long lease, long ttlMillis) {
    return -1;
  }

  /** The time to live left of {@code lease} on this node's lessor clock in milliseconds; -1 when it keeps none. */
  default long remainingMillis(long lease) {
    return -1;
  }

  /** This listener and {@code other}: both hear every change; the lease clock is {@code other}'s. */
  default KvListener with(KvListener other) {
    KvListener first = this;
    return new KvListener() {
      @Override
      public void applied(long revision, List<KvEvent> events, List<LeaseEvent> leaseEvents) {
        first.applied(revision, events, leaseEvents);
        other.applied(revision, events, leaseEvents);
      }

      @Override
      public void restored(long revision, LeaseTable.View leases) {
        first.restored(revision, leases);
        other.restored(revision, leases);
      }

      @Override
      public long keepAlive(long lease, long ttlMillis) {
        return other.keepAlive(lease, ttlMillis);
      }

      @Override
      public long remainingMillis(long lease) {
        return other.remainingMillis(lease);
      }
    };
  }
}
