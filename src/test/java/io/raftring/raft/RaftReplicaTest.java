package io.raftring.raft;

import static io.raftring.raft.RecordingStateMachine.bytes;
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
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One replica ("n1") driven message by message; the test plays its two peers ("n2", "n3") through probes and controls
 * time with ManualTime. Each test names the section of the Raft paper (or dissertation) whose claim it defends.
 */
class RaftReplicaTest {

  private static final AtomicInteger GROUPS = new AtomicInteger();
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
  /** The clock that times read leases; it moves only when a test moves it. */
  private final AtomicLong clock = new AtomicLong();

  @BeforeAll
  static void startKit() {
    kit = ReplicaTestKit.create("RaftReplicaTest");
    time = ManualTime.get(kit.system());
    journal = PersistenceTestKit.create(kit.system());
  }

  @AfterAll
  static void stopKit() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void startReplica() {
    id = new ReplicaId("g" + GROUPS.incrementAndGet(), "n1");
    n2 = kit.createTestProbe();
    n3 = kit.createTestProbe();
    replica = spawnReplica();
  }

  private ActorRef<Command> spawnReplica() {
    Map<String, ActorRef<Command>> refs = Map.of("n2", n2.ref(), "n3", n3.ref());
    return ReplicaTestKit.spawnRecovered(kit, RaftReplica.create(id, Set.of("n1", "n2", "n3"),
        RaftSettings.defaults(), ctx -> new StaticPeers(refs), () -> machine = new RecordingStateMachine(),
        new Random(7), clock::get));
  }

  private void restartReplica() {
    kit.stop(replica);
    replica = spawnReplica();
  }

  private ReplicaProtocol.Status status() {
    return ReplicaTestKit.status(kit, replica);
  }

  private List<LogEntry> logOf() {
    return ReplicaTestKit.log(kit, replica);
  }

  private <T extends Command> T expect(TestProbe<Command> peer, Class<T> type) {
    return peer.expectMessageClass(type);
  }

  /** Lets the election timer fire, answers the pre-vote and the vote from n2: n1 leads term 1. */
  private void electN1() {
    ReplicaTestKit.elect(time, replica, n2, n3);
  }

  /** Elects n1 and acknowledges its NO-OP from n2 so that the NO-OP commits. */
  private void electN1AndCommitNoop() {
    electN1();
    AppendEntries noop = expect(n2, AppendEntries.class);
    expect(n3, AppendEntries.class);
    replica.tell(AppendEntriesReply.accepted(noop.term(), "n2", noop.lastIndex()));
  }

  private static LogEntry cmd(long index, long term, String text) {
    return LogEntry.command(index, term, bytes(text));
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  // ---- 5.1 terms ---------------------------------------------------------------------------------------------------

  /** Reference: section 5.1, "if one server's current term is smaller than the other's, it updates its term". */
  @Test
  void followerAdoptsAHigherTermFromAnyMessage() {
    replica.tell(new AppendEntries(4, "n2", 0, 0, List.of(), 0));
    AppendEntriesReply reply = expect(n2, AppendEntriesReply.class);
    assertThat(reply.success()).isTrue();
    assertThat(reply.term()).isEqualTo(4);
    assertThat(status().term()).isEqualTo(4);
    assertThat(status().leader()).isEqualTo("n2");
  }

  /** Reference: section 5.1, "if a server receives a request with a stale term number, it rejects the request". */
  @Test
  void aRequestFromAStaleTermIsRejectedWithTheCurrentTerm() {
    replica.tell(new AppendEntries(3, "n2", 0, 0, List.of(), 0));
    expect(n2, AppendEntriesReply.class);
    replica.tell(new AppendEntries(2, "n3", 0, 0, List.of(cmd(1, 2, "stale")), 0));
    AppendEntriesReply reply = expect(n3, AppendEntriesReply.class);
    assertThat(reply.success()).isFalse();
    assertThat(reply.term()).isEqualTo(3);
    assertThat(logOf()).isEmpty();
  }

  /** Reference: section 5.1, "if a candidate or leader discovers that its term is out of date, it reverts to follower". */
  @Test
  void leaderStepsDownWhenItSeesAHigherTerm() {
    electN1AndCommitNoop();
    assertThat(status().role()).isEqualTo(RoleName.LEADER);
    replica.tell(AppendEntriesReply.rejected(5, "n3", 0, 0, 0));
    ReplicaProtocol.Status s = status();
    assertThat(s.role()).isEqualTo(RoleName.FOLLOWER);
    assertThat(s.term()).isEqualTo(5);
  }

  // ---- 5.2 leader election -----------------------------------------------------------------------------------------

  /** Reference: section 5.2, election timeouts are chosen randomly from a fixed interval (150-300 ms by default). */
  @Test
  void followerWaitsAtLeastTheMinimumElectionTimeoutBeforeCampaigning() {
    time.timePasses(RaftSettings.defaults().electionTimeoutMin().minusMillis(1));
    n2.expectNoMessage(Duration.ofMillis(20));
    time.timePasses(ELECTION_MAX);
    assertThat(expect(n2, RequestVote.class).preVote()).isTrue();
  }

  /** Reference: section 5.2, "a follower increments its current term and transitions to candidate state". */
  @Test
  void followerCampaignsAfterAPreVoteWithTheNextTermAndVotesForItself() {
    time.timePasses(ELECTION_MAX);
    RequestVote preVote = expect(n2, RequestVote.class);
    assertThat(preVote.preVote()).isTrue();
    assertThat(preVote.term()).isEqualTo(1);
    assertThat(status().term()).as("a pre-vote changes no term").isZero();
    replica.tell(new RequestVoteReply(1, "n3", true, true));
    RequestVote vote = expect(n2, RequestVote.class);
    assertThat(vote.preVote()).isFalse();
    assertThat(vote.term()).isEqualTo(1);
    ReplicaProtocol.Status s = status();
    assertThat(s.role()).isEqualTo(RoleName.CANDIDATE);
    assertThat(s.term()).isEqualTo(1);
  }

  /** Reference: section 5.2, "a candidate wins an election if it receives votes from a majority". */
  @Test
  void candidateWithAMajorityBecomesLeaderAndAppendsANoop() {
    electN1();
    AppendEntries first = expect(n2, AppendEntries.class);
    assertThat(first.term()).isEqualTo(1);
    assertThat(first.entries()).containsExactly(LogEntry.noop(1, 1));
    assertThat(status().role()).isEqualTo(RoleName.LEADER);
  }

  /** Reference: section 5.2, "it then sends heartbeat messages to all of the other servers". */
  @Test
  void leaderSendsHeartbeatsEveryHeartbeatInterval() {
    electN1AndCommitNoop();
    n2.receiveSeveralMessages(0);
    time.timePasses(HEARTBEAT);
    AppendEntries heartbeat = expect(n3, AppendEntries.class);
    assertThat(heartbeat.term()).isEqualTo(1);
  }

  /** Reference: section 5.2, a candidate that hears from a leader of its term returns to follower. */
  @Test
  void candidateReturnsToFollowerOnAppendEntriesOfItsTerm() {
    time.timePasses(ELECTION_MAX);
    RequestVote preVote = expect(n2, RequestVote.class);
    expect(n3, RequestVote.class);
    replica.tell(new RequestVoteReply(preVote.term(), "n2", true, true));
    expect(n2, RequestVote.class);
    expect(n3, RequestVote.class);
    replica.tell(new AppendEntries(1, "n3", 0, 0, List.of(LogEntry.noop(1, 1)), 0));
    assertThat(expect(n3, AppendEntriesReply.class).success()).isTrue();
    ReplicaProtocol.Status s = status();
    assertThat(s.role()).isEqualTo(RoleName.FOLLOWER);
    assertThat(s.leader()).isEqualTo("n3");
  }

  /** Reference: section 5.2, "each server will vote for at most one candidate in a given term, first-come-first-served". */
  @Test
  void oneVotePerTermFirstComeFirstServed() {
    replica.tell(new RequestVote(2, "n2", 0, 0, false));
    assertThat(expect(n2, RequestVoteReply.class).granted()).isTrue();
    replica.tell(new RequestVote(2, "n3", 0, 0, false));
    assertThat(expect(n3, RequestVoteReply.class).granted()).isFalse();
    replica.tell(new RequestVote(2, "n2", 0, 0, false));
    assertThat(expect(n2, RequestVoteReply.class).granted()).as("a retried request gets the same answer").isTrue();
  }

  /** Reference: section 5.2 and Figure 2, votedFor and currentTerm are persisted before responding. */
  @Test
  void theVoteSurvivesARestart() {
    replica.tell(new RequestVote(2, "n2", 0, 0, false));
    assertThat(expect(n2, RequestVoteReply.class).granted()).isTrue();
    restartReplica();
    replica.tell(new RequestVote(2, "n3", 0, 0, false));
    assertThat(expect(n3, RequestVoteReply.class).granted()).isFalse();
    assertThat(status().term()).isEqualTo(2);
  }

  /** Reference: Figure 2, "respond to RPCs only after updating stable storage"; a failed write stops the replica. */
  @Test
  void noVoteIsAnsweredWhenItCouldNotBeMadeDurable() {
    journal.failNextPersisted();
    replica.tell(new RequestVote(2, "n2", 0, 0, false));
    TestProbe<Object> watcher = kit.createTestProbe();
    watcher.expectTerminated(replica, Duration.ofSeconds(3));
    n2.expectNoMessage(Duration.ofMillis(100));
    journal.expectNothingPersisted(id.persistenceId());
    replica = spawnReplica();
    assertThat(status().term()).as("the next incarnation has nothing of the failed write").isZero();
    replica.tell(new RequestVote(2, "n3", 0, 0, false));
    assertThat(expect(n3, RequestVoteReply.class).granted()).isTrue();
  }

  // ---- 5.3 log replication -----------------------------------------------------------------------------------------

  /** Reference: section 5.3, the leader replicates, commits on a majority, applies, and returns the result. */
  @Test
  void leaderCommitsAProposalOnceAMajorityStoredItAndAnswersTheClient() {
    electN1AndCommitNoop();
    TestProbe<ReplicaProtocol.ProposeReply> client = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.Propose(bytes("x=1"), client.ref()));
    AppendEntries append = expect(n2, AppendEntries.class);
    while (append.entries().isEmpty()) {
      append = expect(n2, AppendEntries.class);
    }
    assertThat(append.entries()).containsExactly(cmd(2, 1, "x=1"));
    client.expectNoMessage(Duration.ofMillis(50));
    replica.tell(AppendEntriesReply.accepted(1, "n2", 2));
    ReplicaProtocol.Applied applied = (ReplicaProtocol.Applied) client.receiveMessage();
    assertThat(applied.index()).isEqualTo(2);
    assertThat(text(applied.result())).isEqualTo("applied:x=1@2");
    assertThat(machine.applied).containsExactly("x=1");
  }

  /**
   * Reference: section 5.3, with group commit: proposals that arrive while the leader's write is in flight go out
   * together in the next append. The journal is held mid-write so that the overlap is certain, not a matter of timing.
   */
  @Test
  void proposalsArrivingDuringAWriteAreBatchedIntoOneAppend() throws Exception {
    electN1AndCommitNoop();
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    journal.withPolicy(new ProcessingPolicy<JournalOperation>() {
      @Override
      public ProcessingResult tryProcess(String persistenceId, JournalOperation op) {
        if (persistenceId.equals(id.persistenceId()) && op instanceof WriteEvents) {
          writing.countDown();
          try {
            release.await(5, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return ProcessingSuccess$.MODULE$;
      }
    });
    try {
      TestProbe<ReplicaProtocol.ProposeReply> client = kit.createTestProbe();
      replica.tell(new ReplicaProtocol.Propose(bytes("k0"), client.ref()));
      assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
      for (int i = 1; i <= 20; i++) {
        replica.tell(new ReplicaProtocol.Propose(bytes("k" + i), client.ref()));
      }
      release.countDown();
      List<AppendEntries> carrying = new ArrayList<>();
      int entries = 0;
      while (entries < 21) {
        AppendEntries a = expect(n2, AppendEntries.class);
        if (!a.entries().isEmpty()) {
          carrying.add(a);
          entries += a.entries().size();
        }
      }
      assertThat(carrying).extracting(a -> a.entries().size()).containsExactly(1, 20);
      replica.tell(AppendEntriesReply.accepted(1, "n3", 22));
      assertThat(client.receiveSeveralMessages(21)).allMatch(r -> r instanceof ReplicaProtocol.Applied);
    } finally {
      release.countDown();
      journal.resetPolicy();
    }
  }

  /** Reference: section 5.3, "if a follower's log is inconsistent with the leader's, the consistency check fails". */
  @Test
  void followerRejectsAppendEntriesWhoseConsistencyCheckFailsWithAHint() {
    replica.tell(new AppendEntries(2, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 2, "b"), cmd(3, 2, "c")), 0));
    assertThat(expect(n2, AppendEntriesReply.class).success()).isTrue();
    replica.tell(new AppendEntries(3, "n2", 3, 3, List.of(cmd(4, 3, "d")), 0));
    AppendEntriesReply reply = expect(n2, AppendEntriesReply.class);
    assertThat(reply.success()).isFalse();
    assertThat(reply.conflictTerm()).isEqualTo(2);
    assertThat(reply.conflictIndex()).as("first index of the conflicting term").isEqualTo(2);
    replica.tell(new AppendEntries(3, "n2", 9, 3, List.of(), 0));
    AppendEntriesReply shortLog = expect(n2, AppendEntriesReply.class);
    assertThat(shortLog.conflictTerm()).isZero();
    assertThat(shortLog.conflictIndex()).isEqualTo(4);
  }

  /** Reference: section 5.3, "conflicting entries in follower logs will be overwritten with entries from the leader". */
  @Test
  void followerOverwritesConflictingEntriesAndKeepsTheMatchingPrefix() {
    replica.tell(new AppendEntries(2, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 2, "b"), cmd(3, 2, "c")), 1));
    expect(n2, AppendEntriesReply.class);
    replica.tell(new AppendEntries(3, "n3", 1, 1, List.of(cmd(2, 3, "B")), 1));
    AppendEntriesReply reply = expect(n3, AppendEntriesReply.class);
    assertThat(reply.success()).isTrue();
    assertThat(reply.matchIndex()).isEqualTo(2);
    assertThat(logOf()).containsExactly(cmd(1, 1, "a"), cmd(2, 3, "B"));
  }

  /** Reference: section 5.3, a delayed duplicate AppendEntries must not truncate entries that followed it. */
  @Test
  void aDelayedDuplicateAppendTruncatesNothing() {
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 1, "b")), 0));
    expect(n2, AppendEntriesReply.class);
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a")), 0));
    assertThat(expect(n2, AppendEntriesReply.class).matchIndex()).isEqualTo(1);
    assertThat(logOf()).hasSize(2);
  }

  /** Reference: section 5.3, followers apply committed entries in log order once leaderCommit tells them. */
  @Test
  void followerAppliesEntriesUpToTheLeadersCommitIndex() {
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 1, "b"), cmd(3, 1, "c")), 0));
    expect(n2, AppendEntriesReply.class);
    assertThat(machine.applied).isEmpty();
    replica.tell(new AppendEntries(1, "n2", 3, 1, List.of(), 2));
    expect(n2, AppendEntriesReply.class);
    assertThat(machine.applied).containsExactly("a", "b");
    ReplicaProtocol.Status s = status();
    assertThat(s.commitIndex()).isEqualTo(2);
    assertThat(s.lastApplied()).isEqualTo(2);
  }

  /** Reference: section 5.3, a follower never commits past what it knows matches the leader. */
  @Test
  void followerDoesNotCommitBeyondTheVerifiedPrefix() {
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 1, "stale")), 0));
    expect(n2, AppendEntriesReply.class);
    replica.tell(new AppendEntries(2, "n3", 1, 1, List.of(), 5));
    expect(n3, AppendEntriesReply.class);
    assertThat(status().commitIndex()).isEqualTo(1);
  }

  /** Reference: section 5.3, the leader backs nextIndex off after a rejection, skipping whole terms, then repairs. */
  @Test
  void leaderBacksOffOnRejectionAndRepairsTheFollowersLog() {
    // n1 starts with entries 1-2 of term 1 it got from an earlier leader, then wins term 2.
    replica.tell(new AppendEntries(1, "n3", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 1, "b")), 0));
    expect(n3, AppendEntriesReply.class);
    electN1();
    AppendEntries probe = expect(n2, AppendEntries.class);
    assertThat(probe.prevLogIndex()).isEqualTo(2);
    // n2 holds only entry 1 of term 1: it rejects with a short-log hint.
    replica.tell(AppendEntriesReply.rejected(2, "n2", 2, 2, 0));
    AppendEntries repair = expect(n2, AppendEntries.class);
    assertThat(repair.prevLogIndex()).isEqualTo(1);
    assertThat(repair.entries()).extracting(LogEntry::index).containsExactly(2L, 3L);
  }

  // ---- 5.4 safety --------------------------------------------------------------------------------------------------

  /** Reference: section 5.4.1, "the voter denies its vote if its own log is more up-to-date than that of the candidate". */
  @Test
  void voterRefusesACandidateWithALessCompleteLog() {
    replica.tell(new AppendEntries(2, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 2, "b")), 0));
    expect(n2, AppendEntriesReply.class);
    time.timePasses(ELECTION_MAX);
    n2.receiveSeveralMessages(1);
    n3.receiveSeveralMessages(1);
    replica.tell(new RequestVote(3, "n3", 5, 1, false));
    assertThat(expect(n3, RequestVoteReply.class).granted()).isFalse();
    replica.tell(new RequestVote(3, "n2", 2, 2, false));
    assertThat(expect(n2, RequestVoteReply.class).granted()).isTrue();
  }

  /**
   * Reference: section 5.4.2 and Figure 8, "Raft never commits log entries from previous terms by counting replicas".
   * n1 holds an entry of term 1 that no one else has; as leader of term 2, a majority storing that entry does not
   * commit it; only once its term-2 NO-OP is stored on a majority are both committed.
   */
  @Test
  void leaderDoesNotCommitAnEarlierTermsEntryByCountingReplicas() {
    replica.tell(new AppendEntries(1, "n3", 0, 0, List.of(cmd(1, 1, "old")), 0));
    expect(n3, AppendEntriesReply.class);
    electN1();
    assertThat(status().role()).isEqualTo(RoleName.LEADER);
    replica.tell(AppendEntriesReply.accepted(2, "n2", 1));
    assertThat(status().commitIndex()).as("index 1 is from term 1").isZero();
    assertThat(machine.applied).isEmpty();
    replica.tell(AppendEntriesReply.accepted(2, "n2", 2));
    assertThat(status().commitIndex()).isEqualTo(2);
    assertThat(machine.applied).containsExactly("old");
  }

  /** Reference: Figure 3, Leader Append-Only, and durability: the log and term survive a restart as they were. */
  @Test
  void aRestartedReplicaRecoversItsTermAndLogAsAFollower() {
    electN1AndCommitNoop();
    TestProbe<ReplicaProtocol.ProposeReply> client = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.Propose(bytes("x"), client.ref()));
    replica.tell(AppendEntriesReply.accepted(1, "n2", 2));
    client.receiveMessage();
    List<LogEntry> before = logOf();
    restartReplica();
    ReplicaProtocol.Status s = status();
    assertThat(s.role()).isEqualTo(RoleName.FOLLOWER);
    assertThat(s.term()).isEqualTo(1);
    assertThat(s.commitIndex()).as("commit index is volatile").isZero();
    assertThat(logOf()).isEqualTo(before);
  }

  // ---- pre-vote and check-quorum (dissertation sections 9.6 and 6.2) ----------------------------------------------

  /** Reference: dissertation section 9.6, a node that cannot win an election does not bump its term. */
  @Test
  void anIsolatedFollowerKeepsItsTermThroughRepeatedPreVotes() {
    for (int i = 0; i < 5; i++) {
      time.timePasses(ELECTION_MAX);
    }
    assertThat(status().term()).isZero();
    assertThat(status().role()).isEqualTo(RoleName.FOLLOWER);
  }

  /** Reference: dissertation section 9.6, pre-votes are refused while the voter hears from a leader. */
  @Test
  void aFollowerThatHearsFromALeaderRefusesPreVotesAndVotes() {
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(), 0));
    expect(n2, AppendEntriesReply.class);
    replica.tell(new RequestVote(2, "n3", 0, 0, true));
    assertThat(expect(n3, RequestVoteReply.class).granted()).isFalse();
    replica.tell(new RequestVote(2, "n3", 0, 0, false));
    assertThat(expect(n3, RequestVoteReply.class).granted()).isFalse();
    assertThat(status().term()).as("the disruptive term was not adopted").isEqualTo(1);
  }

  /** Reference: dissertation section 6.2, check-quorum: a leader cut off from a majority steps down. */
  @Test
  void leaderThatHearsFromNoMajorityStepsDown() {
    electN1AndCommitNoop();
    time.timePasses(RaftSettings.defaults().electionTimeoutMax());
    time.timePasses(RaftSettings.defaults().electionTimeoutMax());
    ReplicaProtocol.Status s = status();
    assertThat(s.role()).isEqualTo(RoleName.FOLLOWER);
    assertThat(s.term()).isEqualTo(1);
  }

  @Test
  void leaderThatHearsFromAMajorityKeepsLeading() {
    electN1AndCommitNoop();
    for (int i = 0; i < 8; i++) {
      time.timePasses(HEARTBEAT);
      replica.tell(AppendEntriesReply.accepted(1, "n2", 1));
    }
    assertThat(status().role()).isEqualTo(RoleName.LEADER);
  }

  // ---- bad input ---------------------------------------------------------------------------------------------------

  @Test
  void malformedAppendEntriesAreDroppedAndChangeNothing() {
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(3, 1, "gap")), 0));
    replica.tell(new AppendEntries(-1, "n2", 0, 0, List.of(cmd(1, 1, "a")), 0));
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 2, "future term")), 0));
    n2.expectNoMessage(Duration.ofMillis(100));
    ReplicaProtocol.Status s = status();
    assertThat(s.term()).isZero();
    assertThat(s.lastIndex()).isZero();
  }

  @Test
  void aFollowerPointsProposalsAtTheLeaderItKnows() {
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(), 0));
    expect(n2, AppendEntriesReply.class);
    TestProbe<ReplicaProtocol.ProposeReply> client = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.Propose(bytes("x"), client.ref()));
    assertThat(client.receiveMessage()).isEqualTo(new ReplicaProtocol.NotLeader("n2"));
  }

  // ---- reads (section 6.4 of the dissertation) ---------------------------------------------------------------------

  private TestProbe<ReplicaProtocol.ReadReply> read(ReadConsistency consistency) {
    TestProbe<ReplicaProtocol.ReadReply> client = kit.createTestProbe();
    replica.tell(new ReplicaProtocol.Read(bytes("q"), consistency, client.ref()));
    return client;
  }

  private AppendEntries nextHeartbeat(TestProbe<Command> peer) {
    AppendEntries a = expect(peer, AppendEntries.class);
    while (!a.entries().isEmpty()) {
      a = expect(peer, AppendEntries.class);
    }
    return a;
  }

  /** Reference: dissertation section 6.4, ReadIndex: a read waits for a heartbeat round acknowledged by a majority. */
  @Test
  void aLinearizableReadIsServedOnlyAfterAMajorityConfirmsLeadership() {
    electN1AndCommitNoop();
    TestProbe<ReplicaProtocol.ReadReply> client = read(ReadConsistency.LINEARIZABLE);
    AppendEntries round = nextHeartbeat(n2);
    assertThat(round.round()).isPositive();
    client.expectNoMessage(Duration.ofMillis(50));
    replica.tell(AppendEntriesReply.accepted(1, "n2", 1, round.round()));
    ReplicaProtocol.ReadResult result = (ReplicaProtocol.ReadResult) client.receiveMessage();
    assertThat(result.leader()).isTrue();
    assertThat(result.appliedIndex()).isEqualTo(1);
  }

  /** Reference: dissertation section 6.4, a leader that cannot confirm its leadership never answers a strong read. */
  @Test
  void aLinearizableReadIsNotServedByALeaderThatHearsFromNoMajority() {
    electN1AndCommitNoop();
    TestProbe<ReplicaProtocol.ReadReply> client = read(ReadConsistency.LINEARIZABLE);
    client.expectNoMessage(Duration.ofMillis(100));
    time.timePasses(RaftSettings.defaults().electionTimeoutMax());
    time.timePasses(RaftSettings.defaults().electionTimeoutMax());
    assertThat(client.receiveMessage()).isEqualTo(new ReplicaProtocol.NotLeader(null));
  }

  /** Reference: dissertation section 6.4, a new leader serves strong reads only once its term's NO-OP commits. */
  @Test
  void aStrongReadWaitsForTheNoopOfTheLeadersTerm() {
    electN1();
    AppendEntries noop = expect(n2, AppendEntries.class);
    TestProbe<ReplicaProtocol.ReadReply> client = read(ReadConsistency.LEASE);
    replica.tell(AppendEntriesReply.accepted(1, "n3", 0, noop.round()));
    client.expectNoMessage(Duration.ofMillis(50));
    replica.tell(AppendEntriesReply.accepted(1, "n2", noop.lastIndex(), noop.round()));
    AppendEntries round = nextHeartbeat(n2);
    replica.tell(AppendEntriesReply.accepted(1, "n2", noop.lastIndex(), round.round()));
    assertThat(((ReplicaProtocol.ReadResult) client.receiveMessage()).appliedIndex()).isEqualTo(1);
  }

  /** Reference: dissertation section 6.4.1, a lease read needs no round trip while the lease holds, and one after. */
  @Test
  void aLeaseReadIsServedAtOnceWhileTheLeaseHolds() {
    electN1AndCommitNoop();
    time.timePasses(HEARTBEAT);
    AppendEntries heartbeat = nextHeartbeat(n2);
    replica.tell(AppendEntriesReply.accepted(1, "n2", 1, heartbeat.round()));
    n3.receiveSeveralMessages(1);
    assertThat(read(ReadConsistency.LEASE).receiveMessage()).isInstanceOf(ReplicaProtocol.ReadResult.class);
    n2.expectNoMessage(Duration.ofMillis(50));

    clock.addAndGet(RaftSettings.defaults().leaseDuration().toNanos());
    TestProbe<ReplicaProtocol.ReadReply> afterLease = read(ReadConsistency.LEASE);
    AppendEntries round = nextHeartbeat(n2);
    afterLease.expectNoMessage(Duration.ofMillis(50));
    replica.tell(AppendEntriesReply.accepted(1, "n2", 1, round.round()));
    assertThat(afterLease.receiveMessage()).isInstanceOf(ReplicaProtocol.ReadResult.class);
  }

  /** A stale read is answered by any replica from what it applied; a strong one points at the leader. */
  @Test
  void aFollowerAnswersStaleReadsAndRedirectsStrongOnes() {
    replica.tell(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 1, "b")), 1));
    expect(n2, AppendEntriesReply.class);
    ReplicaProtocol.ReadResult stale = (ReplicaProtocol.ReadResult) read(ReadConsistency.STALE).receiveMessage();
    assertThat(stale.appliedIndex()).isEqualTo(1);
    assertThat(stale.leader()).isFalse();
    assertThat(text(stale.result())).isEqualTo("a");
    assertThat(read(ReadConsistency.LINEARIZABLE).receiveMessage()).isEqualTo(new ReplicaProtocol.NotLeader("n2"));
  }
}
