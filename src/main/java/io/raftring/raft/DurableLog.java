package io.raftring.raft;

import java.util.List;

/**
 * What a replica's storage holds, rebuilt from its journal: term, vote, latest snapshot record and the log after it.
 * Replaying the events a {@link Ready.Write} turns into gives exactly the state the core had when it handed the write
 * out, which is what recovery hands back to a new core.
 */
public final class DurableLog {

  private long term;
  private String votedFor;
  private SnapshotMeta snapshot;
  private final RaftLog log = new RaftLog();

  /** Applies one journal event, as the replica wrote it or as recovery replays it. */
  public void apply(RaftEvent event) {
    if (event instanceof RaftEvent.TermAdvanced e) {
      term = e.term();
      votedFor = null;
    } else if (event instanceof RaftEvent.VoteCast e) {
      term = e.term();
      votedFor = e.candidate();
    } else if (event instanceof RaftEvent.EntriesAppended e) {
      log.truncateAndAppend(e.startIndex(), e.entries());
    } else if (event instanceof RaftEvent.SnapshotTaken e) {
      adopt(e.snapshot());
    } else if (event instanceof RaftEvent.SnapshotInstalled e) {
      adopt(e.snapshot());
    }
  }

  /** Section 7: a newer snapshot replaces the log up to its last included index (or all of it, if it conflicts). */
  private void adopt(SnapshotMeta newer) {
    if (snapshot != null && newer.lastIncludedIndex() <= snapshot.lastIncludedIndex()) {
      return;
    }
    snapshot = newer;
    log.installSnapshot(newer);
  }

  public long term() {
    return term;
  }

  public String votedFor() {
    return votedFor;
  }

  public SnapshotMeta snapshot() {
    return snapshot;
  }

  public long lastIndex() {
    return log.lastIndex();
  }

  /** An immutable copy, for a new core and for an Akka snapshot of the journal. */
  public RaftState.Durable toDurable() {
    return new RaftState.Durable(term, votedFor, snapshot, List.copyOf(log.entries()));
  }

  /** The state an Akka snapshot recorded. */
  public static DurableLog fromDurable(RaftState.Durable durable) {
    DurableLog restored = new DurableLog();
    restored.term = durable.currentTerm();
    restored.votedFor = durable.votedFor();
    if (durable.snapshot() != null) {
      restored.adopt(durable.snapshot());
    }
    if (!durable.entries().isEmpty()) {
      restored.log.truncateAndAppend(restored.log.lastIndex() + 1, durable.entries());
    }
    return restored;
  }
}
