package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.ConfigFactory;
import io.raftring.raft.ReplicaProtocol.Command;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The queue in front of a replica: group commit, and the two bounds of issue 8 (a full queue refuses at once; a
 * request that waited its queue deadline is refused, never processed late). The replica is a probe; the test moves
 * both the batcher's clock and Akka's timers by hand.
 */
class ClientBatcherTest {

  private static final Duration DEADLINE = Duration.ofMillis(100);
  private static final int MAX_QUEUED = 3;

  private static ActorTestKit kit;
  private static ManualTime time;

  /** The clock the batcher reads arrival times from; it moves only when a test moves it. */
  private final AtomicLong clock = new AtomicLong();
  private TestProbe<Command> replica;
  private ActorRef<Command> batcher;

  @BeforeAll
  static void startKit() {
    kit = ReplicaTestKit.create("ClientBatcherTest");
    time = ManualTime.get(kit.system());
  }

  @AfterAll
  static void stopKit() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void startBatcher() {
    replica = kit.createTestProbe();
    Behavior<Command> standIn = Behaviors.receiveMessage(m -> {
      replica.ref().tell(m);
      return Behaviors.same();
    });
    batcher = kit.spawn(ClientBatcher.create(standIn, MAX_QUEUED, DEADLINE, clock::get));
  }

  @Test
  void aRequestToAnIdleReplicaGoesOverAtOnce() {
    TestProbe<ReplicaProtocol.ProposeReply> client = propose();
    assertThat(nextBatch().requests()).extracting(ClientBatcherTest::replyTo).containsExactly(client.ref());
  }

  @Test
  void requestsThatArriveWhileTheReplicaIsBusyGoOverTogetherWhenItIsDone() {
    propose();
    RaftReplica.ClientBatch first = nextBatch();
    propose();
    read();
    propose();
    sync();
    replica.expectNoMessage(Duration.ofMillis(20));

    first.ackTo().tell(ClientBatcher.BatchDone.INSTANCE);

    assertThat(nextBatch().requests()).hasSize(3);
  }

  @Test
  void aRequestThatWaitedItsDeadlineIsRefusedAtHandOverInsteadOfProcessed() {
    propose();
    RaftReplica.ClientBatch first = nextBatch();
    TestProbe<ReplicaProtocol.ProposeReply> late = propose();
    sync();

    // Only the batcher's clock moves, so the refusal comes from the hand-over and not from the deadline timer.
    clock.addAndGet(DEADLINE.toNanos());
    first.ackTo().tell(ClientBatcher.BatchDone.INSTANCE);

    assertThat(late.receiveMessage()).isInstanceOf(ReplicaProtocol.Rejected.class);
    replica.expectNoMessage(Duration.ofMillis(20));
  }

  @Test
  void onlyTheRequestsPastTheirDeadlineAreRefused() {
    propose();
    RaftReplica.ClientBatch first = nextBatch();
    TestProbe<ReplicaProtocol.ProposeReply> late = propose();
    TestProbe<ReplicaProtocol.ReadReply> lateRead = read();
    sync();
    clock.addAndGet(DEADLINE.toNanos() / 2);
    TestProbe<ReplicaProtocol.ProposeReply> onTime = propose();
    sync();
    clock.addAndGet(DEADLINE.toNanos() / 2);

    first.ackTo().tell(ClientBatcher.BatchDone.INSTANCE);

    assertThat(late.receiveMessage()).isEqualTo(ClientBatcher.QUEUE_DEADLINE_PASSED);
    assertThat(lateRead.receiveMessage()).isEqualTo(ClientBatcher.QUEUE_DEADLINE_PASSED);
    assertThat(nextBatch().requests()).extracting(ClientBatcherTest::replyTo).containsExactly(onTime.ref());
    onTime.expectNoMessage(Duration.ofMillis(20));
  }

  @Test
  void aWaitingRequestIsRefusedAtItsDeadlineEvenWhileTheReplicaIsStillBusy() {
    propose();
    RaftReplica.ClientBatch first = nextBatch();
    TestProbe<ReplicaProtocol.ProposeReply> waiting = propose();
    sync();

    passes(DEADLINE.minusMillis(1));
    waiting.expectNoMessage(Duration.ofMillis(20));
    passes(Duration.ofMillis(1));

    assertThat(waiting.receiveMessage()).isEqualTo(ClientBatcher.QUEUE_DEADLINE_PASSED);
    // The replica finishes its slow write later: there is nothing left to hand over.
    first.ackTo().tell(ClientBatcher.BatchDone.INSTANCE);
    replica.expectNoMessage(Duration.ofMillis(20));
  }

  @Test
  void theDeadlineTimerFollowsTheOldestWaitingRequest() {
    propose();
    RaftReplica.ClientBatch first = nextBatch();
    TestProbe<ReplicaProtocol.ProposeReply> older = propose();
    sync();
    passes(DEADLINE.dividedBy(2));
    TestProbe<ReplicaProtocol.ProposeReply> younger = propose();
    sync();

    passes(DEADLINE.dividedBy(2));
    assertThat(older.receiveMessage()).isEqualTo(ClientBatcher.QUEUE_DEADLINE_PASSED);
    younger.expectNoMessage(Duration.ofMillis(20));

    passes(DEADLINE.dividedBy(2));
    assertThat(younger.receiveMessage()).isEqualTo(ClientBatcher.QUEUE_DEADLINE_PASSED);
    first.ackTo().tell(ClientBatcher.BatchDone.INSTANCE);
    replica.expectNoMessage(Duration.ofMillis(20));
  }

  @Test
  void aFullQueueRefusesNewRequestsAtOnce() {
    propose();
    RaftReplica.ClientBatch first = nextBatch();
    for (int i = 0; i < MAX_QUEUED; i++) {
      propose();
    }

    TestProbe<ReplicaProtocol.ProposeReply> oneTooMany = propose();
    TestProbe<ReplicaProtocol.ReadReply> readTooMany = read();

    assertThat(oneTooMany.receiveMessage()).isEqualTo(ClientBatcher.QUEUE_FULL);
    assertThat(readTooMany.receiveMessage()).isEqualTo(ClientBatcher.QUEUE_FULL);
    first.ackTo().tell(ClientBatcher.BatchDone.INSTANCE);
    assertThat(nextBatch().requests()).hasSize(MAX_QUEUED);
  }

  @Test
  void peerMessagesPassStraightThroughEvenWhileTheReplicaIsBusy() {
    propose();
    nextBatch();
    TestProbe<ReplicaProtocol.Status> statusReply = kit.createTestProbe();
    batcher.tell(new ReplicaProtocol.GetStatus(statusReply.ref()));
    assertThat(replica.receiveMessage()).isInstanceOf(ReplicaProtocol.GetStatus.class);
  }

  @Test
  void theQueueDeadlineIsASettingOf100msByDefault() {
    RaftSettings fromConfig = RaftSettings.fromConfig(ConfigFactory.load().getConfig("raftring.raft"));
    assertThat(fromConfig.clientQueueDeadline()).isEqualTo(Duration.ofMillis(100));
    assertThat(RaftSettings.defaults().clientQueueDeadline()).isEqualTo(Duration.ofMillis(100));
    RaftSettings configured = RaftSettings.fromConfig(ConfigFactory.parseString("client-queue-deadline = 250ms")
        .withFallback(ConfigFactory.load().getConfig("raftring.raft")));
    assertThat(configured.clientQueueDeadline()).isEqualTo(Duration.ofMillis(250));
    assertThat(RaftSettings.defaults().withClientQueueDeadline(Duration.ofMillis(5)).clientQueueDeadline())
        .isEqualTo(Duration.ofMillis(5));
  }

  private TestProbe<ReplicaProtocol.ProposeReply> propose() {
    TestProbe<ReplicaProtocol.ProposeReply> client = kit.createTestProbe();
    batcher.tell(new ReplicaProtocol.Propose(new byte[] {1}, client.ref()));
    return client;
  }

  private TestProbe<ReplicaProtocol.ReadReply> read() {
    TestProbe<ReplicaProtocol.ReadReply> client = kit.createTestProbe();
    batcher.tell(new ReplicaProtocol.Read(new byte[] {1}, ReadConsistency.LINEARIZABLE, client.ref()));
    return client;
  }

  private static ActorRef<?> replyTo(Command request) {
    return request instanceof ReplicaProtocol.Propose p ? p.replyTo() : ((ReplicaProtocol.Read) request).replyTo();
  }

  private RaftReplica.ClientBatch nextBatch() {
    return replica.expectMessageClass(RaftReplica.ClientBatch.class);
  }

  /**
   * Returns once the batcher handled everything sent before: a peer message goes through it to the replica in order.
   * Arrival times are read when the batcher handles a request, so the clock may move only after this.
   */
  private void sync() {
    TestProbe<ReplicaProtocol.Status> ignored = kit.createTestProbe();
    batcher.tell(new ReplicaProtocol.GetStatus(ignored.ref()));
    replica.expectMessageClass(ReplicaProtocol.GetStatus.class);
  }

  /** Moves the batcher's clock and Akka's timers together, as real time would. */
  private void passes(Duration duration) {
    clock.addAndGet(duration.toNanos());
    time.timePasses(duration);
  }
}
