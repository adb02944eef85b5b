package io.raftring.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.raft.MembershipRules.Change;
import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import io.raftring.raft.PeerMessage.TimeoutNow;
import io.raftring.raft.ReplicaProtocol.RefusalCode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Membership changes (dissertation chapter 4: single-server changes in force when appended, learners, removal of the
 * leader) and leadership transfer (section 3.10), on one core ("n1" of n1, n2, n3) stepped message by message.
 */
class RaftCoreMembershipTest {

  private static final Set<String> BOOTSTRAP = Set.of("n1", "n2", "n3");

  private CoreHarness n1;

  @BeforeEach
  void start() {
    n1 = CoreHarness.threeNodes();
  }

  /** n1 leads term 1 and its NO-OP (index 1) is committed; nothing sent so far is left to look at. */
  private void electAndCommitNoop() {
    n1.electAndCommitNoop();
    n1.step(AppendEntriesReply.accepted(1, "n3", 1));
    assertThat(n1.core.commitIndex()).isEqualTo(1);
    n1.sent.clear();
  }

  private RaftCore.ChangeResult change(Change change, String node) {
    RaftCore.ChangeResult result = n1.core.proposeChange(change, node);
    n1.drive();
    return result;
  }

  /** Adds n4 as a learner at index 2, commits it with n2's ack, and lets n4 catch up to index 2. */
  private void addLearnerN4AndCatchUp() {
    change(Change.ADD_LEARNER, "n4");
    n1.step(AppendEntriesReply.accepted(1, "n2", 2));
    // n4 starts empty: it refuses the probe at the leader's end, then takes everything from index 1.
    AppendEntries probe = n1.lastAppend("n4");
    n1.step(AppendEntriesReply.rejected(1, "n4", probe.prevLogIndex(), 1, 0));
    AppendEntries all = n1.lastAppend("n4");
    assertThat(all.prevLogIndex()).isZero();
    n1.step(AppendEntriesReply.accepted(1, "n4", all.lastIndex()));
  }

  // ---- learners ----------------------------------------------------------------------------------------------------

  /**
   * Reference: dissertation sections 4.1 and 4.2.1: a new server joins as a learner; the configuration is in force on
   * the leader as soon as it is appended; the learner gets the log but does not count toward a quorum.
   */
  @Test
  void aLearnerIsAddedInForceOnceAppendedAndNeverCountsTowardAQuorum() {
    electAndCommitNoop();

    RaftCore.ChangeResult result = change(Change.ADD_LEARNER, "n4");

    assertThat(result).isEqualTo(new RaftCore.ChangeAppended(2));
    assertThat(n1.lastAppend("n2").entries())
        .containsExactly(LogEntry.config(2, 1, new Configuration(BOOTSTRAP, Set.of("n4"))));
    assertThat(n1.core.currentConfiguration().learners()).as("in force before it commits").containsExactly("n4");
    assertThat(n1.core.currentConfiguration().voters()).containsExactlyInAnyOrder("n1", "n2", "n3");

    AppendEntries probe = n1.lastAppend("n4");
    n1.step(AppendEntriesReply.rejected(1, "n4", probe.prevLogIndex(), 1, 0));
    n1.step(AppendEntriesReply.accepted(1, "n4", n1.lastAppend("n4").lastIndex()));
    assertThat(n1.core.commitIndex()).as("a learner's acknowledgement commits nothing").isEqualTo(1);

    n1.step(AppendEntriesReply.accepted(1, "n2", 2));
    assertThat(n1.core.commitIndex()).isEqualTo(2);
  }

  /** Reference: dissertation section 4.2.1, a learner is promoted only once it is caught up; then it counts. */
  @Test
  void aCaughtUpLearnerIsPromotedAndThenCountsTowardTheQuorum() {
    electAndCommitNoop();
    change(Change.ADD_LEARNER, "n4");
    n1.step(AppendEntriesReply.accepted(1, "n2", 2));

    RaftCore.ChangeResult notYet = change(Change.PROMOTE_LEARNER, "n4");

    assertThat(notYet).isInstanceOfSatisfying(RaftCore.ChangeRefused.class, r -> {
      assertThat(r.code()).isEqualTo(RefusalCode.NOT_READY);
      assertThat(r.message()).contains("not caught up");
    });

    AppendEntries probe = n1.lastAppend("n4");
    n1.step(AppendEntriesReply.rejected(1, "n4", probe.prevLogIndex(), 1, 0));
    n1.step(AppendEntriesReply.accepted(1, "n4", n1.lastAppend("n4").lastIndex()));

    assertThat(change(Change.PROMOTE_LEARNER, "n4")).isEqualTo(new RaftCore.ChangeAppended(3));
    assertThat(n1.core.currentConfiguration().voters()).containsExactlyInAnyOrder("n1", "n2", "n3", "n4");
    // Four voters: n1 and n2 are not a majority any more; n4's acknowledgement now counts.
    n1.step(AppendEntriesReply.accepted(1, "n2", 3));
    assertThat(n1.core.commitIndex()).isEqualTo(2);
    n1.step(AppendEntriesReply.accepted(1, "n4", 3));
    assertThat(n1.core.commitIndex()).isEqualTo(3);
  }

  /** Reference: dissertation section 4.2.1, learners never campaign: a newcomer waits to learn its configuration. */
  @Test
  void aNewcomerNeitherCampaignsNorVotesUntilItLearnsItsConfiguration() {
    CoreHarness n4 = new CoreHarness("n4", BOOTSTRAP, RaftSettings.defaults());
    for (int i = 0; i < 4; i++) {
      n4.tick();
    }
    assertThat(n4.sent).isEmpty();
    assertThat(n4.core.currentConfiguration().voters()).isEmpty();

    Configuration withN4 = new Configuration(BOOTSTRAP, Set.of("n4"));
    n4.step(new AppendEntries(1, "n2", 0, 0, List.of(LogEntry.noop(1, 1), LogEntry.config(2, 1, withN4)), 1));
    assertThat(n4.takeOne("n2", AppendEntriesReply.class).success()).isTrue();
    assertThat(n4.core.currentConfiguration().learners()).containsExactly("n4");

    n4.step(new TimeoutNow(1, "n2"));
    for (int i = 0; i < 4; i++) {
      n4.tick();
    }
    assertThat(n4.sent).as("a learner never campaigns").isEmpty();
    assertThat(n4.core.roleName()).isEqualTo(RoleName.FOLLOWER);
    assertThat(n4.core.term()).isEqualTo(1);
    assertThat(n4.core.quiesced()).as("its timer has nothing to do: it waits quietly for the leader").isTrue();
    n4.step(new AppendEntries(1, "n2", 2, 1, List.of(), 2));
    assertThat(n4.core.quiesced()).as("the leader's word wakes it").isFalse();
  }

  // ---- removal -----------------------------------------------------------------------------------------------------

  /** Reference: dissertation section 4.1, a removed follower no longer counts and is no longer replicated to. */
  @Test
  void removingAFollowerTakesEffectAtOnceAndTheRestCommit() {
    electAndCommitNoop();

    change(Change.REMOVE_SERVER, "n3");

    assertThat(n1.core.currentConfiguration().voters()).containsExactlyInAnyOrder("n1", "n2");
    n1.step(AppendEntriesReply.accepted(1, "n2", 2));
    assertThat(n1.core.commitIndex()).isEqualTo(2);
    n1.sent.clear();
    n1.tick();
    assertThat(n1.take("n2")).isNotEmpty();
    assertThat(n1.take("n3")).isEmpty();
  }

  /**
   * Reference: dissertation section 4.2.2, a leader removed from the group leads until the change commits, without
   * counting itself, then steps down, hands over at once and never campaigns again.
   */
  @Test
  void aRemovedLeaderLeadsUntilItsRemovalCommitsThenStepsDownAndStaysQuiet() {
    electAndCommitNoop();
    change(Change.REMOVE_SERVER, "n1");

    n1.step(AppendEntriesReply.accepted(1, "n2", 2));
    assertThat(n1.core.roleName()).as("n1 and n2 are no majority of {n2, n3}").isEqualTo(RoleName.LEADER);
    assertThat(n1.core.commitIndex()).isEqualTo(1);

    n1.step(AppendEntriesReply.accepted(1, "n3", 2));

    assertThat(n1.core.commitIndex()).isEqualTo(2);
    assertThat(n1.core.roleName()).isEqualTo(RoleName.FOLLOWER);
    assertThat(n1.take("n2", TimeoutNow.class)).hasSize(1);
    n1.sent.clear();
    for (int i = 0; i < 4; i++) {
      n1.tick();
    }
    assertThat(n1.sent).isEmpty();
    assertThat(n1.core.term()).isEqualTo(1);
  }

  // ---- the rules of one change at a time ---------------------------------------------------------------------------

  /** Reference: dissertation section 4.1, a change is refused while another is uncommitted. */
  @Test
  void aSecondChangeWhileOneIsUncommittedIsRefusedWithConflict() {
    electAndCommitNoop();
    change(Change.ADD_LEARNER, "n4");

    RaftCore.ChangeResult second = change(Change.REMOVE_SERVER, "n3");

    assertThat(second).isInstanceOfSatisfying(RaftCore.ChangeRefused.class, r -> {
      assertThat(r.code()).isEqualTo(RefusalCode.CONFLICT);
      assertThat(r.message()).contains("in progress");
    });
  }

  /** Reference: dissertation section 4.1 (the bug fix of 2015), no change before the leader's NO-OP commits. */
  @Test
  void aChangeBeforeTheLeadersNoopCommitsIsRefusedAsNotReady() {
    n1.elect();

    RaftCore.ChangeResult refused = change(Change.ADD_LEARNER, "n4");

    assertThat(refused).isInstanceOfSatisfying(RaftCore.ChangeRefused.class, r -> {
      assertThat(r.code()).isEqualTo(RefusalCode.NOT_READY);
      assertThat(r.message()).contains("NO-OP");
    });
  }

  @Test
  void aFollowerPointsChangesAndTransfersAtTheLeader() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(), 0));

    assertThat(change(Change.ADD_LEARNER, "n4")).isEqualTo(new RaftCore.ChangeNotLeader("n2"));
    assertThat(n1.core.transferLeadership("n3")).isEqualTo(new RaftCore.ChangeNotLeader("n2"));
  }

  /** Reference: dissertation section 4.1, a configuration entry is in force when appended, undone when overwritten. */
  @Test
  void aFollowerAdoptsAConfigurationWhenAppendedAndRevertsWhenItIsOverwritten() {
    Configuration withN4 = new Configuration(BOOTSTRAP, Set.of("n4"));
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(LogEntry.noop(1, 1), LogEntry.config(2, 1, withN4)), 1));
    assertThat(n1.core.currentConfiguration().learners()).containsExactly("n4");

    n1.step(new AppendEntries(2, "n3", 1, 1, List.of(LogEntry.noop(2, 2)), 1));

    assertThat(n1.take("n3", AppendEntriesReply.class)).extracting(AppendEntriesReply::success).containsExactly(true);
    assertThat(n1.core.currentConfiguration().learners()).isEmpty();
    assertThat(n1.core.currentConfiguration().voters()).containsExactlyInAnyOrder("n1", "n2", "n3");
  }

  // ---- leadership transfer -----------------------------------------------------------------------------------------

  /**
   * Reference: dissertation section 3.10, the leader brings the target up to date, takes no proposals meanwhile, then
   * tells it to campaign; the target's vote request is granted although its voters hear from the leader.
   */
  @Test
  void leadershipTransferCatchesTheTargetUpThenSendsTimeoutNow() {
    electAndCommitNoop();
    long x = n1.propose("x");
    n1.step(AppendEntriesReply.accepted(1, "n3", x));
    n1.sent.clear();

    assertThat(n1.core.transferLeadership("n2")).as("started").isNull();
    n1.drive();

    assertThat(n1.core.transferTarget()).isEqualTo("n2");
    assertThat(n1.propose("y")).as("no proposals during a transfer").isEqualTo(RaftCore.NOT_APPENDED);
    assertThat(n1.take("n2", TimeoutNow.class)).as("n2 is not caught up yet").isEmpty();
    n1.step(AppendEntriesReply.accepted(1, "n2", 2));
    assertThat(n1.takeOne("n2", TimeoutNow.class).term()).isEqualTo(1);

    n1.step(new RequestVote(2, "n2", 2, 1, false, true));

    assertThat(n1.takeOne("n2", RequestVoteReply.class).granted()).isTrue();
    assertThat(n1.transfersEnded).containsExactly(new Ready.TransferEnded("n2", Ready.TransferOutcome.HANDED_OVER));
    assertThat(n1.core.roleName()).isEqualTo(RoleName.FOLLOWER);
  }

  /** Reference: dissertation section 3.10, a transfer that does not complete within an election timeout is abandoned. */
  @Test
  void aTransferThatDoesNotCompleteInTimeIsAbandonedAndProposalsResume() {
    electAndCommitNoop();
    n1.core.transferLeadership("n3");
    n1.drive();

    for (int i = 0; i < 6; i++) {
      n1.tick();
      n1.step(AppendEntriesReply.accepted(1, "n2", 1));
    }

    assertThat(n1.transfersEnded).containsExactly(new Ready.TransferEnded("n3", Ready.TransferOutcome.TIMED_OUT));
    assertThat(n1.core.transferTarget()).isNull();
    long z = n1.propose("z");
    n1.step(AppendEntriesReply.accepted(1, "n2", z));
    assertThat(n1.applied).containsExactly("z");
    assertThat(n1.core.transferLeadership("n4")).isInstanceOfSatisfying(RaftCore.ChangeRefused.class,
        r -> assertThat(r.code()).isEqualTo(RefusalCode.BAD_REQUEST));
  }

  /** Reference: dissertation section 3.10, a voter told TimeoutNow campaigns at once, without a pre-vote. */
  @Test
  void aFollowerToldTimeoutNowCampaignsAtOnceAndItsVotersGrantDespiteALiveLeader() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(LogEntry.noop(1, 1)), 1));

    n1.step(new TimeoutNow(1, "n2"));

    RequestVote vote = n1.takeOne("n3", RequestVote.class);
    assertThat(vote.preVote()).isFalse();
    assertThat(vote.leadershipTransfer()).isTrue();
    assertThat(vote.term()).isEqualTo(2);
    assertThat(n1.core.roleName()).isEqualTo(RoleName.CANDIDATE);
  }

  /** A learner that was added can be removed again. */
  @Test
  void aLearnerCanBeRemovedAgain() {
    electAndCommitNoop();
    addLearnerN4AndCatchUp();

    assertThat(change(Change.REMOVE_SERVER, "n4")).isEqualTo(new RaftCore.ChangeAppended(3));
    n1.step(AppendEntriesReply.accepted(1, "n2", 3));

    assertThat(n1.core.commitIndex()).isEqualTo(3);
    assertThat(n1.core.currentConfiguration().learners()).isEmpty();
    assertThat(n1.core.currentConfiguration().voters()).containsExactlyInAnyOrder("n1", "n2", "n3");
  }
}
