package io.raftring.lease;

import io.raftring.kv.KvEvent;
import io.raftring.kv.KvListener;
import io.raftring.kv.LeaseEvent;
import io.raftring.kv.LeaseTable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/** The {@link GroupLessor} of every group this node holds a replica of, fed by the replicas' state machines. */
public final class NodeLessors {

  private final Map<String, GroupLessor> lessors = new ConcurrentHashMap<>();
  private final LongSupplier nanoClock;
  private final java.util.concurrent.atomic.LongAdder expired = new java.util.concurrent.atomic.LongAdder();

  public NodeLessors(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** {@code group}'s lessor on this node. */
  public GroupLessor of(String group) {
    return lessors.computeIfAbsent(group, g -> new GroupLessor());
  }

  /** What the state machine of this node's replica of {@code group} reports to, and renews leases through. */
  public KvListener listenerFor(String group) {
    GroupLessor lessor = of(group);
    return new KvListener() {
      @Override
      public void applied(long revision, List<KvEvent> events, List<LeaseEvent> leaseEvents) {
        if (!leaseEvents.isEmpty()) {
          lessor.applied(leaseEvents, nanoClock.getAsLong());
        }
      }

      @Override
      public void restored(long revision, LeaseTable.View leases) {
        lessor.restored(leases);
      }

      @Override
      public long keepAlive(long lease, long ttlMillis) {
        return switch (lessor.keepAlive(lease, nanoClock.getAsLong())) {
          case RENEWED -> ttlMillis;
          case EXPIRED -> 0;
          case NOT_LESSOR -> -1;
        };
      }

      @Override
      public long remainingMillis(long lease) {
        return lessor.remainingMillis(lease, nanoClock.getAsLong());
      }
    };
  }

  /** Leases this node's lessors expired so far (only grows), for metrics. */
  public long expiredLeases() {
    return expired.sum();
  }

  void countExpired(int leases) {
    expired.add(leases);
  }

  /** Leases active in the groups this node runs the lessor of, for metrics. */
  public long heldLeases() {
    return lessors.values().stream().filter(GroupLessor::isHolder).mapToLong(GroupLessor::activeLeases).sum();
  }
}
