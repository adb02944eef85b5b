package io.raftring.watch;

import io.raftring.kv.KvEvent;
import io.raftring.kv.KvListener;
import io.raftring.kv.LeaseEvent;
import io.raftring.kv.LeaseTable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The catch-up histories of the groups this node holds a replica of, fed by the replicas' state machines through the
 * {@link KvListener} each gets from {@link #listenerFor}. After an append the feed is told which group changed, at
 * most once until it has looked (a burst of writes costs one notification, not one each).
 */
public final class NodeHistories {

  private final GroupHistory.Limits limits;
  private final LongSupplier nanoClock;
  private final Map<String, GroupHistory> histories = new ConcurrentHashMap<>();
  private final Map<String, AtomicBoolean> notificationPending = new ConcurrentHashMap<>();
  private volatile Consumer<String> onAppended = group -> {};

  public NodeHistories(GroupHistory.Limits limits, LongSupplier nanoClock) {
    this.limits = limits;
    this.nanoClock = nanoClock;
  }

  /**
   * Whom to tell that a group's history grew (the node's feed); called at most once per group until it looked. The
   * feed registers when its actor starts, and replicas may have applied entries before that: their notifications went
   * nowhere but left them pending, so it hears of those groups now (else it would never hear of them again).
   */
  public void notifyTo(Consumer<String> onAppended) {
    this.onAppended = onAppended;
    notificationPending.forEach((group, pending) -> {
      if (pending.get()) {
        onAppended.accept(group);
      }
    });
  }

  /** The feed looked at {@code group}'s history: tell it again about the next append. */
  public void looked(String group) {
    AtomicBoolean pending = notificationPending.get(group);
    if (pending != null) {
      pending.set(false);
    }
  }

  /** {@code group}'s history on this node, or null when no replica of it ever applied anything here. */
  public GroupHistory history(String group) {
    return histories.get(group);
  }

  /** What the state machine of this node's replica of {@code group} reports to. */
  public KvListener listenerFor(String group) {
    GroupHistory history = histories.computeIfAbsent(group, g -> new GroupHistory(limits, nanoClock));
    AtomicBoolean pending = notificationPending.computeIfAbsent(group, g -> new AtomicBoolean());
    return new KvListener() {
      @Override
      public void applied(long revision, List<KvEvent> events, List<LeaseEvent> leaseEvents) {
        if (events.isEmpty()) {
          return;
        }
        history.append(events, revision);
        if (pending.compareAndSet(false, true)) {
          onAppended.accept(group);
        }
      }

      @Override
      public void restored(long revision, LeaseTable.View leases) {
        history.restored(revision);
        // Watchers parked behind a gap must hear that they cannot catch up here.
        if (pending.compareAndSet(false, true)) {
          onAppended.accept(group);
        }
      }
    };
  }
}
