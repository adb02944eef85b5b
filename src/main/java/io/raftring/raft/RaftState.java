package io.raftring.raft;

import io.raftring.CborSerializable;
import java.util.List;

/**
 * A replica's state. The durable part (term, vote, latest snapshot, log) changes only in the event handler, so that
 * recovery rebuilds it exactly; the volatile part (role, leader, commit and apply progress) belongs to the command
 * handlers and starts afresh, as a follower, after every recovery.
 */
public final class RaftState {

  // Durable: written only by RaftReplica's event handler.
  long currentTerm;
  String votedFor;
  /** The latest snapshot, whose file holds the state machine up to its last included index; null before the first. */
  SnapshotMeta snapshot;
  final RaftLog log = new RaftLog();

  // Volatile.
  Role role;
  String leaderId;
  long commitIndex;
  long lastApplied;
  /** Whether this replica is writing a snapshot of its own state machine right now (at most one at a time). */
  boolean snapshotInProgress;

  public long currentTerm() {
    return currentTerm;
  }

  public String votedFor() {
    return votedFor;
  }

  public SnapshotMeta snapshot() {
    return snapshot;
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

  /**
   * The durable part as Akka Persistence stores it for a snapshot of this replica: small, since the state machine's
   * bytes are in the snapshot file that {@code snapshot} names, and the log holds only what came after it.
   */
  public record Durable(long currentTerm, String votedFor, SnapshotMeta snapshot, List<LogEntry> entries)
      implements CborSerializable {}

  Durable toDurable() {
    return new Durable(currentTerm, votedFor, snapshot, List.copyOf(log.entries()));
  }

  static RaftState fromDurable(Durable durable) {
    RaftState state = new RaftState();
    state.currentTerm = durable.currentTerm();
    state.votedFor = durable.votedFor();
    state.snapshot = durable.snapshot();
    if (durable.snapshot() != null) {
      state.log.compactTo(durable.snapshot().lastIncludedIndex(), durable.snapshot().lastIncludedTerm());
    }
    if (!durable.entries().isEmpty()) {
      state.log.truncateAndAppend(state.log.lastIndex() + 1, durable.entries());
    }
    return state;
  }
}
