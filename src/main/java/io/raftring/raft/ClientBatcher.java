package io.raftring.raft;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.Terminated;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The front door of a replica. Peer messages pass straight through; client proposals and reads are gathered while
 * the replica is busy with the previous batch and handed over together, so one journal write and one AppendEntries
 * carry many proposals (group commit), and the replica never holds thousands of stashed commands (Akka unstashes
 * recursively, so a deep stash can overflow the stack).
 *
 * <p>The queue is bounded twice. Past {@code maxQueued} requests, new ones are refused at once rather than held. A
 * request that waited {@code queueDeadline} or longer is refused instead of processed late: when the next batch is
 * handed over, and at the latest when a timer set for the oldest waiting request fires, so a replica stuck on a slow
 * write does not hold its callers past the deadline either. Both refusals are {@link ReplicaProtocol.Rejected}, which the
 * edge answers with 503 OVERLOADED and Retry-After; they reuse one reply object and cost no Raft work.
 */
final class ClientBatcher extends AbstractBehavior<ReplicaProtocol.Command> {

  /** The replica finished with the last batch (its write, if any, is durable). */
  enum BatchDone implements ReplicaProtocol.Command {
    INSTANCE
  }

  /** The oldest queued request may have reached its queue deadline. */
  enum QueueDeadline implements ReplicaProtocol.Command {
    INSTANCE
  }

  static final ReplicaProtocol.Rejected QUEUE_FULL = new ReplicaProtocol.Rejected("replica queue full");
  static final ReplicaProtocol.Rejected QUEUE_DEADLINE_PASSED =
      new ReplicaProtocol.Rejected("waited in the replica queue past the queue deadline");

  private static final Object DEADLINE_TIMER = "queue-deadline";
  /** Room for this many arrival times at first; the array grows with the queue, up to maxQueued. */
  private static final int INITIAL_CAPACITY = 64;

  /**
   * @param maxQueued requests held while the replica works on a batch; more are refused at once
   * @param queueDeadline how long a request may wait in the queue before it is refused instead of handed over
   * @param nanoClock monotonic clock that times the waits (tests pass their own)
   */
  static Behavior<ReplicaProtocol.Command> create(
      Behavior<ReplicaProtocol.Command> replica, int maxQueued, Duration queueDeadline, LongSupplier nanoClock) {
    if (maxQueued < 1 || queueDeadline.isNegative() || queueDeadline.isZero()) {
      throw new IllegalArgumentException("the client queue needs room for one request and a positive deadline");
    }
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new ClientBatcher(ctx, timers, replica, maxQueued, queueDeadline.toNanos(), nanoClock)));
  }

  private final ActorRef<ReplicaProtocol.Command> replica;
  private final ActorRef<BatchDone> self;
  private final TimerScheduler<ReplicaProtocol.Command> timers;
  private final int maxQueued;
  private final long queueDeadlineNanos;
  private final LongSupplier nanoClock;
  private List<ReplicaProtocol.Command> queued = new ArrayList<>();
  /**
   * When each queued request arrived, in queue order. Requests arrive in clock order, so the ones past their deadline
   * are always a prefix of the queue.
   */
  private long[] arrivedAt = new long[INITIAL_CAPACITY];
  private boolean batchOutstanding;

  private ClientBatcher(
      ActorContext<ReplicaProtocol.Command> context,
      TimerScheduler<ReplicaProtocol.Command> timers,
      Behavior<ReplicaProtocol.Command> replica,
      int maxQueued,
      long queueDeadlineNanos,
      LongSupplier nanoClock) {
    super(context);
    this.replica = context.spawn(replica, "log");
    // A replica that stopped (its journal failed) takes its front door with it, so the host sees the whole thing
    // stop and starts a fresh incarnation.
    context.watch(this.replica);
    this.self = context.getSelf().narrow();
    this.timers = timers;
    this.maxQueued = maxQueued;
    this.queueDeadlineNanos = queueDeadlineNanos;
    this.nanoClock = nanoClock;
  }

  @Override
  public Receive<ReplicaProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(ReplicaProtocol.Propose.class, this::onClientRequest)
        .onMessage(ReplicaProtocol.Read.class, this::onClientRequest)
        .onMessageEquals(BatchDone.INSTANCE, this::onBatchDone)
        .onMessageEquals(QueueDeadline.INSTANCE, this::onQueueDeadline)
        .onMessage(ReplicaProtocol.Command.class, this::forward)
        .onSignal(Terminated.class, t -> Behaviors.stopped())
        .build();
  }

  private Behavior<ReplicaProtocol.Command> onClientRequest(ReplicaProtocol.Command request) {
    if (!batchOutstanding) {
      // The replica is idle, so the queue is empty: the request goes over without waiting.
      queued.add(request);
      handOver();
      return this;
    }
    if (queued.size() >= maxQueued) {
      refuse(request, QUEUE_FULL);
      return this;
    }
    int position = queued.size();
    if (position == arrivedAt.length) {
      arrivedAt = Arrays.copyOf(arrivedAt, Math.min(maxQueued, arrivedAt.length * 2));
    }
    arrivedAt[position] = nanoClock.getAsLong();
    queued.add(request);
    if (!timers.isTimerActive(DEADLINE_TIMER)) {
      armDeadlineTimer(arrivedAt[position]);
    }
    return this;
  }

  private Behavior<ReplicaProtocol.Command> onBatchDone() {
    batchOutstanding = false;
    refuseOverdue();
    if (!queued.isEmpty()) {
      handOver();
    }
    return this;
  }

  private Behavior<ReplicaProtocol.Command> onQueueDeadline() {
    refuseOverdue();
    if (!queued.isEmpty()) {
      armDeadlineTimer(arrivedAt[0]);
    }
    return this;
  }

  private Behavior<ReplicaProtocol.Command> forward(ReplicaProtocol.Command message) {
    replica.tell(message);
    return this;
  }

  private void handOver() {
    replica.tell(new RaftReplica.ClientBatch(queued, self));
    queued = new ArrayList<>();
    batchOutstanding = true;
  }

  /** Refuses, oldest first, every queued request that waited its whole deadline. */
  private void refuseOverdue() {
    int size = queued.size();
    if (size == 0) {
      return;
    }
    long now = nanoClock.getAsLong();
    int overdue = 0;
    while (overdue < size && now - arrivedAt[overdue] >= queueDeadlineNanos) {
      refuse(queued.get(overdue), QUEUE_DEADLINE_PASSED);
      overdue++;
    }
    if (overdue > 0) {
      queued.subList(0, overdue).clear();
      System.arraycopy(arrivedAt, overdue, arrivedAt, 0, size - overdue);
    }
  }

  /** Wakes this batcher when the request that arrived at {@code arrival} reaches its deadline. */
  private void armDeadlineTimer(long arrival) {
    long remaining = arrival + queueDeadlineNanos - nanoClock.getAsLong();
    // Never zero: a timer that fires before the clock shows the deadline passed is simply armed again.
    timers.startSingleTimer(DEADLINE_TIMER, QueueDeadline.INSTANCE, Duration.ofNanos(Math.max(remaining, 1_000_000)));
  }

  private static void refuse(ReplicaProtocol.Command request, ReplicaProtocol.Rejected reason) {
    if (request instanceof ReplicaProtocol.Propose p) {
      p.replyTo().tell(reason);
    } else if (request instanceof ReplicaProtocol.Read r) {
      r.replyTo().tell(reason);
    }
  }
}
