package io.raftring.raft;

import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.InstallSnapshotReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import io.raftring.raft.PeerMessage.TimeoutNow;

/**
 * What one role does with each message, one method per message (etcd's stepFollower / stepCandidate / stepLeader),
 * and with its timer. The defaults here are what every role does unless it says otherwise. The term rules common to
 * all roles have run in {@link RaftCore#step} before these are called, so a message that reaches a role carries the
 * current term (or is a pre-vote, which changes no term).
 *
 * <p>A role object lives exactly as long as the role: {@code becomeX} replaces it, and whatever it was waiting for is
 * answered in {@link #onExit()}. Effects are data added to the core's next {@link Ready}.
 */
abstract sealed class RaftRole permits Follower, Candidate, Leader {

  protected final RaftCore core;

  RaftRole(RaftCore core) {
    this.core = core;
  }

  abstract RoleName name();

  /** Whether this replica believes a leader is alive, so it refuses to help depose it (sections 4.2.3 and 9.6). */
  abstract boolean hearsFromLeader();

  /** The role's timer fired. */
  abstract void tick();

  final void step(PeerMessage m) {
    if (m instanceof AppendEntries a) {
      onAppendEntries(a);
    } else if (m instanceof AppendEntriesReply r) {
      onAppendEntriesReply(r);
    } else if (m instanceof RequestVote v) {
      onRequestVote(v);
    } else if (m instanceof RequestVoteReply r) {
      onRequestVoteReply(r);
    } else if (m instanceof InstallSnapshot i) {
      onInstallSnapshot(i);
    } else if (m instanceof InstallSnapshotReply r) {
      onInstallSnapshotReply(r);
    } else if (m instanceof TimeoutNow t) {
      onTimeoutNow(t);
    }
  }

  /** Section 5.2 and 5.4.1: one vote per term, first come first served, never for a less complete log. */
  void onRequestVote(RequestVote m) {
    RaftLog log = core.log;
    if (m.preVote()) {
      boolean grant = VoteRules.grantsPreVote(core.term, hearsFromLeader(), m.term(), m.lastLogTerm(),
          m.lastLogIndex(), log.lastTerm(), log.lastIndex());
      core.answer(m.from(), new RequestVoteReply(grant ? m.term() : core.term, core.self, grant, true));
      return;
    }
    boolean grant = (m.term() == core.term && m.from().equals(core.votedFor))
        || VoteRules.grantsVote(core.term, core.votedFor, m.term(), m.from(), m.lastLogTerm(), m.lastLogIndex(),
            log.lastTerm(), log.lastIndex());
    if (grant) {
      core.votedFor = m.from();
      core.resetElectionTimer = true;
    }
    core.answer(m.from(), new RequestVoteReply(core.term, core.self, grant, false));
  }

  void onRequestVoteReply(RequestVoteReply m) {}

  abstract void onAppendEntries(AppendEntries m);

  void onAppendEntriesReply(AppendEntriesReply m) {}

  /** Section 7: a chunk of the leader's snapshot, for a follower whose log the leader has compacted away. */
  abstract void onInstallSnapshot(InstallSnapshot m);

  void onInstallSnapshotReply(InstallSnapshotReply m) {}

  /** Section 3.10: the leader tells this replica to campaign now; only a follower that is a voter does. */
  void onTimeoutNow(TimeoutNow m) {}

  /** A storage write completed: the core's durable hard state and stable index may have moved. */
  void onPersisted() {}

  /** The commit index advanced. */
  void onCommitAdvanced() {}

  /** Just before the core hands out a Ready: work batched until then (a leader's read round). */
  void beforeReady() {}

  /** The Ready being made hands out every committed entry up to {@code index}: reads waiting on it can go. */
  void readsServableAt(long index) {}

  /** The replica was quiet and wakes (see {@link RaftCore#quiesced()}); the driver restarts the role's timer. */
  void onWake() {}

  /** The role ends: answer whoever waits on it. */
  void onExit() {}
}
