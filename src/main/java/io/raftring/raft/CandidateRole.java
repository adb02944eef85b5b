package io.raftring.raft;

import akka.persistence.typed.javadsl.Effect;
import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import java.util.HashSet;
import java.util.Set;

/**
 * A candidate has voted for itself in a new term and asks the others (section 5.2). It wins with a majority, loses
 * to an AppendEntries from a leader of its term, and otherwise starts over when its randomized timer fires.
 */
final class CandidateRole extends Role {

  private final Set<String> granted = new HashSet<>();
  private final Set<String> refused = new HashSet<>();

  CandidateRole(RaftReplica replica) {
    super(replica);
    granted.add(replica.self());
  }

  @Override
  RoleName name() {
    return RoleName.CANDIDATE;
  }

  @Override
  boolean hearsFromLeader() {
    return false;
  }

  boolean hasWon() {
    return Quorum.isMajority(granted, replica.voters());
  }

  /** Section 5.2: an AppendEntries from a leader of this term means the election is lost. */
  @Override
  Effect<RaftEvent, RaftState> onAppendEntries(AppendEntries m) {
    return replica.becomeFollower(m.from()).onAppendEntries(m);
  }

  /** A snapshot from a leader of this term, like its AppendEntries, means the election is lost. */
  @Override
  Effect<RaftEvent, RaftState> onInstallSnapshot(InstallSnapshot m) {
    return replica.becomeFollower(m.from()).onInstallSnapshot(m);
  }

  @Override
  Effect<RaftEvent, RaftState> onRequestVoteReply(RequestVoteReply m) {
    if (m.preVote() || m.term() != state.currentTerm) {
      return replica.effects().none();
    }
    (m.granted() ? granted : refused).add(m.from());
    if (hasWon()) {
      return replica.becomeLeader();
    }
    if (Quorum.isMajority(refused, replica.voters())) {
      replica.becomeFollower(null);
    }
    return replica.effects().none();
  }

  /** Section 5.2: a split vote; try again, through a pre-vote, after a new random timeout. */
  @Override
  Effect<RaftEvent, RaftState> onElectionTimeout() {
    return replica.becomeFollower(null).onElectionTimeout();
  }
}
