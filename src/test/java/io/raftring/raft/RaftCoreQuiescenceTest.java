package io.raftring.raft;

import static io.raftring.raft.CoreHarness.cmd;
import static org.assertj.core.api.Assertions.assertThat;

import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.RequestVote;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Quiet idle groups (CockroachDB's quiescence, TiKV's hibernate regions; see {@link RaftCore#quiesced()}): a leader
 * whose followers hold its whole log sends one last heartbeat marked quiesce and stops ticking; followers that match
 * it stop their timers; anything that needs the group wakes it.
 */
class RaftCoreQuiescenceTest {

  private final CoreHarness n1 = CoreHarness.threeNodes();

  /** n1 leads term 1 with its NO-OP committed, and n2 and n3 answered a heartbeat at it. */
  private void leadACaughtUpGroup() {
    n1.electAndCommitNoop();
    n1.sent.clear();
    heartbeatAnsweredByAll();
  }

  /** A heartbeat tick, answered by n2 and n3 at the leader's last index. */
  private void heartbeatAnsweredByAll() {
    n1.tick();
    for (String peer : List.of("n2", "n3")) {
      AppendEntries beat = n1.lastAppend(peer);
      n1.step(AppendEntriesReply.accepted(beat.term(), peer, beat.lastIndex(), beat.round()));
    }
    n1.sent.clear();
  }

  /** n1 follows n2, holds its one committed entry, and went quiet on n2's marked heartbeat. */
  private void followAQuietLeader() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a")), 1));
    n1.step(new AppendEntries(1, "n2", 1, 1, List.of(), 1, 3, true));
    assertThat(n1.core.quiesced()).isTrue();
    n1.sent.clear();
  }

  @Test
  void aLeaderWhoseFollowersAllHoldItsCommittedLogGoesQuietWithOneMarkedHeartbeat() {
    leadACaughtUpGroup();

    n1.tick();

    assertThat(n1.core.quiesced()).isTrue();
    for (String peer : List.of("n2", "n3")) {
      AppendEntries last = n1.takeOne(peer, AppendEntries.class);
      assertThat(last.quiesce()).isTrue();
      assertThat(last.entries()).isEmpty();
      assertThat(last.prevLogIndex()).isEqualTo(1);
      assertThat(last.leaderCommit()).isEqualTo(1);
    }
    n1.tick();
    n1.tick();
    assertThat(n1.sent).as("a quiet leader sends nothing on its timer").isEmpty();
    assertThat(n1.core.roleName()).as("nor does it step down for lack of answers").isEqualTo(RoleName.LEADER);
  }

  @Test
  void aLeaderDoesNotGoQuietWhileAFollowerLagsOrDidNotAnswer() {
    n1.electAndCommitNoop();
    n1.sent.clear();
    n1.tick();
    AppendEntries beat = n1.lastAppend("n2");
    n1.step(AppendEntriesReply.accepted(beat.term(), "n2", beat.lastIndex(), beat.round()));
    n1.sent.clear();

    n1.tick();

    assertThat(n1.core.quiesced()).as("n3 never answered").isFalse();
    assertThat(n1.lastAppend("n3").quiesce()).isFalse();
  }

  @Test
  void aLeaderDoesNotGoQuietWithAnEntryUncommittedOrAReadWaiting() {
    leadACaughtUpGroup();
    n1.propose("x");
    n1.sent.clear();
    n1.tick();
    assertThat(n1.core.quiesced()).as("entry 2 is not committed").isFalse();

    CoreHarness other = CoreHarness.threeNodes();
    other.electAndCommitNoop();
    other.sent.clear();
    other.read("r", false);
    other.tick();
    assertThat(other.core.quiesced()).as("a read waits for its round").isFalse();
  }

  @Test
  void aProposalWakesAQuietLeaderWhichReplicatesAtOnceAndTicksAgain() {
    leadACaughtUpGroup();
    n1.tick();
    n1.sent.clear();

    long index = n1.propose("x");

    assertThat(index).isEqualTo(2);
    assertThat(n1.core.quiesced()).isFalse();
    assertThat(n1.lastAppend("n2").entries()).extracting(LogEntry::index).containsExactly(2L);
    n1.sent.clear();
    n1.tick();
    assertThat(n1.take("n2")).as("it heartbeats again").isNotEmpty();
  }

  @Test
  void aLeaderWokenByAnUnreachablePeerChecksItsQuorumAgainAndStepsDownIfCutOff() {
    leadACaughtUpGroup();
    n1.tick();
    n1.sent.clear();

    n1.core.peerUnreachable("n2");
    n1.drive();
    assertThat(n1.core.quiesced()).isFalse();
    for (int i = 0; i < 8 && n1.core.roleName() == RoleName.LEADER; i++) {
      n1.tick();
    }

    assertThat(n1.core.roleName()).as("no one answered since it woke").isEqualTo(RoleName.FOLLOWER);
  }

  @Test
  void aFollowerWhoseLogMatchesGoesQuietWithoutAnsweringAndKeepsItsLeader() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a"), cmd(2, 1, "b")), 2));
    n1.sent.clear();

    n1.step(new AppendEntries(1, "n2", 2, 1, List.of(), 2, 7, true));

    assertThat(n1.core.quiesced()).isTrue();
    assertThat(n1.sent).as("an answer would wake the leader").isEmpty();
    n1.tick();
    assertThat(n1.sent).as("a quiet follower does not campaign").isEmpty();
    assertThat(n1.core.leader()).isEqualTo("n2");
    n1.step(new RequestVote(2, "n3", 2, 1, true));
    assertThat(n1.takeOne("n3", PeerMessage.RequestVoteReply.class).granted())
        .as("it still hears from its leader, so it refuses a pre-vote").isFalse();
  }

  @Test
  void aFollowerThatLacksEntriesOrCommitsAnswersInsteadOfGoingQuiet() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a")), 1));
    n1.sent.clear();

    n1.step(new AppendEntries(1, "n2", 2, 1, List.of(), 2, 7, true));

    assertThat(n1.core.quiesced()).isFalse();
    assertThat(n1.takeOne("n2", AppendEntriesReply.class).success()).isFalse();
  }

  /** For a follower that runs no timer, its leader's silence (or unreachability) is its election timeout. */
  @Test
  void aQuietFollowerWhoseLeaderFallsSilentCampaignsAtOnce() {
    followAQuietLeader();

    n1.core.peerUnreachable("n4");
    n1.drive();
    assertThat(n1.core.quiesced()).as("n4 is no member of this group").isTrue();

    n1.core.peerUnreachable("n2");
    n1.drive();

    assertThat(n1.core.quiesced()).isFalse();
    assertThat(n1.core.leader()).isNull();
    assertThat(n1.takeOne("n3", RequestVote.class).preVote()).isTrue();
  }

  @Test
  void aQuietFollowerStaysQuietWhenAnotherFollowerFallsSilent() {
    followAQuietLeader();

    n1.core.peerUnreachable("n3");
    n1.drive();

    assertThat(n1.core.quiesced()).as("its leader decides what a lost follower means").isTrue();
    assertThat(n1.sent).isEmpty();
  }

  /** One whose timer a campaign restarted would otherwise wait it out: the silence is its election timeout too. */
  @Test
  void aFollowerThatIsNotQuietCampaignsAtOnceToo() {
    n1.step(new AppendEntries(1, "n2", 0, 0, List.of(cmd(1, 1, "a")), 1));
    n1.sent.clear();

    n1.core.peerUnreachable("n2");
    n1.drive();

    assertThat(n1.takeOne("n3", RequestVote.class).preVote()).isTrue();
    assertThat(n1.core.leader()).isNull();
  }

  @Test
  void aLeaderThatIsNotQuietIgnoresAFollowersSilence() {
    n1.electAndCommitNoop();
    n1.sent.clear();

    n1.core.peerUnreachable("n2");
    n1.drive();

    assertThat(n1.sent).as("its own check-quorum decides").isEmpty();
    assertThat(n1.core.roleName()).isEqualTo(RoleName.LEADER);
  }

  @Test
  void aMessageFromAServerOutsideTheConfigurationDoesNotWakeAQuietReplica() {
    followAQuietLeader();

    n1.step(new RequestVote(5, "n9", 9, 4, true));

    assertThat(n1.core.quiesced()).isTrue();
    n1.step(new RequestVote(2, "n3", 1, 1, true));
    assertThat(n1.core.quiesced()).as("a member's message wakes it").isFalse();
  }

  @Test
  void quiescenceCanBeTurnedOff() {
    CoreHarness off = new CoreHarness("n1", java.util.Set.of("n1", "n2", "n3"),
        RaftSettings.defaults().withQuiesceIdle(false));
    off.electAndCommitNoop();
    off.sent.clear();
    for (int i = 0; i < 3; i++) {
      off.tick();
      for (String peer : List.of("n2", "n3")) {
        AppendEntries beat = off.lastAppend(peer);
        assertThat(beat.quiesce()).isFalse();
        off.step(AppendEntriesReply.accepted(beat.term(), peer, beat.lastIndex(), beat.round()));
      }
      off.sent.clear();
    }
    assertThat(off.core.quiesced()).isFalse();
  }
}
