package io.raftring.raft;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.ArrayList;
import java.util.List;

/**
 * The front door of a replica. Peer messages pass straight through; client proposals and reads are gathered while
 * the replica is busy with the previous batch and handed over together, so one journal write and one AppendEntries
 * carry many proposals (group commit), and the replica never holds thousands of stashed commands (Akka unstashes
 * recursively, so a deep stash can overflow the stack).
 *
 * <p>The queue is bounded: past {@code maxQueued} requests, new ones are refused at once rather than held.
 */
final class ClientBatcher extends AbstractBehavior<RaftReplica.Command> {

  /** The replica finished with the last batch (its write, if any, is durable). */
  enum BatchDone implements RaftReplica.Command {
    INSTANCE
  }

  static Behavior<RaftReplica.Command> create(Behavior<RaftReplica.Command> replica, int maxQueued) {
    return Behaviors.setup(ctx -> new ClientBatcher(ctx, replica, maxQueued));
  }

  private final ActorRef<RaftReplica.Command> replica;
  private final ActorRef<BatchDone> self;
  private final int maxQueued;
  private List<RaftReplica.Command> queued = new ArrayList<>();
  private boolean batchOutstanding;

  private ClientBatcher(
      ActorContext<RaftReplica.Command> context, Behavior<RaftReplica.Command> replica, int maxQueued) {
    super(context);
    this.replica = context.spawn(replica, "log");
    // A replica that stopped (its journal failed) takes its front door with it, so the host sees the whole thing
    // stop and starts a fresh incarnation.
    context.watch(this.replica);
    this.self = context.getSelf().narrow();
    this.maxQueued = maxQueued;
  }

  @Override
  public Receive<RaftReplica.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(RaftReplica.Propose.class, this::onClientRequest)
        .onMessage(RaftReplica.Read.class, this::onClientRequest)
        .onMessageEquals(BatchDone.INSTANCE, this::onBatchDone)
        .onMessage(RaftReplica.Command.class, this::forward)
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .build();
  }

  private Behavior<RaftReplica.Command> onClientRequest(RaftReplica.Command request) {
    if (queued.size() >= maxQueued) {
      RaftReplica.Rejected busy = new RaftReplica.Rejected("replica queue full");
      if (request instanceof RaftReplica.Propose p) {
        p.replyTo().tell(busy);
      } else if (request instanceof RaftReplica.Read r) {
        r.replyTo().tell(busy);
      }
      return this;
    }
    queued.add(request);
    if (!batchOutstanding) {
      handOver();
    }
    return this;
  }

  private Behavior<RaftReplica.Command> onBatchDone() {
    batchOutstanding = false;
    if (!queued.isEmpty()) {
      handOver();
    }
    return this;
  }

  private Behavior<RaftReplica.Command> forward(RaftReplica.Command message) {
    replica.tell(message);
    return this;
  }

  private void handOver() {
    replica.tell(new RaftReplica.ClientBatch(queued, self));
    queued = new ArrayList<>();
    batchOutstanding = true;
  }
}
