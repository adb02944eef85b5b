package io.raftring.cluster;

import akka.actor.typed.ActorRef;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.ReplicaId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Sends this node's replicas' Raft messages to other nodes in batches, one outbox per node: the first message into an
 * empty outbox schedules a flush on the dispatcher, and whatever the node's replicas sent to that node by the time it
 * runs goes out as one {@link PeerBatch} to the node's {@link PeerInbox}. Nothing waits on a timer, so a lone
 * message leaves as soon as a thread is free; under load many groups' AppendEntries and replies share one remote
 * message. One path per destination node keeps each replica pair's messages in order (Raft tolerates reordering,
 * but a reordered append is rejected and resent). Messages to this node, and to a node whose inbox is not known yet,
 * go {@code direct}ly, one by one.
 *
 * <p>A flush that finds the dispatcher with other work waiting goes to the back of the queue, up to
 * {@link #MAX_DEFERRALS} times: that work is mostly other replicas' turns, which send to the same nodes, so the flush
 * ends the node's round instead of the first replica's (TiKV's batch system ends a round the same way). An idle
 * dispatcher flushes at once, so a lone message waits for nothing.
 */
final class PeerMailer {

  /** Estimated bytes per batch: well inside remoting's 4 MiB frame (reference.conf) even when estimates are low. */
  static final long MAX_BATCH_BYTES = 1024 * 1024;
  /** How often a flush lets waiting work go first: bounds what a message waits for under load to a few turns. */
  static final int MAX_DEFERRALS = 2;

  private final String selfNode;
  private final Executor executor;
  private final BooleanSupplier dispatcherBusy;
  private final Function<String, List<ActorRef<PeerBatch>>> inboxesOf;
  private final BiConsumer<ReplicaId, ReplicaProtocol.Command> direct;
  private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();
  private final LongAdder batchedMessages = new LongAdder();
  private final LongAdder batches = new LongAdder();
  private final LongAdder deferrals = new LongAdder();

  /**
   * @param inboxesOf the reachable inboxes of a node by name (usually one; two briefly after it restarted), empty if
   *     none is known
   * @param direct sends one message straight to a replica, without batching
   * @param dispatcherBusy whether {@code executor}, asked from the flush running on it, has other work waiting
   */
  PeerMailer(
      String selfNode,
      Executor executor,
      BooleanSupplier dispatcherBusy,
      Function<String, List<ActorRef<PeerBatch>>> inboxesOf,
      BiConsumer<ReplicaId, ReplicaProtocol.Command> direct) {
    this.selfNode = selfNode;
    this.executor = executor;
    this.dispatcherBusy = dispatcherBusy;
    this.inboxesOf = inboxesOf;
    this.direct = direct;
  }

  void send(ReplicaId to, ReplicaProtocol.Command message) {
    if (to.node().equals(selfNode)) {
      direct.accept(to, message);
      return;
    }
    enqueue(to.node(), new PeerBatch.Addressed(to.group(), message));
  }

  /** Sends this node's beacon to {@code node} with what else goes there now (never directly: no replica takes it). */
  void sendBeacon(String node) {
    enqueue(node, new PeerBatch.Addressed(NodeBeacon.NO_GROUP, new NodeBeacon(selfNode)));
  }

  private void enqueue(String node, PeerBatch.Addressed message) {
    Outbox outbox = outboxes.computeIfAbsent(node, Outbox::new);
    outbox.queue.add(message);
    if (outbox.flushScheduled.compareAndSet(false, true)) {
      executor.execute(() -> flush(outbox));
    }
  }

  /** Messages that left in batches so far; with {@link #batches()}, how much batching saves. */
  long batchedMessages() {
    return batchedMessages.sum();
  }

  long batches() {
    return batches.sum();
  }

  /** Flushes that let other work go first. */
  long deferrals() {
    return deferrals.sum();
  }

  /**
   * Whether {@code executor} (an Akka dispatcher on a fork-join pool), asked from a thread of its own, has tasks
   * waiting: mailboxes scheduled to run, other flushes, stream stages.
   */
  static boolean forkJoinPoolBusy() {
    ForkJoinPool pool = ForkJoinTask.getPool();
    return pool != null && (pool.hasQueuedSubmissions() || pool.getQueuedTaskCount() > 0);
  }

  private void flush(Outbox outbox) {
    if (outbox.deferred < MAX_DEFERRALS && dispatcherBusy.getAsBoolean()) {
      outbox.deferred++;
      deferrals.increment();
      executor.execute(() -> flush(outbox));
      return;
    }
    outbox.deferred = 0;
    // Cleared before draining: a message added from here on either is drained now or schedules the next flush.
    outbox.flushScheduled.set(false);
    List<PeerBatch.Addressed> drained = new ArrayList<>();
    for (PeerBatch.Addressed m = outbox.queue.poll(); m != null; m = outbox.queue.poll()) {
      drained.add(m);
    }
    if (drained.isEmpty()) {
      return;
    }
    List<ActorRef<PeerBatch>> inboxes = inboxesOf.apply(outbox.node);
    if (inboxes.isEmpty()) {
      for (PeerBatch.Addressed m : drained) {
        if (!(m.message() instanceof NodeBeacon)) {
          direct.accept(new ReplicaId(m.group(), outbox.node), m.message());
        }
      }
      return;
    }
    for (PeerBatch batch : PeerBatch.pack(drained, MAX_BATCH_BYTES)) {
      inboxes.forEach(inbox -> inbox.tell(batch));
      batches.increment();
    }
    batchedMessages.add(drained.size());
  }

  private static final class Outbox {
    final String node;
    final Queue<PeerBatch.Addressed> queue = new ConcurrentLinkedQueue<>();
    final AtomicBoolean flushScheduled = new AtomicBoolean();
    /** How often the scheduled flush let other work go first; only its own runs touch it, one after another. */
    int deferred;

    Outbox(String node) {
      this.node = node;
    }
  }
}
