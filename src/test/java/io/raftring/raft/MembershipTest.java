package io.raftring.raft;

import static io.raftring.raft.RecordingStateMachine.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.ManualTime;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import io.raftring.raft.PeerMessage.TimeoutNow;
import io.raftring.raft.ReplicaProtocol.ChangeReply;
import io.raftring.raft.ReplicaProtocol.Command;
import io.raftring.raft.ReplicaProtocol.RefusalCode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Membership changes in one group, seen from replica "n1" (voters n1, n2, n3 at bootstrap); the test plays n2, n3
 * and a newcomer n4 through probes and controls time with ManualTime. Each test cites the dissertation's section.
 */
class MembershipTest {

  private static final AtomicInteger GROUPS = new AtomicInteger();
  private static final Duration ELECTION_MAX = RaftSettings.defaults().electionTimeoutMax();
  private static final Duration HEARTBEAT = RaftSettings.defaults().heartbeatInterval();
  private static final Set<String> BOOTSTRAP = Set.of("n1", "n2", "n3");

  private static ActorTestKit kit;
  private static ManualTime time;

  private ReplicaId id;
  private TestProbe<Command> n2;
  private TestProbe<Command> n3;
  private TestProbe<Command> n4;
  private ActorRef<Command> replica;

  @BeforeAll
  static void startKit() {
    kit = ReplicaTestKit.create("MembershipTest");
    time = ManualTime.get(kit.system());
  }

  @AfterAll
  static void stopKit() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void startReplica() {
    id = new ReplicaId("m" + GROUPS.incrementAndGet(), "n1");
    n2 = kit.createTestProbe();
    n3 = kit.createTestProbe();
    n4 = kit.createTestProbe();
    replica = spawn(id, BOOTSTRAP);
  }

  private ActorRef<Command> spawn(ReplicaId replicaId, Set<String> members) {
    Map<String, ActorRef<Command>> refs = Map.of("n2", n2.ref(), "n3", n3.ref(), "n4", n4.ref());
    return ReplicaTestKit.spawnRecovered(kit, RaftReplica.create(replicaId, members, RaftSettings.defaults(),
        ctx -> new StaticPeers(refs), RecordingStateMachine::new, new Random(7), () -> 0L));
  }

  private ReplicaProtocol.Status status() {
    return statusOf(replica);
  }

  private static ReplicaProtocol.Status statusOf(ActorRef<Command> ref) {
    return ReplicaTestKit.status(kit, ref);
  }

  private static <T extends Command> T expect(TestProbe<Command> peer, Class<T> type) {
    return peer.expectMessageClass(type);
  }

  /** The next AppendEntries to {@code peer} that carries entries (heartbeats skipped). */
  private static AppendEntries nextAppendWithEntries(TestProbe<Command> peer) {
    AppendEntries a = expect(peer, AppendEntries.class);
    while (a.entries().isEmpty()) {
      a = expect(peer, AppendEntries.class);
    }
    return a;
  }

  /** Takes whatever is queued for {@code peer}. */
  private static void drain(TestProbe<Command> peer) {
    try {
      while (true) {
        peer.receiveMessage(Duration.ofMillis(30));
      }
    } catch (AssertionError nothingMore) {
      // drained
    }
  }

  private void electN1() {
    ReplicaTestKit.elect(time, replica, n2, n3);
  }

  /** n1 leads term 1 and its NO-OP (index 1) is committed by n2 and n3; the probes' queues are empty. */
  private void electN1AndCommitNoop() {
    electN1();
    AppendEntries noop = expect(n2, AppendEntries.class);
    expect(n3, AppendEntries.class);
    replica.tell(AppendEntriesReply.accepted(noop.term(), "n2", noop.lastIndex()));
    replica.tell(AppendEntriesReply.accepted(noop.term(), "n3", noop.lastIndex()));
    assertThat(status().commitIndex()).isEqualTo(1);
  }

  private TestProbe<ChangeReply> ask(java.util.function.Function<ActorRef<ChangeReply>, Command> request) {
    TestProbe<ChangeReply> client = kit.createTestProbe();
    replica.tell(request.apply(client.ref()));
    return client;
  }

  /** Adds n4 as a learner at index 2, commits it with n2's ack, and lets n4 catch up to index 2. */
  private void addLearnerN4AndCatchUp() {
    TestProbe<ChangeReply> client = ask(r -> new ReplicaProtocol.AddLearner("n4", r));
    AppendEntries toN2 = nextAppendWithEntries(n2);
    replica.tell(AppendEntriesReply.accepted(1, "n2", toN2.lastIndex()));
    assertThat(client.receiveMessage()).isInstanceOf(ReplicaProtocol.ChangeDone.class);
    // n4 starts empty: it refuses the probe at the leader's end, then takes everything from index 1.
    AppendEntries probe = expect(n4, AppendEntries.class);
    replica.tell(AppendEntriesReply.rejected(1, "n4", probe.prevLogIndex(), 1, 0));
    AppendEntries all = nextAppendWithEntries(n4);
    assertThat(all.prevLogIndex()).isZero();
    replica.tell(AppendEntriesReply.accepted(1, "n4", all.lastIndex()));
  }

  // ---- learners ----------------------------------------------------------------------------------------------------

  /**
   * Reference: dissertation sections 4.1 and 4.2.1: a new server joins as a learner; the configuration is in force on
   * the leader as soon as it is appended; the learner gets the log but does not count toward a quorum.
   */
  @Test
  void aLearnerIsAddedInForceOnceAppendedAndNeverCountsTowardAQuorum() {
    electN1AndCommitNoop();
    TestProbe<ChangeReply> client = ask(r -> new ReplicaProtocol.AddLearner("n4", r));
    AppendEntries toN2 = nextAppendWithEntries(n2);
    assertThat(toN2.entries()).containsExactly(
        LogEntry.config(2, 1, new Configuration(BOOTSTRAP, Set.of("n4"))));
    ReplicaProtocol.Status s = status();
    assertThat(s.learners()).as("in force before it commits").containsExactly("n4");
    assertThat(s.changeInProgress()).isTrue();
    assertThat(s.voters()).containsExactlyInAnyOrder("n1", "n2", "n3");

    // n4 is replicated to, and its acknowledgement alone commits nothing.
    AppendEntries probe = expect(n4, AppendEntries.class);
    replica.tell(AppendEntriesReply.rejected(1, "n4", probe.prevLogIndex(), 1, 0));
    AppendEntries toN4 = nextAppendWithEntries(n4);
    replica.tell(AppendEntriesReply.accepted(1, "n4", toN4.lastIndex()));
    client.expectNoMessage(Duration.ofMillis(50));
    assertThat(status().commitIndex()).isEqualTo(1);

    replica.tell(AppendEntriesReply.accepted(1, "n2", toN2.lastIndex()));
    ReplicaProtocol.ChangeDone done = (ReplicaProtocol.ChangeDone) client.receiveMessage();
    assertThat(done.index()).isEqualTo(2);
    assertThat(done.learners()).containsExactly("n4");
    assertThat(status().changeInProgress()).isFalse();
  }

  /** Reference: dissertation section 4.2.1, a learner is promoted only once it is caught up. */
  @Test
  void aCaughtUpLearnerIsPromotedAndThenCountsTowardTheQuorum() {
    electN1AndCommitNoop();
    TestProbe<ChangeReply> early = ask(r -> new ReplicaProtocol.AddLearner("n4", r));
    AppendEntries toN2 = nextAppendWithEntries(n2);
    replica.tell(AppendEntriesReply.accepted(1, "n2", toN2.lastIndex()));
    early.receiveMessage();
    ReplicaProtocol.ChangeRejected notYet =
        (ReplicaProtocol.ChangeRejected) ask(r -> new ReplicaProtocol.PromoteLearner("n4", r)).receiveMessage();
    assertThat(notYet.code()).isEqualTo(RefusalCode.NOT_READY);
    assertThat(notYet.message()).contains("not caught up");

    AppendEntries probe = expect(n4, AppendEntries.class);
    replica.tell(AppendEntriesReply.rejected(1, "n4", probe.prevLogIndex(), 1, 0));
    replica.tell(AppendEntriesReply.accepted(1, "n4", nextAppendWithEntries(n4).lastIndex()));

    TestProbe<ChangeReply> client = ask(r -> new ReplicaProtocol.PromoteLearner("n4", r));
    assertThat(status().voters()).containsExactlyInAnyOrder("n1", "n2", "n3", "n4");
    assertThat(status().learners()).isEmpty();
    // Four voters: n1 and n2 are not a majority any more; n4's acknowledgement now counts.
    replica.tell(AppendEntriesReply.accepted(1, "n2", 3));
    client.expectNoMessage(Duration.ofMillis(50));
    replica.tell(AppendEntriesReply.accepted(1, "n4", 3));
    ReplicaProtocol.ChangeDone done = (ReplicaProtocol.ChangeDone) client.receiveMessage();
    assertThat(done.voters()).containsExactlyInAnyOrder("n1", "n2", "n3", "n4");
  }

  /** Reference: dissertation section 4.2.1, learners never campaign: a newcomer waits to learn its configuration. */
  @Test
  void aNewcomerNeitherCampaignsNorVotesUntilItLearnsItsConfiguration() {
    kit.stop(replica);
    ActorRef<Command> newcomer = spawn(new ReplicaId(id.group(), "n4"), BOOTSTRAP);
    for (int i = 0; i < 4; i++) {
      time.timePasses(ELECTION_MAX);
    }
    n2.expectNoMessage(Duration.ofMillis(50));
    ReplicaProtocol.Status s = statusOf(newcomer);
    assertThat(s.voters()).isEmpty();
    assertThat(s.term()).isZero();

    Configuration withN4 = new Configuration(BOOTSTRAP, Set.of("n4"));
    newcomer.tell(new AppendEntries(1, "n2", 0, 0, List.of(LogEntry.noop(1, 1), LogEntry.config(2, 1, withN4)), 1));
    assertThat(expect(n2, AppendEntriesReply.class).success()).isTrue();
    assertThat(statusOf(newcomer).learners()).containsExactly("n4");
    newcomer.tell(new PeerMessage.TimeoutNow(1, "n2"));
    for (int i = 0; i < 4; i++) {
      time.timePasses(ELECTION_MAX);
    }
    n3.expectNoMessage(Duration.ofMillis(50));
    assertThat(statusOf(newcomer).role()).as("a learner never campaigns").isEqualTo(RoleName.FOLLOWER);
    assertThat(statusOf(newcomer).term()).isEqualTo(1);
  }

  // ---- removal -----------------------------------------------------------------------------------------------------

  /** Reference: dissertation section 4.1, a removed follower no longer counts and is no longer replicated to. */
  @Test
  void removingAFollowerTakesEffectAtOnceAndTheRestCommit() {
    electN1AndCommitNoop();
    TestProbe<ChangeReply> client = ask(r -> new ReplicaProtocol.RemoveServer("n3", r));
    assertThat(status().voters()).containsExactlyInAnyOrder("n1", "n2");
    AppendEntries toN2 = nextAppendWithEntries(n2);
    replica.tell(AppendEntriesReply.accepted(1, "n2", toN2.lastIndex()));
    ReplicaProtocol.ChangeDone done = (ReplicaProtocol.ChangeDone) client.receiveMessage();
    assertThat(done.voters()).containsExactlyInAnyOrder("n1", "n2");
    drain(n3);
    time.timePasses(HEARTBEAT);
    expect(n2, AppendEntries.class);
    n3.expectNoMessage(Duration.ofMillis(50));
  }

  /**
   * Reference: dissertation section 4.2.2, a leader removed from the group leads until the change commits, without
   * counting itself, then steps down, hands over at once and never campaigns again.
   */
  @Test
  void aRemovedLeaderLeadsUntilItsRemovalCommitsThenStepsDownAndStaysQuiet() {
    electN1AndCommitNoop();
    TestProbe<ChangeReply> client = ask(r -> new ReplicaProtocol.RemoveServer("n1", r));
    AppendEntries toN2 = nextAppendWithEntries(n2);
    AppendEntries toN3 = nextAppendWithEntries(n3);
    replica.tell(AppendEntriesReply.accepted(1, "n2", toN2.lastIndex()));
    client.expectNoMessage(Duration.ofMillis(50));
    assertThat(status().role()).as("n1 and n2 are no majority of {n2, n3}").isEqualTo(RoleName.LEADER);
    replica.tell(AppendEntriesReply.accepted(1, "n3", toN3.lastIndex()));
    ReplicaProtocol.ChangeDone done = (ReplicaProtocol.ChangeDone) client.receiveMessage();
    assertThat(done.voters()).containsExactlyInAnyOrder("n2", "n3");
    assertThat(status().role()).isEqualTo(RoleName.FOLLOWER);
    expect(n2, TimeoutNow.class);

    drain(n2);
    drain(n3);
    for (int i = 0; i < 4; i++) {
      time.timePasses(ELECTION_MAX);
    }
    n2.expectNoMessage(Duration.ofMillis(50));
    n3.expectNoMessage(Duration.ofMillis(20));
    assertThat(status().term()).isEqualTo(1);
  }

  // ---- the rules of one change at a time ---------------------------------------------------------------------------

  /** Reference: dissertation section 4.1, a change is refused while another is uncommitted. */
  @Test
  void aSecondChangeWhileOneIsUncommittedIsRefusedWithConflict() {
    electN1AndCommitNoop();
    TestProbe<ChangeReply> first = ask(r -> new ReplicaProtocol.AddLearner("n4", r));
    ReplicaProtocol.ChangeRejected second =
        (ReplicaProtocol.ChangeRejected) ask(r -> new ReplicaProtocol.RemoveServer("n3", r)).receiveMessage();
    assertThat(second.code()).isEqualTo(RefusalCode.CONFLICT);
    assertThat(second.message()).contains("in progress");
    first.expectNoMessage(Duration.ofMillis(20));
  }

  /** Reference: dissertation section 4.1 (the bug fix of 2015), no change before the leader's NO-OP commits. */
  @Test
  void aChangeBeforeTheLeadersNoopCommitsIsRefusedAsNotReady() {
    electN1();
    ReplicaProtocol.ChangeRejected refused =
        (ReplicaProtocol.ChangeRejected) ask(r -> new ReplicaProtocol.AddLearner("n4", r)).receiveMessage();
    assertThat(refused.code()).isEqualTo(RefusalCode.NOT_READY);
    assertThat(refused.message()).contains("NO-OP");
  }

  @Test
  void aFollowerPointsChangesAndTransfersAtTheLeader() {
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(), 0));
    expect(n2, AppendEntriesReply.class);
    assertThat(ask(r -> new ReplicaProtocol.AddLearner("n4", r)).receiveMessage())
        .isEqualTo(new ReplicaProtocol.NotLeader("n2"));

    assertThat(ask(r -> new ReplicaProtocol.TransferLeadership("n3", r)).receiveMessage())
        .isEqualTo(new ReplicaProtocol.NotLeader("n2"));
  }

  /** Reference: dissertation section 4.1, a configuration entry is in force when appended, undone when overwritten. */
  @Test
  void aFollowerAdoptsAConfigurationWhenAppendedAndRevertsWhenItIsOverwritten() {
    Configuration withN4 = new Configuration(BOOTSTRAP, Set.of("n4"));
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(LogEntry.noop(1, 1), LogEntry.config(2, 1, withN4)), 1));
    expect(n2, AppendEntriesReply.class);
    assertThat(status().learners()).containsExactly("n4");
    replica.tell(new AppendEntries(2, "n3", 1, 1, List.of(LogEntry.noop(2, 2)), 1));
    assertThat(expect(n3, AppendEntriesReply.class).success()).isTrue();
    assertThat(status().learners()).isEmpty();
    assertThat(status().voters()).containsExactlyInAnyOrder("n1", "n2", "n3");
  }

  // ---- leadership transfer -----------------------------------------------------------------------------------------

  /**
   * Reference: dissertation section 3.10, the leader brings the target up to date, takes no proposals meanwhile, then
   * tells it to campaign; the target's vote request is granted although its voters hear from the leader.
   */
  @Test
  void leadershipTransferCatchesTheTargetUpThenSendsTimeoutNow() {
    electN1AndCommitNoop();
    TestProbe<ReplicaProtocol.ProposeReply> writer = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.Propose(bytes("x"), writer.ref()));
    AppendEntries x = nextAppendWithEntries(n3);
    replica.tell(AppendEntriesReply.accepted(1, "n3", x.lastIndex()));
    writer.receiveMessage();
    // n2 holds only the NO-OP: the transfer first brings it up to date.
    TestProbe<ChangeReply> client = ask(r -> new ReplicaProtocol.TransferLeadership("n2", r));
    assertThat(status().transferTarget()).isEqualTo("n2");
    TestProbe<ReplicaProtocol.ProposeReply> refused = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.Propose(bytes("y"), refused.ref()));
    assertThat(refused.receiveMessage()).isEqualTo(new ReplicaProtocol.NotLeader(null));
    drain(n2);
    replica.tell(AppendEntriesReply.accepted(1, "n2", 2));
    TimeoutNow go = expect(n2, TimeoutNow.class);
    assertThat(go.term()).isEqualTo(1);

    replica.tell(new RequestVote(2, "n2", 2, 1, false, true));
    assertThat(expect(n2, RequestVoteReply.class).granted()).isTrue();
    assertThat(client.receiveMessage()).isEqualTo(new ReplicaProtocol.TransferDone("n2"));
    assertThat(status().role()).isEqualTo(RoleName.FOLLOWER);
  }

  /** Reference: dissertation section 3.10, a transfer that does not complete within an election timeout is abandoned. */
  @Test
  void aTransferThatDoesNotCompleteInTimeIsAbandonedAndProposalsResume() {
    electN1AndCommitNoop();
    TestProbe<ChangeReply> client = ask(r -> new ReplicaProtocol.TransferLeadership("n3", r));
    time.timePasses(ELECTION_MAX);
    ReplicaProtocol.ChangeRejected timedOut = (ReplicaProtocol.ChangeRejected) client.receiveMessage();
    assertThat(timedOut.code()).isEqualTo(RefusalCode.TIMEOUT);
    assertThat(status().transferTarget()).isNull();
    TestProbe<ReplicaProtocol.ProposeReply> writer = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.Propose(bytes("z"), writer.ref()));
    replica.tell(AppendEntriesReply.accepted(1, "n2", 2));
    assertThat(writer.receiveMessage()).isInstanceOf(ReplicaProtocol.Applied.class);
    assertThat(ask(r -> new ReplicaProtocol.TransferLeadership("n4", r)).receiveMessage())
        .extracting(r -> ((ReplicaProtocol.ChangeRejected) r).code()).isEqualTo(RefusalCode.BAD_REQUEST);
  }

  /** Reference: dissertation section 3.10, a voter told TimeoutNow campaigns at once, without a pre-vote. */
  @Test
  void aFollowerToldTimeoutNowCampaignsAtOnceAndItsVotersGrantDespiteALiveLeader() {
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(LogEntry.noop(1, 1)), 1));
    expect(n2, AppendEntriesReply.class);
    replica.tell(new TimeoutNow(1, "n2"));
    RequestVote vote = expect(n3, RequestVote.class);
    assertThat(vote.preVote()).isFalse();
    assertThat(vote.leadershipTransfer()).isTrue();
    assertThat(vote.term()).isEqualTo(2);
    assertThat(status().role()).isEqualTo(RoleName.CANDIDATE);
  }

  /** A learner that was added can be removed again, and the full promote path uses the helper above. */
  @Test
  void aLearnerCanBeRemovedAgain() {
    electN1AndCommitNoop();
    addLearnerN4AndCatchUp();
    TestProbe<ChangeReply> client = ask(r -> new ReplicaProtocol.RemoveServer("n4", r));
    replica.tell(AppendEntriesReply.accepted(1, "n2", 3));
    ReplicaProtocol.ChangeDone done = (ReplicaProtocol.ChangeDone) client.receiveMessage();
    assertThat(done.learners()).isEmpty();
    assertThat(done.voters()).containsExactlyInAnyOrder("n1", "n2", "n3");
  }
}
