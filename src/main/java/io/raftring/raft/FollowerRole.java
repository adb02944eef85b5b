package io.raftring.raft;

import akka.persistence.typed.javadsl.Effect;
import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.InstallSnapshotReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A follower answers leaders and candidates. When its election timer fires it first runs a pre-vote (dissertation
 * section 9.6): it asks whether the others would vote for it, and only campaigns for real, bumping its term, if a
 * majority would. A node that cannot win therefore never disrupts a working group.
 */
final class FollowerRole extends Role {

  /** Pre-votes granted in the current pre-vote round; null when not pre-campaigning. */
  private Set<String> preVotes;
  /** The leader's snapshot being received, chunk by chunk; null when none is. */
  private SnapshotReceiver incoming;

  FollowerRole(RaftReplica replica) {
    super(replica);
  }

  @Override
  RoleName name() {
    return RoleName.FOLLOWER;
  }

  @Override
  boolean hearsFromLeader() {
    return state.leaderId != null;
  }

  /** Section 5.3: the consistency check, then truncate-and-append of what is new, then the leader's commit index. */
  @Override
  Effect<RaftEvent, RaftState> onAppendEntries(AppendEntries m) {
    state.leaderId = m.from();
    preVotes = null;
    replica.resetElectionTimer();
    RaftLog log = state.log;
    if (!log.matches(m.prevLogIndex(), m.prevLogTerm())) {
      long conflictTerm = Math.max(0, log.termAt(m.prevLogIndex()));
      long conflictIndex = conflictTerm > 0
          ? log.firstIndexOfTerm(conflictTerm, m.prevLogIndex())
          : log.lastIndex() + 1;
      return replica.persistTermThen(m.term(), () -> replica.send(m.from(), AppendEntriesReply.rejected(
          state.currentTerm, replica.self(), m.prevLogIndex(), conflictIndex, conflictTerm, m.round())));
    }
    long matchIndex = m.lastIndex();
    long firstNew = log.firstNewIndex(m.entries());
    Runnable acknowledge = () -> {
      replica.commitTo(Math.min(m.leaderCommit(), matchIndex));
      replica.send(m.from(), AppendEntriesReply.accepted(state.currentTerm, replica.self(), matchIndex, m.round()));
    };
    if (firstNew < 0) {
      return replica.persistTermThen(m.term(), acknowledge);
    }
    if (firstNew <= state.commitIndex) {
      // Leader Completeness says this cannot happen; refusing keeps a buggy or forged leader from erasing commits.
      replica.log().error(
          "refusing AppendEntries from {} in term {} that would overwrite committed index {} (commit {})",
          m.from(), m.term(), firstNew, state.commitIndex);
      return replica.effects().none();
    }
    List<LogEntry> fresh = m.entries().subList((int) (firstNew - m.prevLogIndex() - 1), m.entries().size());
    List<RaftEvent> events = new ArrayList<>(2);
    if (m.term() > state.currentTerm) {
      events.add(new RaftEvent.TermAdvanced(m.term()));
    }
    events.add(new RaftEvent.EntriesAppended(firstNew, List.copyOf(fresh)));
    return replica.effects().persist(events).thenRun(s -> acknowledge.run());
  }

  /**
   * Section 7: chunks are appended in order to a file; only when the last one arrived and the whole file checks out
   * does the snapshot replace the state machine and the log. A chunk of another term or another snapshot ends the
   * transfer in progress (a new leader starts over); one at an unexpected offset is answered with the offset this
   * follower holds, from which the leader resumes.
   */
  @Override
  Effect<RaftEvent, RaftState> onInstallSnapshot(InstallSnapshot m) {
    state.leaderId = m.from();
    preVotes = null;
    replica.resetElectionTimer();
    long index = m.lastIncludedIndex();
    if (index <= state.commitIndex) {
      // Already committed here, so the log matches the leader's up to it: nothing to install.
      discardIncoming();
      return reply(m, InstallSnapshotReply.installed(m.term(), replica.self(), index));
    }
    if (incoming != null && !incoming.isFor(m)) {
      discardIncoming();
    }
    try {
      if (incoming == null) {
        if (m.offset() != 0) {
          return reply(m, InstallSnapshotReply.progress(m.term(), replica.self(), index, 0));
        }
        incoming = replica.openReceiver(m);
      }
      switch (incoming.accept(m)) {
        case APPENDED, OUT_OF_ORDER -> {
          return reply(m, InstallSnapshotReply.progress(m.term(), replica.self(), index, incoming.received()));
        }
        case CORRUPT -> {
          replica.log().warn("snapshot at {} from {} failed its checksum; asking for it again", index, m.from());
          discardIncoming();
          return reply(m, InstallSnapshotReply.restart(m.term(), replica.self(), index));
        }
        default -> {
          SnapshotReceiver complete = incoming;
          incoming = null;
          return replica.installSnapshot(m, complete);
        }
      }
    } catch (IOException e) {
      replica.log().warn("cannot store the snapshot at {} from {}; asking for it again", index, m.from(), e);
      discardIncoming();
      return reply(m, InstallSnapshotReply.restart(m.term(), replica.self(), index));
    }
  }

  /** Answers once a term adopted from {@code m} is durable. */
  private Effect<RaftEvent, RaftState> reply(InstallSnapshot m, InstallSnapshotReply answer) {
    return replica.persistTermThen(m.term(), () -> replica.send(m.from(), answer));
  }

  private void discardIncoming() {
    if (incoming != null) {
      incoming.discard();
      incoming = null;
    }
  }

  @Override
  void onExit() {
    discardIncoming();
  }

  @Override
  Effect<RaftEvent, RaftState> onElectionTimeout() {
    state.leaderId = null;
    replica.resetElectionTimer();
    if (!replica.isVoter()) {
      return replica.effects().none();
    }
    preVotes = new HashSet<>();
    preVotes.add(replica.self());
    if (Quorum.isMajority(preVotes, replica.voters())) {
      return replica.becomeCandidate();
    }
    RaftLog log = state.log;
    RequestVote ask = new RequestVote(state.currentTerm + 1, replica.self(), log.lastIndex(), log.lastTerm(), true);
    replica.sendToOtherVoters(ask);
    return replica.effects().none();
  }

  /**
   * Section 3.10: the leader brought this log up to date and steps aside: campaign at once, skipping the pre-vote
   * (the voters still hear from that leader and would refuse it). A learner or a removed server ignores it.
   */
  @Override
  Effect<RaftEvent, RaftState> onTimeoutNow(PeerMessage.TimeoutNow m) {
    if (!replica.isVoter()) {
      replica.log().warn("{} is told to take over by {} but is not a voter ({}); ignored", replica.self(), m.from(),
          replica.configuration());
      return replica.effects().none();
    }
    replica.log().info("{} takes over from {} in term {} (leadership transfer)", replica.self(), m.from(),
        state.currentTerm + 1);
    return replica.becomeCandidate(true);
  }

  @Override
  Effect<RaftEvent, RaftState> onRequestVoteReply(RequestVoteReply m) {
    if (preVotes == null || !m.preVote() || !m.granted() || m.term() != state.currentTerm + 1) {
      return replica.effects().none();
    }
    preVotes.add(m.from());
    if (Quorum.isMajority(preVotes, replica.voters())) {
      return replica.becomeCandidate();
    }
    return replica.effects().none();
  }
}
