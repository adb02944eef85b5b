package io.raftring.raft;

import io.raftring.CborSerializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
  /** The snapshot's configuration, built once: the configuration is read on every proposal and reply. */
  private Configuration snapshotConfiguration;
  final RaftLog log = new RaftLog();
  /** The configuration given at creation: in force while neither the log nor a snapshot holds one. */
  Configuration bootstrap = Configuration.EMPTY;
  /** The CONFIG entries of the log (after the snapshot), by index: the latest is the configuration in force. */
  private final TreeMap<Long, Configuration> configEntries = new TreeMap<>();

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

  /**
   * The configuration in force (dissertation section 4.1): the latest CONFIG entry of the log, committed or not, else
   * the snapshot's, else the bootstrap one.
   */
  public Configuration configuration() {
    return configEntries.isEmpty() ? configurationBelowLog() : configEntries.lastEntry().getValue();
  }

  /** The index of the entry that set the configuration in force (the snapshot's index, or 0 for bootstrap). */
  public long configurationIndex() {
    if (!configEntries.isEmpty()) {
      return configEntries.lastKey();
    }
    return snapshot == null ? 0 : snapshot.lastIncludedIndex();
  }

  /** The configuration in force once the log up to {@code index} is applied (what a snapshot there records). */
  public Configuration configurationAt(long index) {
    Map.Entry<Long, Configuration> e = configEntries.floorEntry(index);
    return e == null ? configurationBelowLog() : e.getValue();
  }

  private Configuration configurationBelowLog() {
    return snapshot == null ? bootstrap : snapshotConfiguration;
  }

  /** Stores {@code entries} from {@code startIndex}, dropping anything at or past it (and configurations with it). */
  void append(long startIndex, List<LogEntry> entries) {
    log.truncateAndAppend(startIndex, entries);
    // A configuration entry that was overwritten no longer counts: the one before it is in force again.
    configEntries.tailMap(startIndex, true).clear();
    for (LogEntry e : entries) {
      if (e.kind() == LogEntry.Kind.CONFIG) {
        configEntries.put(e.index(), e.configuration());
      }
    }
  }

  /** Section 7: {@code newer} replaces the log up to its last included index (or all of it, if it conflicts). */
  void adoptSnapshot(SnapshotMeta newer) {
    if (snapshot != null && newer.lastIncludedIndex() <= snapshot.lastIncludedIndex()) {
      return;
    }
    snapshot = newer;
    snapshotConfiguration = newer.configuration();
    log.compactTo(newer.lastIncludedIndex(), newer.lastIncludedTerm());
    configEntries.headMap(newer.lastIncludedIndex(), true).clear();
    if (log.lastIndex() == log.snapshotIndex()) {
      configEntries.clear();
    }
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

  static RaftState fromDurable(Durable durable, Configuration bootstrap) {
    RaftState state = new RaftState();
    state.bootstrap = bootstrap;
    state.currentTerm = durable.currentTerm();
    state.votedFor = durable.votedFor();
    if (durable.snapshot() != null) {
      state.adoptSnapshot(durable.snapshot());
    }
    if (!durable.entries().isEmpty()) {
      state.append(state.log.lastIndex() + 1, durable.entries());
    }
    return state;
  }
}
