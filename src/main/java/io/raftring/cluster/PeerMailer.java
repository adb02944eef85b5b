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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Sends this node's replicas' Raft messages to other nodes in batches, one outbox per node: the first message into an
 * empty outbox schedules a flush on the dispatcher, and whatever the node's replicas sent to that node by the time it
 * runs goes out as one {@link PeerBatch} to the node's {@link PeerInbox}. Nothing waits on a timer, so a lone
 * message leaves as soon as a thread is free; under load many groups' AppendEntries and replies share one remote
 * message. One path per destination node keeps each replica pair's messages in order (Raft tolerates reordering,
 * but a reordered append is rejected and resent). Messages to this node, and to a node whose inbox is not known yet,
 * go {@code direct}ly, one by one.
 */
final class PeerMailer {

  /** Estimated bytes per batch: well inside remoting's 4 MiB frame (reference.conf) even when estimates are low. */
  static final long MAX_BATCH_BYTES = 1024 * 1024;

  private final String selfNode;
  private final Executor executor;
  private final Function<String, List<ActorRef<PeerBatch>>> inboxesOf;
  private final BiConsumer<ReplicaId, ReplicaProtocol.Command> direct;
  private final Map<String, Outbox> outboxes = new ConcurrentHashMap<>();
  private final LongAdder batchedMessages = new LongAdder();
  private final LongAdder batches = new LongAdder();

  /**
   * @param inboxesOf the reachable inboxes of a node by name (usually one; two briefly after it restarted), empty if
   *     none is known
   * @param direct sends one message straight to a replica, without batching
   */
  PeerMailer(
      String selfNode,
      Executor executor,
      Function<String, List<ActorRef<PeerBatch>>> inboxesOf,
      BiConsumer<ReplicaId, ReplicaProtocol.Command> direct) {
    this.selfNode = selfNode;
    this.executor = executor;
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

  private void flush(Outbox outbox) {
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

    Outbox(String node) {
      this.node = node;
    }
  }
}
