package io.raftring.raft;

import static io.raftring.raft.CoreHarness.cmd;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The claims of the Raft paper (sections 5.1-5.4, Figures 2, 3 and 8) and of the dissertation's pre-vote,
 * check-quorum and ReadIndex (sections 9.6, 6.2, 6.4), one test each, in the manner of etcd's raft_paper_test.go: one
 * core ("n1" of n1, n2, n3) is stepped message by message and the test reads what comes out of its Readys.
 */
class RaftCorePaperTest {

  private CoreHarness n1;

  @BeforeEach
  void start() {
    n1 = CoreHarness.threeNodes();
  }

  // ---- 5.1 terms ---------------------------------------------------------------------------------------------------

  /** Reference: section 5.1, "if one server's current term is smaller than the other's, it updates its term". */
  @Test
  void followerAdoptsAHigherTermFromAnyMessage() {
    n1.step(new AppendEntries(4, "n2", 0, 0, List.of(), 0));

    AppendEntriesReply reply = n1.takeOne("n2", AppendEntriesReply.class);
    assertThat(reply.success()).isTrue();
    assertThat(reply.term()).isEqualTo(4);
    assertThat(n1.core.term()).isEqualTo(4);
    assertThat(n1.core.leader()).isEqualTo("n2");
  }

  /** Reference: section 5.1, "if a server receives a request with a stale term number, it rejects the request". */
  @Test
  void aRequestFromAStaleTermIsRejectedWithTheCurrentTerm() {
    n1.step(new AppendEntries(3, "n2", 0, 0, List.of(), 0));

    n1.step(new AppendEntries(2, "n3", 0, 0, List.of(cmd(1, 2, "stale")), 0));

    AppendEntriesReply reply = n1.takeOne("n3", AppendEntriesReply.class);
    assertThat(reply.success()).isFalse();
    assertThat(reply.term()).isEqualTo(3);
    assertThat(n1.core.log().lastIndex()).isZero();
  }

  /** Reference: section 5.1, "if a candidate or leader discovers that its term is out of date, it reverts to follower". */
  @Test
  void leaderStepsDownWhenItSeesAHigherTerm() {
    n1.electAndCommitNoop();
    assertThat(n1.core.roleName()).isEqualTo(RoleName.LEADER);

    n1.step(AppendEntriesReply.rejected(5, "n3", 0, 0, 0));

    assertThat(n1.core.roleName()).isEqualTo(RoleName.FOLLOWER);
    assertThat(n1.core.term()).isEqualTo(5);
  }

  // ---- 5.2 leader election -----------------------------------------------------------------------------------------

  /**
   * Reference: section 5.2, "a follower increments its current term and transitions to candidate state"; with
   * pre-vote (dissertation section 9.6) it first asks whether it would win, changing no term.
   */
  @Test
  void followerCampaignsAfterAPreVoteWithTheNextTermAndVotesForItself() {
    n1.tick();

    RequestVote preVote = n1.takeOne("n2", RequestVote.class);
    assertThat(preVote.preVote()).isTrue();
    assertThat(preVote.term()).isEqualTo(1);
    assertThat(n1.core.term()).as("a pre-vote changes no term").isZero();

    n1.step(new RequestVoteReply(1, "n3", true, true));

    RequestVote vote = n1.takeOne("n2", RequestVote.class);
    assertThat(vote.preVote()).isFalse();
    assertThat(vote.term()).isEqualTo(1);
    assertThat(n1.core.roleName()).isEqualTo(RoleName.CANDIDATE);
    assertThat(n1.core.term()).isEqualTo(1);
    assertThat(n1.storage.votedFor()).as("its vote for itself is durable").isEqualTo("n1");
  }

  /** Reference: section 5.2, "a candidate wins an election if it receives votes from a majority". */
  @Test
  void candidateWithAMajorityBecomesLeaderAndAppendsANoop() {
    n1.elect();

    AppendEntries first = n1.lastAppend("n2");
    assertThat(first.term()).isEqualTo(1);
    assertThat(first.entries()).containsExactly(LogEntry.noop(1, 1));
    assertThat(n1.core.roleName()).isEqualTo(RoleName.LEADER);
  }

  /** Reference: section 5.2, a candidate counts its own vote only once that vote is durable (Figure 2). */
  @Test
  void aCandidateCountsItsOwnVoteOnlyOnceItIsDurable() {
    n1.holdWrites = true;
    n1.tick();
    n1.take("n2");
    n1.step(new RequestVoteReply(1, "n2", true, true));
    n1.take("n2");

    n1.step(new RequestVoteReply(1, "n2", true, false));

    assertThat(n1.core.roleName()).as("n2's vote alone is no majority").isEqualTo(RoleName.CANDIDATE);
    n1.completeWrite();
    assertThat(n1.core.roleName()).isEqualTo(RoleName.LEADER);
  }

  /** Reference: section 5.2, "it then sends heartbeat messages to all of the other servers". */
  @Test
  void leaderSendsAHeartbeatToEveryFollowerOnEveryTick() {
    n1.electAndCommitNoop();
    n1.take("n2");

    n1.tick();

    assertThat(n1.takeOne("n3", AppendEntries.class).term()).isEqualTo(1);
    assertThat(n1.takeOne("n2", AppendEntries.class).term()).isEqualTo(1);
  }

  /** Reference: section 5.2, a candidate that hears from a leader of its term returns to follower. */
  @Test
  void candidateReturnsToFollowerOnAppendEntriesOfItsTerm() {
    n1.tick();
    n1.step(new RequestVoteReply(1, "n2", true, true));
    n1.take("n2");
    n1.take("n3");

    n1.step(new AppendEntries(1, "n3", 0, 0, List.of(LogEntry.noop(1, 1)), 0));

    assertThat(n1.takeOne("n3", AppendEntriesReply.class).success()).isTrue();
    assertThat(n1.core.roleName()).isEqualTo(RoleName.FOLLOWER);
    assertThat(n1.core.leader()).isEqualTo("n3");
  }

  /** Reference: section 5.2, a split vote: the candidate's timer fires and it starts over through a pre-vote. */
  @Test
  void aCandidateWhoseTimerFiresStartsOverWithAPreVote() {
    n1.tick();
    n1.step(new RequestVoteReply(1, "n2", true, true));
    n1.take("n2");

    n1.tick();

    RequestVote again = n1.takeOne("n2", RequestVote.class);
    assertThat(again.preVote()).isTrue();
    assertThat(again.term()).isEqualTo(2);
    assertThat(n1.core.roleName()).isEqualTo(RoleName.FOLLOWER);
  }

  /** Reference: section 5.2, "each server will vote for at most one candidate in a given term, first-come-first-served". */
  @Test
  void oneVotePerTermFirstComeFirstServed() {
    n1.pastFirstElectionTimeout();

    n1.step(new RequestVote(2, "n2", 0, 0, false));
    assertThat(n1.takeOne("n2", RequestVoteReply.class).granted()).isTrue();

    n1.step(new RequestVote(2, "n3", 0, 0, false));
    assertThat(n1.takeOne("n3", RequestVoteReply.class).granted()).isFalse();

    n1.step(new RequestVote(2, "n2", 0, 0, false));
    assertThat(n1.takeOne("n2", RequestVoteReply.class).granted()).as("a retried request gets the same answer").isTrue();
  }

  /** Reference: section 5.2 and Figure 2, votedFor and currentTerm are persisted before responding. */
  @Test
  void aVoteIsAnsweredOnlyOnceItIsDurable() {
    n1.pastFirstElectionTimeout();
    n1.holdWrites = true;

    n1.step(new RequestVote(2, "n2", 0, 0, false));

    assertThat(n1.take("n2")).as("nothing before the write completes").isEmpty();
    n1.completeWrite();
    assertThat(n1.takeOne("n2", RequestVoteReply.class).granted()).isTrue();
    assertThat(n1.storage.votedFor()).isEqualTo("n2");
  }

  /** Reference: section 5.2 and Figure 2, a vote that never became durable was never given. */
  @Test
  void theVoteSurvivesARestartAndAnUnwrittenOneWasNeverGiven() {
    n1.pastFirstElectionTimeout();
    n1.step(new RequestVote(2, "n2", 0, 0, false));
    n1.take("n2");
    n1.holdWrites = true;
    n1.step(new RequestVote(3, "n3", 0, 0, false));

    n1.restart();

    assertThat(n1.core.term()).isEqualTo(2);
    assertThat(n1.core.votedFor()).isEqualTo("n2");
    n1.holdWrites = false;
    n1.pastFirstElectionTimeout();
    n1.step(new RequestVote(2, "n3", 0, 0, false));
    assertThat(n1.takeOne("n3", RequestVoteReply.class).granted()).isFalse();
  }

  // ---- 5.3 log replication -----------------------------------------------------------------------------------------

  /** Reference: section 5.3, the leader replicates, commits on a majority, then applies. */
  @Test
  void leaderCommitsAProposalOnceAMajorityStoredIt() {
    n1.electAndCommitNoop();

    long index = n1.propose("x=1");

    AppendEntries append = n1.lastAppend("n2");
    assertThat(append.entries()).containsExactly(cmd(2, 1, "x=1"));
    assertThat(n1.applied).isEmpty();
    n1.step(AppendEntriesReply.accepted(1, "n2", index));
    assertThat(n1.core.commitIndex()).isEqualTo(2);
    assertThat(n1.applied).containsExactly("x=1");
  }

  /**
   * Reference: section 5.3 with asynchronous storage (etcd's async storage writes): the leader sends entries before
   * its own write completes, takes proposals while it is in flight, and they go to storage together in the next write.
   */
  @Test
  void proposalsArrivingDuringAWriteAreSentAtOnceAndStoredTogetherInTheNextWrite() {
    n1.electAndCommitNoop();
    n1.take("n2");
    n1.holdWrites = true;

    n1.propose("k0");
    for (int i = 1; i <= 20; i++) {
      n1.propose("k" + i);
    }

    assertThat(n1.take("n2", AppendEntries.class)).as("entries go out before the leader's own write completes, as"
        + " many appends as flow control lets be in flight").hasSize(RaftSettings.defaults().maxInflightAppends());
    assertThat(n1.pendingWrites).hasSize(1);
    assertThat(n1.pendingWrites.peekFirst().entries()).hasSize(1);
    n1.completeWrite();
    assertThat(n1.pendingWrites).as("what arrived meanwhile is one write").hasSize(1);
    assertThat(n1.pendingWrites.peekFirst().entries()).hasSize(20);
  }

  /** Reference: section 5.3 and Figure 2, the leader counts itself toward a majority only once its write is durable. */
  @Test
  void aLeaderDoesNotCountItsOwnUnwrittenEntryTowardAMajority() {
    n1.electAndCommitNoop();
    n1.holdWrites = true;
    long index = n1.propose("x");

    n1.step(AppendEntriesReply.accepted(1, "n3", index - 1));

    assertThat(n1.core.commitIndex()).isEqualTo(index - 1);
    n1.step(AppendEntriesReply.accepted(1, "n2", index));
    assertThat(n1.core.commitIndex()).as("n2 and n1's durable write are a majority, n1 not yet durable")
        .isEqualTo(index - 1);
    n1.completeWrite();
    assertThat(n1.core.commitIndex()).isEqualTo(index);
  }

  /**
   * Flow control (etcd's REPLICATE progress): at most maxInflightAppends appends go unacknowledged; a full window whose
   * answers keep coming is busy, not lost, so a heartbeat resends nothing; one that drew no answer for a whole
   * heartbeat interval is presumed lost and resent from the last known match.
   */
  @Test
  void aFullWindowIsResentOnlyWhenItsAnswersStopped() {
    n1.electAndCommitNoop();
    n1.take("n2");
    for (int i = 0; i < 5; i++) {
      n1.propose("k" + i);
    }
    assertThat(n1.take("n2", AppendEntries.class)).hasSize(4);
    n1.step(AppendEntriesReply.accepted(1, "n2", 2));
    assertThat(n1.take("n2", AppendEntries.class)).as("the freed slot carries the fifth").hasSize(1);

    n1.tick();
    assertThat(n1.take("n2", AppendEntries.class)).as("answers are coming: nothing resent").isEmpty();

    n1.tick();
    assertThat(n1.take("n2", AppendEntries.class)).as("silence: resent from the match").first()
        .extracting(AppendEntries::prevLogIndex).isEqualTo(2L);
  }

  /** Reference: section 5.3, "if a follower's log is inconsistent with the leader's, the consistency check fails". */
  @Test
  void followerRejectsAppendEntriesWhoseConsistencyCheckFailsWithAHint() {
    n1.step(new AppendEntries(2, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 2, "b"), cmd(3, 2, "c")), 0));
    n1.take("n2");

    n1.step(new AppendEntries(3, "n2", 3, 3, List.of(cmd(4, 3, "d")), 0));

    AppendEntriesReply reply = n1.takeOne("n2", AppendEntriesReply.class);
    assertThat(reply.success()).isFalse();
    assertThat(reply.conflictTerm()).isEqualTo(2);
    assertThat(reply.conflictIndex()).as("first index of the conflicting term").isEqualTo(2);

    n1.step(new AppendEntries(3, "n2", 9, 3, List.of(), 0));

    AppendEntriesReply shortLog = n1.takeOne("n2", AppendEntriesReply.class);
    assertThat(shortLog.conflictTerm()).isZero();
    assertThat(shortLog.conflictIndex()).isEqualTo(4);
  }

  /** Reference: section 5.3, "conflicting entries in follower logs will be overwritten with entries from the leader". */
  @Test
  void followerOverwritesConflictingEntriesAndKeepsTheMatchingPrefix() {
    n1.step(new AppendEntries(2, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 2, "b"), cmd(3, 2, "c")), 1));

    n1.step(new AppendEntries(3, "n3", 1, 1, List.of(cmd(2, 3, "B")), 1));

    AppendEntriesReply reply = n1.takeOne("n3", AppendEntriesReply.class);
    assertThat(reply.success()).isTrue();
    assertThat(reply.matchIndex()).isEqualTo(2);
    assertThat(n1.core.log().entries()).containsExactly(cmd(1, 1, "a"), cmd(2, 3, "B"));
    n1.restart();
    assertThat(n1.core.log().entries()).as("and so does its storage").containsExactly(cmd(1, 1, "a"), cmd(2, 3, "B"));
  }

  /** Reference: section 5.3, an AppendEntries is acknowledged only once its entries are durable. */
  @Test
  void aFollowerAcknowledgesEntriesOnlyOnceTheyAreDurable() {
    n1.holdWrites = true;

    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a")), 0));
    n1.step(new AppendEntries(1, "n2", 1, 1, List.of(cmd(2, 1, "b")), 0));

    assertThat(n1.take("n2")).isEmpty();
    n1.completeWrite();
    assertThat(n1.take("n2", AppendEntriesReply.class)).as("the first write held only entry 1").hasSize(1);
    n1.completeWrite();
    assertThat(n1.take("n2", AppendEntriesReply.class)).extracting(AppendEntriesReply::matchIndex).containsExactly(2L);
  }

  /** Reference: section 5.3, a delayed duplicate AppendEntries must not truncate entries that followed it. */
  @Test
  void aDelayedDuplicateAppendTruncatesNothing() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 1, "b")), 0));
    n1.take("n2");

    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a")), 0));

    assertThat(n1.takeOne("n2", AppendEntriesReply.class).matchIndex()).isEqualTo(1);
    assertThat(n1.core.log().lastIndex()).isEqualTo(2);
  }

  /** Reference: section 5.3, followers apply committed entries in log order once leaderCommit tells them. */
  @Test
  void followerAppliesEntriesUpToTheLeadersCommitIndex() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 1, "b"), cmd(3, 1, "c")), 0));
    assertThat(n1.applied).isEmpty();

    n1.step(new AppendEntries(1, "n2", 3, 1, List.of(), 2));

    assertThat(n1.applied).containsExactly("a", "b");
    assertThat(n1.core.commitIndex()).isEqualTo(2);
    assertThat(n1.core.applied()).isEqualTo(2);
  }

  /** Reference: section 5.3, a follower never commits past what it knows matches the leader. */
  @Test
  void followerDoesNotCommitBeyondTheVerifiedPrefix() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 1, "stale")), 0));

    n1.step(new AppendEntries(2, "n3", 1, 1, List.of(), 5));

    assertThat(n1.core.commitIndex()).isEqualTo(1);
  }

  /** Reference: section 5.3, the leader backs nextIndex off after a rejection, skipping whole terms, then repairs. */
  @Test
  void leaderBacksOffOnRejectionAndRepairsTheFollowersLog() {
    n1.step(new AppendEntries(1, "n3", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 1, "b")), 0));
    n1.take("n3");
    n1.elect();
    AppendEntries probe = n1.lastAppend("n2");
    assertThat(probe.prevLogIndex()).isEqualTo(2);

    n1.step(AppendEntriesReply.rejected(2, "n2", 2, 2, 0));

    AppendEntries repair = n1.lastAppend("n2");
    assertThat(repair.prevLogIndex()).isEqualTo(1);
    assertThat(repair.entries()).extracting(LogEntry::index).containsExactly(2L, 3L);
  }

  /**
   * Reference: section 5.3's optimization, conflict-term skipping: a follower that holds a term the leader lacks is
   * probed from before that whole term; one whose term the leader holds, from after the leader's last entry of it.
   */
  @Test
  void leaderSkipsAWholeConflictingTermInOneStep() {
    n1.step(new AppendEntries(2, "n3", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 1, "b"), cmd(3, 2, "c")), 0));
    n1.take("n3");
    n1.elect();
    n1.take("n2");

    // n2 holds entries 2..3 of term 1 only (it has no entry of term 2 at 3): the leader retries after its term 1.
    n1.step(AppendEntriesReply.rejected(3, "n2", 3, 2, 1));

    assertThat(n1.lastAppend("n2").prevLogIndex()).isEqualTo(2);
  }

  // ---- 5.4 safety --------------------------------------------------------------------------------------------------

  /** Reference: section 5.4.1, "the voter denies its vote if its own log is more up-to-date than that of the candidate". */
  @Test
  void voterRefusesACandidateWithALessCompleteLog() {
    n1.step(new AppendEntries(2, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 2, "b")), 0));
    n1.tick();
    n1.take("n2");
    n1.take("n3");

    n1.step(new RequestVote(3, "n3", 5, 1, false));
    assertThat(n1.takeOne("n3", RequestVoteReply.class).granted()).isFalse();

    n1.step(new RequestVote(3, "n2", 2, 2, false));
    assertThat(n1.takeOne("n2", RequestVoteReply.class).granted()).isTrue();
  }

  /**
   * Reference: section 5.4.2 and Figure 8, "Raft never commits log entries from previous terms by counting replicas".
   * n1 holds an entry of term 1 that no one else has; as leader of term 2, a majority storing that entry does not
   * commit it; only once its term-2 NO-OP is stored on a majority are both committed.
   */
  @Test
  void leaderDoesNotCommitAnEarlierTermsEntryByCountingReplicas() {
    n1.step(new AppendEntries(1, "n3", 0, 0, List.of(cmd(1, 1, "old")), 0));
    n1.elect();
    assertThat(n1.core.roleName()).isEqualTo(RoleName.LEADER);

    n1.step(AppendEntriesReply.accepted(2, "n2", 1));
    assertThat(n1.core.commitIndex()).as("index 1 is from term 1").isZero();
    assertThat(n1.applied).isEmpty();

    n1.step(AppendEntriesReply.accepted(2, "n2", 2));
    assertThat(n1.core.commitIndex()).isEqualTo(2);
    assertThat(n1.applied).containsExactly("old");
  }

  /** Reference: Figure 3, Leader Append-Only and durability: term and log survive a restart; the commit index does not. */
  @Test
  void aRestartedReplicaRecoversItsTermAndLogAsAFollower() {
    n1.electAndCommitNoop();
    long index = n1.propose("x");
    n1.step(AppendEntriesReply.accepted(1, "n2", index));
    List<LogEntry> before = List.copyOf(n1.core.log().entries());

    n1.restart();

    assertThat(n1.core.roleName()).isEqualTo(RoleName.FOLLOWER);
    assertThat(n1.core.term()).isEqualTo(1);
    assertThat(n1.core.commitIndex()).as("commit index is volatile").isZero();
    assertThat(n1.core.log().entries()).isEqualTo(before);
  }

  // ---- pre-vote and check-quorum (dissertation sections 9.6 and 6.2) ----------------------------------------------

  /**
   * Reference: dissertation sections 4.2.3 and 6.4.1: a voter that restarted may have acknowledged the current leader's
   * round just before, and that leader may serve lease reads on it; it grants no vote until an election timeout passed.
   */
  @Test
  void aRestartedVoterGrantsNoVoteUntilAnElectionTimeoutPassed() {
    n1.step(new RequestVote(1, "n2", 0, 0, true));
    n1.step(new RequestVote(1, "n2", 0, 0, false));

    assertThat(n1.take("n2", RequestVoteReply.class)).extracting(RequestVoteReply::granted).containsExactly(false, false);
    assertThat(n1.core.term()).isZero();
    n1.pastFirstElectionTimeout();
    n1.step(new RequestVote(1, "n2", 0, 0, false));
    assertThat(n1.takeOne("n2", RequestVoteReply.class).granted()).isTrue();
  }

  /** Reference: dissertation section 9.6, a node that cannot win an election does not bump its term. */
  @Test
  void anIsolatedFollowerKeepsItsTermThroughRepeatedPreVotes() {
    for (int i = 0; i < 5; i++) {
      n1.tick();
    }

    assertThat(n1.core.term()).isZero();
    assertThat(n1.core.roleName()).isEqualTo(RoleName.FOLLOWER);
  }

  /** Reference: dissertation sections 9.6 and 4.2.3, pre-votes and votes are refused while the voter hears a leader. */
  @Test
  void aFollowerThatHearsFromALeaderRefusesPreVotesAndVotes() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(), 0));

    n1.step(new RequestVote(2, "n3", 0, 0, true));
    assertThat(n1.takeOne("n3", RequestVoteReply.class).granted()).isFalse();
    n1.step(new RequestVote(2, "n3", 0, 0, false));
    assertThat(n1.takeOne("n3", RequestVoteReply.class).granted()).isFalse();

    assertThat(n1.core.term()).as("the disruptive term was not adopted").isEqualTo(1);
  }

  /** Reference: dissertation section 6.2, check-quorum: a leader cut off from a majority steps down. */
  @Test
  void leaderThatHearsFromNoMajorityStepsDown() {
    n1.electAndCommitNoop();

    for (int i = 0; i < 12; i++) {
      n1.tick();
    }

    assertThat(n1.core.roleName()).isEqualTo(RoleName.FOLLOWER);
    assertThat(n1.core.term()).isEqualTo(1);
  }

  @Test
  void leaderThatHearsFromAMajorityKeepsLeading() {
    n1.electAndCommitNoop();

    for (int i = 0; i < 20; i++) {
      n1.tick();
      n1.step(AppendEntriesReply.accepted(1, "n2", 1));
    }

    assertThat(n1.core.roleName()).isEqualTo(RoleName.LEADER);
  }

  // ---- bad input ---------------------------------------------------------------------------------------------------

  @Test
  void malformedAppendEntriesAreDroppedAndChangeNothing() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(3, 1, "gap")), 0));
    n1.step(new AppendEntries(-1, "n2", 0, 0, List.of(cmd(1, 1, "a")), 0));
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 2, "future term")), 0));

    assertThat(n1.take("n2")).isEmpty();
    assertThat(n1.core.term()).isZero();
    assertThat(n1.core.log().lastIndex()).isZero();
  }

  @Test
  void aFollowerAppendsNoProposal() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(), 0));

    assertThat(n1.propose("x")).isEqualTo(RaftCore.NOT_APPENDED);
    assertThat(n1.core.leader()).isEqualTo("n2");
  }

  // ---- reads (dissertation section 6.4) ----------------------------------------------------------------------------

  private AppendEntries heartbeatTo(String node) {
    List<AppendEntries> sent = n1.take(node, AppendEntries.class);
    return sent.stream().filter(a -> a.entries().isEmpty()).reduce((a, b) -> b).orElseThrow();
  }

  /** Reference: dissertation section 6.4, ReadIndex: a read waits for a heartbeat round acknowledged by a majority. */
  @Test
  void aLinearizableReadIsServedOnlyAfterAMajorityConfirmsLeadership() {
    n1.electAndCommitNoop();

    assertThat(n1.read("r", false)).isEqualTo(RaftCore.ReadAdmission.ACCEPTED);

    AppendEntries round = heartbeatTo("n2");
    assertThat(round.round()).isPositive();
    assertThat(n1.served).isEmpty();
    n1.step(AppendEntriesReply.accepted(1, "n2", 1, round.round()));
    assertThat(n1.served).containsExactly("r");
  }

  /** Reads that arrive together share one heartbeat round. */
  @Test
  void readsArrivingTogetherShareOneRound() {
    n1.electAndCommitNoop();
    n1.take("n2");

    n1.core.readIndex("a", false);
    n1.core.readIndex("b", false);
    n1.drive();

    AppendEntries round = n1.takeOne("n2", AppendEntries.class);
    n1.step(AppendEntriesReply.accepted(1, "n2", 1, round.round()));
    assertThat(n1.served).containsExactly("a", "b");
  }

  /** Reference: dissertation section 6.4, a leader that cannot confirm its leadership never answers a strong read. */
  @Test
  void aLinearizableReadIsNotServedByALeaderThatHearsFromNoMajority() {
    n1.electAndCommitNoop();
    n1.read("r", false);

    for (int i = 0; i < 12; i++) {
      n1.tick();
    }

    assertThat(n1.served).isEmpty();
    assertThat(n1.dropped).containsExactly("r");
  }

  /** Reference: dissertation section 6.4, a new leader serves strong reads only once its term's NO-OP commits. */
  @Test
  void aStrongReadWaitsForTheNoopOfTheLeadersTerm() {
    n1.elect();
    AppendEntries noop = n1.lastAppend("n2");
    n1.read("r", true);

    n1.step(AppendEntriesReply.accepted(1, "n3", 0, noop.round()));
    assertThat(n1.served).isEmpty();
    n1.step(AppendEntriesReply.accepted(1, "n2", noop.lastIndex(), noop.round()));
    AppendEntries round = heartbeatTo("n2");
    n1.step(AppendEntriesReply.accepted(1, "n2", noop.lastIndex(), round.round()));

    assertThat(n1.served).containsExactly("r");
  }

  /** Reference: dissertation section 6.4.1, a lease read needs no round trip while the lease holds, and one after. */
  @Test
  void aLeaseReadIsServedAtOnceWhileTheLeaseHolds() {
    n1.electAndCommitNoop();
    n1.take("n2");
    n1.tick();
    AppendEntries heartbeat = heartbeatTo("n2");
    n1.step(AppendEntriesReply.accepted(1, "n2", 1, heartbeat.round()));

    n1.read("in-lease", true);
    assertThat(n1.served).containsExactly("in-lease");
    assertThat(n1.take("n2")).as("no round trip").isEmpty();

    n1.clock.addAndGet(RaftSettings.defaults().leaseDuration().toNanos());
    n1.read("after-lease", true);
    AppendEntries round = heartbeatTo("n2");
    assertThat(n1.served).containsExactly("in-lease");
    n1.step(AppendEntriesReply.accepted(1, "n2", 1, round.round()));
    assertThat(n1.served).containsExactly("in-lease", "after-lease");
  }

  /** A new leader holds no lease until a round it started is confirmed, even once its NO-OP committed. */
  @Test
  void aNewLeaderHoldsNoLeaseBeforeARoundIsConfirmed() {
    n1.electAndCommitNoop();
    n1.take("n2");

    n1.read("r", true);

    assertThat(n1.served).isEmpty();
    assertThat(heartbeatTo("n2").round()).isPositive();
  }

  @Test
  void aFollowerRefusesStrongReads() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(), 0));

    assertThat(n1.read("r", false)).isEqualTo(RaftCore.ReadAdmission.NOT_LEADER);
  }
}
