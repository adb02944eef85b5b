package io.raftring.raft;

import akka.actor.typed.ActorRef;
import akka.persistence.typed.javadsl.Effect;
import akka.persistence.typed.javadsl.EffectBuilder;
import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.InstallSnapshotReply;
import io.raftring.raft.PeerMessage.RequestVote;
import io.raftring.raft.PeerMessage.RequestVoteReply;
import io.raftring.raft.ReplicaProtocol.Propose;
import java.util.List;

/**
 * What one role does with each message, one method per message (etcd's stepFollower / stepCandidate / stepLeader).
 * The defaults here are what every role does unless it says otherwise. Term handling that is the same for all roles
 * (adopt a higher term, refuse a lower one) has already happened in {@link RaftReplica} before these are called, so a
 * message that reaches a role carries the current term, or a higher one that the role adopts in what it persists.
 */
abstract class Role {

  protected final RaftReplica replica;
  protected final RaftState state;

  Role(RaftReplica replica) {
    this.replica = replica;
    this.state = replica.state();
  }

  abstract RoleName name();

  /** Whether this replica believes a leader is alive, so it refuses to help depose it (sections 4.2.3 and 9.6). */
  abstract boolean hearsFromLeader();

  /** Section 5.2 and 5.4.1: one vote per term, first come first served, never for a less complete log. */
  Effect<RaftEvent, RaftState> onRequestVote(RequestVote m) {
    RaftLog log = state.log;
    if (m.preVote()) {
      boolean grant = VoteRules.grantsPreVote(
          state.currentTerm, hearsFromLeader(), m.term(), m.lastLogTerm(), m.lastLogIndex(), log.lastTerm(),
          log.lastIndex());
      replica.send(m.from(), new RequestVoteReply(grant ? m.term() : state.currentTerm, replica.self(), grant, true));
      return replica.effects().none();
    }
    if (m.term() == state.currentTerm && m.from().equals(state.votedFor)) {
      replica.send(m.from(), new RequestVoteReply(m.term(), replica.self(), true, false));
      return replica.effects().none();
    }
    boolean grant = VoteRules.grantsVote(
        state.currentTerm, state.votedFor, m.term(), m.from(), m.lastLogTerm(), m.lastLogIndex(), log.lastTerm(),
        log.lastIndex());
    if (grant) {
      replica.resetElectionTimer();
      return replica.effects()
          .persist(new RaftEvent.VoteCast(m.term(), m.from()))
          .thenRun(s -> replica.send(m.from(), new RequestVoteReply(m.term(), replica.self(), true, false)));
    }
    return replica.persistTermThen(
        m.term(), () -> replica.send(m.from(), new RequestVoteReply(state.currentTerm, replica.self(), false, false)));
  }

  Effect<RaftEvent, RaftState> onRequestVoteReply(RequestVoteReply m) {
    return replica.effects().none();
  }

  abstract Effect<RaftEvent, RaftState> onAppendEntries(AppendEntries m);

  Effect<RaftEvent, RaftState> onAppendEntriesReply(AppendEntriesReply m) {
    return replica.effects().none();
  }

  /** Section 7: a chunk of the leader's snapshot, for a follower whose log the leader has compacted away. */
  abstract Effect<RaftEvent, RaftState> onInstallSnapshot(InstallSnapshot m);

  Effect<RaftEvent, RaftState> onInstallSnapshotReply(InstallSnapshotReply m) {
    return replica.effects().none();
  }

  Effect<RaftEvent, RaftState> onElectionTimeout() {
    return replica.effects().none();
  }

  Effect<RaftEvent, RaftState> onHeartbeatTick() {
    return replica.effects().none();
  }

  Effect<RaftEvent, RaftState> onCheckQuorum() {
    return replica.effects().none();
  }

  /** Only a leader takes proposals; everyone else points at the leader it knows, if any. */
  EffectBuilder<RaftEvent, RaftState> onProposals(List<Propose> proposals) {
    proposals.forEach(p -> p.replyTo().tell(new ReplicaProtocol.NotLeader(state.leaderId)));
    return replica.effects().none();
  }

  /** Stale reads are served by any replica; strong reads only by the leader. */
  Effect<RaftEvent, RaftState> onRead(ReplicaProtocol.Read m) {
    if (m.consistency() == ReadConsistency.STALE) {
      replica.serve(m);
    } else {
      m.replyTo().tell(new ReplicaProtocol.NotLeader(state.leaderId));
    }
    return replica.effects().none();
  }

  Effect<RaftEvent, RaftState> onReadRound() {
    return replica.effects().none();
  }

  /** Only a leader changes the configuration; everyone else points at the leader it knows. */
  Effect<RaftEvent, RaftState> onMembershipChange(
      MembershipRules.Change change, String node, ActorRef<ReplicaProtocol.ChangeReply> replyTo) {
    replyTo.tell(new ReplicaProtocol.NotLeader(state.leaderId));
    return replica.effects().none();
  }

  /** Only a leader hands over leadership. */
  Effect<RaftEvent, RaftState> onTransferLeadership(String node, ActorRef<ReplicaProtocol.ChangeReply> replyTo) {
    if (node.equals(state.leaderId)) {
      replyTo.tell(new ReplicaProtocol.TransferDone(node));
    } else {
      replyTo.tell(new ReplicaProtocol.NotLeader(state.leaderId));
    }
    return replica.effects().none();
  }

  /** Section 3.10: the leader tells this replica to campaign now; only a follower that is a voter does. */
  Effect<RaftEvent, RaftState> onTimeoutNow(PeerMessage.TimeoutNow m) {
    return replica.effects().none();
  }

  Effect<RaftEvent, RaftState> onTransferTimeout() {
    return replica.effects().none();
  }

  /** The voter a leader is handing leadership to, or null. */
  String transferTarget() {
    return null;
  }

  /** The entry at {@code index} was applied and gave {@code result} (null for a NO-OP). */
  void onApplied(long index, byte[] result) {}

  /** The commit index advanced and everything up to it is applied. */
  void onCommitted() {}

  /** Called when the replica leaves this role: release timers and answer whoever is waiting. */
  void onExit() {}
}
