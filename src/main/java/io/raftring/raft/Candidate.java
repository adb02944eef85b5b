package io.raftring.raft;

import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import java.util.HashSet;
import java.util.Set;

/**
 * A candidate has voted for itself in a new term and asks the others (section 5.2). It wins with a majority, loses to
 * an AppendEntries (or InstallSnapshot) from a leader of its term, and otherwise starts over, through a pre-vote,
 * when its randomized timer fires. Its own vote counts once it is durable: a candidate that crashed before that may
 * vote for someone else in the same term after restarting, but then never counted itself.
 */
final class Candidate extends RaftRole {

  private final Set<String> granted = new HashSet<>();
  private final Set<String> refused = new HashSet<>();

  Candidate(RaftCore core) {
    super(core);
  }

  @Override
  RoleName name() {
    return RoleName.CANDIDATE;
  }

  @Override
  boolean hearsFromLeader() {
    return false;
  }

  @Override
  void onPersisted() {
    Ready.HardState durable = core.durableHardState;
    if (durable.term() == core.term && core.self.equals(durable.votedFor())) {
      granted.add(core.self);
      maybeWin();
    }
  }

  /** Section 5.2: an AppendEntries from a leader of this term means the election is lost. */
  @Override
  void onAppendEntries(AppendEntries m) {
    core.becomeFollower(core.term, m.from());
    core.role.onAppendEntries(m);
  }

  /** A snapshot from a leader of this term, like its AppendEntries, means the election is lost. */
  @Override
  void onInstallSnapshot(InstallSnapshot m) {
    core.becomeFollower(core.term, m.from());
    core.role.onInstallSnapshot(m);
  }

  @Override
  void onRequestVoteReply(RequestVoteReply m) {
    if (m.preVote() || m.term() != core.term) {
      return;
    }
    (m.granted() ? granted : refused).add(m.from());
    if (maybeWin()) {
      return;
    }
    if (Quorum.isMajority(refused, core.voters())) {
      core.becomeFollower(core.term, null);
    }
  }

  private boolean maybeWin() {
    if (Quorum.isMajority(granted, core.voters())) {
      core.becomeLeader();
      return true;
    }
    return false;
  }

  /** Section 5.2: a split vote; try again, through a pre-vote, after a new random timeout. */
  @Override
  void tick() {
    core.becomeFollower(core.term, null);
    core.role.tick();
  }
}
