package io.raftring.raft;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;
import java.util.List;

/**
 * What a replica makes durable: its current term, its vote, its log, and the snapshots that replace a prefix of the
 * log. Nothing else is ever persisted; role, commit index and per-follower progress are rebuilt after recovery.
 */
public sealed interface RaftEvent extends CborSerializable {

  /** The replica saw a higher term; it has voted for nobody in it yet. */
  record TermAdvanced(long term) implements RaftEvent {
    @JsonCreator
    public TermAdvanced(@JsonProperty("term") long term) {
      this.term = term;
    }
  }

  /** The replica voted for {@code candidate} in {@code term} (moving to that term if it was behind). */
  record VoteCast(long term, String candidate) implements RaftEvent {}

  /**
   * Entries stored from {@code startIndex} on; anything the log held at or past startIndex was a conflicting suffix
   * and is gone.
   */
  record EntriesAppended(long startIndex, List<LogEntry> entries) implements RaftEvent {}

  /**
   * The replica wrote a snapshot of its own state machine (its file is synced): the log up to the snapshot's last
   * included index is compacted away.
   */
  record SnapshotTaken(SnapshotMeta snapshot) implements RaftEvent {
    @JsonCreator
    public SnapshotTaken(@JsonProperty("snapshot") SnapshotMeta snapshot) {
      this.snapshot = snapshot;
    }
  }

  /**
   * The replica installed a snapshot sent by its leader (InstallSnapshot, section 7; its file is synced and its state
   * machine restored from it): the log up to the last included index is replaced, or all of it if it conflicts.
   */
  record SnapshotInstalled(SnapshotMeta snapshot) implements RaftEvent {
    @JsonCreator
    public SnapshotInstalled(@JsonProperty("snapshot") SnapshotMeta snapshot) {
      this.snapshot = snapshot;
    }
  }
}
