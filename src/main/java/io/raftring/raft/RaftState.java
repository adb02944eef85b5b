package io.raftring.raft;

/**
 * A replica's state. The durable part (term, vote, log) changes only in the event handler, so that recovery rebuilds
 * it exactly; the volatile part (role, leader, commit and apply progress) belongs to the command handlers and starts
 * afresh, as a follower, after every recovery.
 */
public final class RaftState {

  // Durable: written only by RaftReplica's event handler.
  long currentTerm;
  String votedFor;
  final RaftLog log = new RaftLog();

  // Volatile.
  Role role;
  String leaderId;
  long commitIndex;
  long lastApplied;

  public long currentTerm() {
    return currentTerm;
  }

  public String votedFor() {
    return votedFor;
  }

  public RaftLog log() {
    return log;
  }

  public long commitIndex() {
    return commitIndex;
  }

  public long lastApplied() {
    return lastApplied;
  }

  public String leaderId() {
    return leaderId;
  }

  public RoleName roleName() {
    return role == null ? RoleName.FOLLOWER : role.name();
  }
}
