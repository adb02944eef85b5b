package io.raftring.raft;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.raftring.CborSerializable;
import java.util.List;

/**
 * What a replica makes durable: its current term, its vote, and its log. Nothing else is ever persisted; role,
 * commit index and per-follower progress are rebuilt after recovery.
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
}
