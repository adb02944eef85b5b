package io.raftring.raft;

import static io.raftring.raft.RecordingStateMachine.bytes;
import static io.raftring.raft.ReplicaTestKit.next;
import static io.raftring.raft.ReplicaTestKit.received;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import akka.persistence.testkit.JournalOperation;
import akka.persistence.testkit.ProcessingPolicy;
import akka.persistence.testkit.ProcessingResult;
import akka.persistence.testkit.ProcessingSuccess$;
import akka.persistence.testkit.WriteEvents;
import akka.persistence.testkit.javadsl.PersistenceTestKit;
import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import io.raftring.raft.ReplicaProtocol.Command;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The replica actor: its three behaviours with their own timers (driven by ManualTime), the clients it answers, and
 * its persistence through the event-sourced log (the in-memory PersistenceTestKit journal, whose writes a test can
 * hold or fail). One replica ("n1") runs; the test plays n2 and n3 through probes. What the algorithm decides is the
 * core's and is tested there; this is about the wiring.
 */
class RaftReplicaBehaviorTest {

  private static final AtomicInteger GROUPS = new AtomicInteger();
  private static final Duration ELECTION_MIN = RaftSettings.defaults().electionTimeoutMin();
  private static final Duration ELECTION_MAX = RaftSettings.defaults().electionTimeoutMax();
  private static final Duration HEARTBEAT = RaftSettings.defaults().heartbeatInterval();

  private static ActorTestKit kit;
  private static ManualTime time;
  private static PersistenceTestKit journal;

  private ReplicaId id;
  private TestProbe<Command> n2;
  private TestProbe<Command> n3;
  private RecordingStateMachine machine;
  private ActorRef<Command> replica;
  private final AtomicLong clock = new AtomicLong();

  @BeforeAll
  static void startKit() {
    kit = ReplicaTestKit.create("RaftReplicaBehaviorTest");
    time = ManualTime.get(kit.system());
    journal = PersistenceTestKit.create(kit.system());
  }

  @AfterAll
  static void stopKit() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void startReplica() {
    id = new ReplicaId("b" + GROUPS.incrementAndGet(), "n1");
    n2 = kit.createTestProbe();
    n3 = kit.createTestProbe();
    replica = spawn(clock::get);
  }

  private ActorRef<Command> spawn(LongSupplier nanoClock) {
    return spawn(nanoClock, RaftSettings.defaults());
  }

  private ActorRef<Command> spawn(LongSupplier nanoClock, RaftSettings settings) {
    Map<String, ActorRef<Command>> refs = Map.of("n2", n2.ref(), "n3", n3.ref());
    return ReplicaTestKit.spawnRecovered(kit, RaftReplica.create(id, Set.of("n1", "n2", "n3"),
        settings, ctx -> new StaticPeers(refs), () -> machine = new RecordingStateMachine(),
        new Random(7), nanoClock));
  }

  private void restart() {
    restart(RaftSettings.defaults());
  }

  private void restart(RaftSettings settings) {
    kit.stop(replica);
    replica = spawn(clock::get, settings);
  }

  private ReplicaProtocol.Status status() {
    return ReplicaTestKit.status(kit, replica);
  }

  private void sync() {
    ReplicaTestKit.sync(kit, replica);
  }

  /** n1 leads term 1 and n2 stored its NO-OP, which is committed; the probes' queues are empty. */
  private void electAndCommitNoop() {
    ReplicaTestKit.elect(time, replica, n2, n3);
    AppendEntries noop = next(n2, AppendEntries.class);
    replica.tell(AppendEntriesReply.accepted(noop.term(), "n2", noop.lastIndex(), noop.round()));
    // The leader counts itself toward the majority only once its own write of the NO-OP is durable, and the test
    // journal completes that write on another thread: wait for it (bounded), do not assume two asks are enough.
    kit.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(5), () -> {
      assertThat(status().commitIndex()).isEqualTo(1);
      return null;
    });
    received(n2);
    received(n3);
  }

  private TestProbe<ReplicaProtocol.ProposeReply> propose(String command) {
    TestProbe<ReplicaProtocol.ProposeReply> client = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.Propose(bytes(command), client.ref()));
    return client;
  }

  /** Holds every write of this replica's log in the journal until the returned latch is released. */
  private CountDownLatch holdWrites(CountDownLatch writing) {
    CountDownLatch release = new CountDownLatch(1);
    journal.withPolicy(new ProcessingPolicy<JournalOperation>() {
      @Override
      public ProcessingResult tryProcess(String persistenceId, JournalOperation op) {
        if (persistenceId.equals(id.persistenceId()) && op instanceof WriteEvents) {
          writing.countDown();
          awaitQuietly(release);
        }
        return ProcessingSuccess$.MODULE$;
      }
    });
    return release;
  }

  // ---- follower and candidate: the randomized election timer (section 5.2) ----------------------------------------

  @Test
  void aFollowerCampaignsOnlyOnceItsRandomizedElectionTimerFires() {
    time.timePasses(ELECTION_MIN.minusMillis(1));
    sync();
    assertThat(received(n2)).isEmpty();

    time.timePasses(ELECTION_MAX);

    assertThat(next(n2, RequestVote.class).preVote()).isTrue();
    assertThat(status().role()).isEqualTo(RoleName.FOLLOWER);
  }

  @Test
  void aFollowerThatHearsFromItsLeaderDoesNotCampaign() {
    for (int i = 0; i < 6; i++) {
      time.timePasses(HEARTBEAT);
      replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(), 0));
      next(n2, AppendEntriesReply.class);
    }

    sync();
    assertThat(received(n3)).as("no vote requested").isEmpty();
    assertThat(status().leader()).isEqualTo("n2");
  }

  @Test
  void aCandidateWhoseElectionTimerFiresStartsOverThroughAPreVote() {
    time.timePasses(ELECTION_MAX);
    RequestVote preVote = next(n2, RequestVote.class);
    replica.tell(new RequestVoteReply(preVote.term(), "n2", true, true));
    assertThat(next(n2, RequestVote.class).preVote()).isFalse();
    assertThat(status().role()).isEqualTo(RoleName.CANDIDATE);

    time.timePasses(ELECTION_MAX);

    RequestVote again = next(n2, RequestVote.class);
    assertThat(again.preVote()).isTrue();
    assertThat(again.term()).isEqualTo(2);
  }

  // ---- leader: the heartbeat timer and the clients -----------------------------------------------------------------

  @Test
  void aLeaderSendsHeartbeatsOnItsOwnTimer() {
    electAndCommitNoop();

    time.timePasses(HEARTBEAT);

    assertThat(next(n2, AppendEntries.class).term()).isEqualTo(1);
    assertThat(next(n3, AppendEntries.class).term()).isEqualTo(1);
    assertThat(status().role()).isEqualTo(RoleName.LEADER);
  }

  @Test
  void aProposalIsAnsweredOnceItsEntryIsCommittedAndApplied() {
    electAndCommitNoop();

    TestProbe<ReplicaProtocol.ProposeReply> client = propose("x=1");

    AppendEntries append = next(n2, AppendEntries.class);
    assertThat(append.entries()).extracting(LogEntry::index).containsExactly(2L);
    replica.tell(AppendEntriesReply.accepted(1, "n2", 2));
    ReplicaProtocol.Applied applied = (ReplicaProtocol.Applied) client.receiveMessage();
    assertThat(applied.index()).isEqualTo(2);
    assertThat(new String(applied.result())).isEqualTo("applied:x=1@2");
  }

  /**
   * The leader keeps taking proposals, sending entries and counting acknowledgements while its own write is in flight;
   * what arrived meanwhile goes to the journal as the next write.
   */
  @Test
  void theLeaderSendsAndTakesProposalsWhileItsOwnWriteIsInFlight() throws Exception {
    electAndCommitNoop();
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = holdWrites(writing);
    try {
      TestProbe<ReplicaProtocol.ProposeReply> first = propose("k0");
      assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
      TestProbe<ReplicaProtocol.ProposeReply> second = propose("k1");

      AppendEntries k0 = next(n2, AppendEntries.class);
      AppendEntries k1 = next(n2, AppendEntries.class);
      assertThat(List.of(k0, k1)).flatExtracting(AppendEntries::entries).extracting(LogEntry::index)
          .containsExactly(2L, 3L);
      replica.tell(AppendEntriesReply.accepted(1, "n2", 3));
      replica.tell(AppendEntriesReply.accepted(1, "n3", 3));
      sync();
      assertThat(status().commitIndex()).as("n2 and n3 are a majority without the leader's own write").isEqualTo(3);

      release.countDown();
      assertThat(first.receiveMessage()).isInstanceOf(ReplicaProtocol.Applied.class);
      assertThat(second.receiveMessage()).isInstanceOf(ReplicaProtocol.Applied.class);
    } finally {
      release.countDown();
      journal.resetPolicy();
    }
  }

  @Test
  void aFollowerPointsClientsAtItsLeaderAndServesStaleReads() {
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(LogEntry.command(1, 1, bytes("a"))), 1));
    next(n2, AppendEntriesReply.class);

    assertThat(propose("x").receiveMessage()).isEqualTo(new ReplicaProtocol.NotLeader("n2"));
    TestProbe<ReplicaProtocol.ReadReply> strong = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.Read(bytes("q"), ReadConsistency.LINEARIZABLE, strong.ref()));
    assertThat(strong.receiveMessage()).isEqualTo(new ReplicaProtocol.NotLeader("n2"));
    TestProbe<ReplicaProtocol.ReadReply> stale = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.Read(bytes("q"), ReadConsistency.STALE, stale.ref()));
    ReplicaProtocol.ReadResult result = (ReplicaProtocol.ReadResult) stale.receiveMessage();
    assertThat(new String(result.result())).isEqualTo("a");
    assertThat(result.leader()).isFalse();
  }

  @Test
  void aLinearizableReadIsServedOnceAHeartbeatRoundConfirmsLeadership() {
    electAndCommitNoop();
    TestProbe<ReplicaProtocol.ReadReply> client = kit.createTestProbe();

    replica.tell(new ReplicaProtocol.Read(bytes("q"), ReadConsistency.LINEARIZABLE, client.ref()));

    AppendEntries round = next(n2, AppendEntries.class);
    sync();
    assertThat(client.receiveSeveralMessages(0)).isEmpty();
    replica.tell(AppendEntriesReply.accepted(1, "n2", 1, round.round()));
    assertThat(((ReplicaProtocol.ReadResult) client.receiveMessage()).leader()).isTrue();
  }

  @Test
  void aLeaderThatLosesLeadershipTellsWaitingProposersTheOutcomeIsUnknown() {
    electAndCommitNoop();
    TestProbe<ReplicaProtocol.ProposeReply> client = propose("x");
    next(n2, AppendEntries.class);

    replica.tell(AppendEntriesReply.rejected(2, "n3", 0, 0, 0));

    assertThat(client.receiveMessage()).isInstanceOf(ReplicaProtocol.Unknown.class);
    assertThat(status().role()).isEqualTo(RoleName.FOLLOWER);
  }

  @Test
  void aRequestThatWaitedInTheQueuePastItsDeadlineIsRefusedAsOverload() {
    AtomicLong jumping = new AtomicLong();
    kit.stop(replica);
    // A clock that moves 120 ms each time it is read: a proposal is stamped on arrival and checked at the next
    // Ready, so it looks as if the replica fell behind its mailbox by more than the queue deadline.
    replica = spawn(() -> jumping.addAndGet(Duration.ofMillis(120).toNanos()));
    electAndCommitNoop();

    assertThat(propose("late").receiveMessage()).isEqualTo(LeaderBehavior.QUEUE_DEADLINE_PASSED);
  }

  @Test
  void membershipChangesAreAnsweredOnceCommitted() {
    electAndCommitNoop();
    TestProbe<ReplicaProtocol.ChangeReply> client = kit.createTestProbe();

    replica.tell(new ReplicaProtocol.AddLearner("n4", client.ref()));
    AppendEntries config = next(n2, AppendEntries.class);
    replica.tell(AppendEntriesReply.accepted(1, "n2", config.lastIndex()));

    ReplicaProtocol.ChangeDone done = (ReplicaProtocol.ChangeDone) client.receiveMessage();
    assertThat(done.learners()).containsExactly("n4");
    TestProbe<ReplicaProtocol.ChangeReply> transfer = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.TransferLeadership("n2", transfer.ref()));
    replica.tell(new ReplicaProtocol.RemoveServer("n3", client.ref()));
    assertThat(((ReplicaProtocol.ChangeRejected) client.receiveMessage()).code())
        .as("a transfer is in progress").isEqualTo(ReplicaProtocol.RefusalCode.CONFLICT);
  }

  // ---- persistence through the event-sourced log -------------------------------------------------------------------

  /** Reference: Figure 2, "respond to RPCs only after updating stable storage": the vote waits for the journal. */
  @Test
  void aVoteIsSentOnlyOnceTheJournalHasIt() throws Exception {
    time.timePasses(ELECTION_MAX);
    sync();
    received(n2);
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = holdWrites(writing);
    try {
      replica.tell(new RequestVote(2, "n2", 0, 0, false));
      assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
      sync();
      assertThat(received(n2)).as("nothing before the journal confirmed").isEmpty();

      release.countDown();

      assertThat(next(n2, RequestVoteReply.class).granted()).isTrue();
    } finally {
      release.countDown();
      journal.resetPolicy();
    }
  }

  /** A failed journal write stops the replica (as etcd panics); the next incarnation has nothing of the write. */
  @Test
  void aFailedJournalWriteStopsTheReplicaAndTheNextIncarnationHasNothingOfIt() {
    time.timePasses(ELECTION_MAX);
    sync();
    received(n2);
    journal.failNextPersisted();

    replica.tell(new RequestVote(2, "n2", 0, 0, false));

    kit.createTestProbe().expectTerminated(replica, Duration.ofSeconds(5));
    assertThat(received(n2)).isEmpty();
    replica = spawn(clock::get);
    assertThat(status().term()).isZero();
  }

  /** Figure 2: term, vote and log are durable; commit index and role are not. */
  @Test
  void aRestartedReplicaRecoversItsTermVoteAndLogAsAFollower() {
    electAndCommitNoop();
    propose("x");
    replica.tell(AppendEntriesReply.accepted(1, "n2", 2));
    sync();
    List<LogEntry> before = ReplicaTestKit.log(kit, replica);

    restart();

    ReplicaProtocol.Status s = status();
    assertThat(s.role()).isEqualTo(RoleName.FOLLOWER);
    assertThat(s.term()).isEqualTo(1);
    assertThat(s.commitIndex()).isZero();
    assertThat(ReplicaTestKit.log(kit, replica)).isEqualTo(before);
  }

  /**
   * Section 7: a snapshot holds the state machine exactly at its index. The core asks for one in the Ready after the
   * apply that crossed the threshold; when that Ready also carries newly committed entries, the snapshot must be of
   * the state before them (here the second put committed in the same Ready), or a replica restored from it applies
   * them twice.
   */
  @Test
  void aSnapshotHoldsTheStateAtItsIndexEvenWhenItsReadyAlsoCommitsEntries() throws InterruptedException {
    RaftSettings everyTwoEntries = RaftSettings.defaults().withSnapshotThresholds(2, 1L << 30);
    restart(everyTwoEntries);
    electAndCommitNoop();
    propose("a");
    propose("b");
    received(n2);
    received(n3);
    CountDownLatch applyingA = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    machine.beforeApply = c -> {
      if (c.equals("a")) {
        applyingA.countDown();
        awaitQuietly(release);
      }
    };

    // n2 and n3 make the majorities without n1's own write: 2 is committed first, and while the replica applies it,
    // 3 is committed. So the Ready that carries the snapshot asked for at 2 also commits 3.
    replica.tell(AppendEntriesReply.accepted(1, "n2", 2));
    replica.tell(AppendEntriesReply.accepted(1, "n3", 2));
    assertThat(applyingA.await(5, TimeUnit.SECONDS)).isTrue();
    replica.tell(AppendEntriesReply.accepted(1, "n2", 3));
    replica.tell(AppendEntriesReply.accepted(1, "n3", 3));
    release.countDown();
    kit.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(5), () -> {
      assertThat(status().snapshotIndex()).isEqualTo(2);
      assertThat(status().lastApplied()).isEqualTo(3);
      return null;
    });

    restart(everyTwoEntries);
    replica.tell(new AppendEntries(2, "n2", 3, 1, List.of(), 3));
    kit.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(5), () -> {
      assertThat(status().lastApplied()).isEqualTo(3);
      return null;
    });
    assertThat(machine.applied).as("restored from the snapshot at 2, then entry 3 applied").containsExactly("a", "b");
  }

  /** A quiet group gets no more input once its entries are applied: the snapshot they make due is taken anyway. */
  @Test
  void aSnapshotDueOnceEntriesAreAppliedIsTakenWithoutFurtherInput() {
    RaftSettings everyTwoEntries = RaftSettings.defaults().withSnapshotThresholds(2, 1L << 30);
    restart(everyTwoEntries);
    electAndCommitNoop();
    propose("a");
    received(n2);
    received(n3);

    // n2's answer and n1's own write make the majority; whichever comes second is the last input the replica gets.
    replica.tell(AppendEntriesReply.accepted(1, "n2", 2));

    kit.createTestProbe().awaitAssert(java.time.Duration.ofSeconds(5), () -> {
      assertThat(status().snapshotIndex()).isEqualTo(2);
      return null;
    });
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A journal written by the build before the core existed (same events, same persistenceId) replays unchanged. */
  @Test
  void aJournalOfTheEarlierBuildReplays() {
    kit.stop(replica);
    Configuration withN4 = Configuration.ofVoters(Set.of("n1", "n2", "n3")).withLearner("n4");
    journal.persistForRecovery(id.persistenceId(), List.of(
        new RaftEvent.TermAdvanced(3),
        new RaftEvent.VoteCast(4, "n2"),
        new RaftEvent.EntriesAppended(1, List.of(LogEntry.noop(1, 4), LogEntry.command(2, 4, bytes("a")))),
        new RaftEvent.EntriesAppended(3, List.of(LogEntry.config(3, 4, withN4)))));

    replica = spawn(clock::get);

    ReplicaProtocol.Status s = status();
    assertThat(s.term()).isEqualTo(4);
    assertThat(s.lastIndex()).isEqualTo(3);
    assertThat(s.learners()).containsExactly("n4");
    replica.tell(new AppendEntries(4, "n2", 3, 4, List.of(), 3));
    next(n2, AppendEntriesReply.class);
    sync();
    assertThat(machine.applied).containsExactly("a");
  }

  @Test
  void retireStopsTheReplica() {
    replica.tell(ReplicaProtocol.Retire.INSTANCE);

    kit.createTestProbe().expectTerminated(replica, Duration.ofSeconds(5));
  }
}
