package io.raftring.raft;

import io.raftring.CborSerializable;
import java.util.List;

/**
 * The name under which a replica's Akka snapshots are stored ({@code io.raftring.raft.RaftState$Durable}): kept so
 * that snapshots written by earlier builds still load. The state itself is {@link DurableLog}.
 */
public final class RaftState {

  private RaftState() {}

  /**
   * A replica's durable state as Akka Persistence stores it for a snapshot: small, since the state machine's bytes
   * are in the snapshot file that {@code snapshot} names, and the log holds only what came after it.
   */
  public record Durable(long currentTerm, String votedFor, SnapshotMeta snapshot, List<LogEntry> entries)
      implements CborSerializable {}
}
