package io.raftring.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * What the driver of a {@link RaftCore} has to do now (etcd's rawnode.go {@code Ready}): data, never callbacks. The
 * driver carries it out in this order, then calls {@link RaftCore#advance}:
 *
 * <ol>
 *   <li>send {@link #messages} (they never depend on anything not yet durable);
 *   <li>hand {@link #write} to storage, if there is one, and call {@link RaftCore#persisted} once it is durable
 *       (writes complete in the order they were handed out; at most one is in flight);
 *   <li>start writing {@link #snapshotDue}, if there is one: of the state machine as it stands, before anything
 *       below changes it;
 *   <li>restore the state machine from {@link #snapshotToRestore}, if there is one;
 *   <li>apply {@link #committedEntries} in order, then serve {@link #readStates};
 *   <li>answer {@link #readsDropped} (not leader any more), store {@link #chunksToStore}, send
 *       {@link #chunksToSend}, re-arm the election timer if {@link #resetElectionTimer};
 *   <li>follow the role: {@link #role} and {@link #term} say which behaviour runs next.
 * </ol>
 *
 * @param role the role after everything the core was told since the last Ready
 * @param term the current term; with {@code role}, identifies a leadership or candidacy (one per term)
 * @param leader the leader this replica knows, or null
 * @param write the term, vote, snapshot record and entries to make durable, or null when nothing is new
 * @param messages Raft messages to send now
 * @param snapshotToRestore a snapshot received from the leader, whose file the driver holds complete and verified:
 *     the state machine must become its state before the committed entries are applied; null when none
 * @param committedEntries entries committed and not yet handed out, in log order, to apply
 * @param readStates reads confirmed by the leader; each may be served once the entries up to its index are applied,
 *     which is so once this Ready's committed entries are
 * @param readsDropped reads the core held and gave up (leadership lost): certainly not served, safe to retry
 * @param snapshotDue the point at which the driver should snapshot its state machine (then call
 *     {@link RaftCore#snapshotWritten}), or null: its index is what the state machine has applied before this Ready,
 *     so the snapshot is taken before this Ready's committed entries are applied (after them, a replica restored from
 *     it would apply them twice)
 * @param chunksToStore InstallSnapshot chunks from the leader for the driver's snapshot receiver, in order
 * @param chunksToSend snapshot chunks the driver reads from its snapshot file and sends as InstallSnapshot
 * @param resetElectionTimer whether the follower heard from its leader or granted a vote: re-arm the election timer
 * @param transferEnded the end of a leadership transfer this leader started, or null
 */
public record Ready(
    RoleName role,
    long term,
    String leader,
    Write write,
    List<Envelope> messages,
    SnapshotMeta snapshotToRestore,
    List<LogEntry> committedEntries,
    List<ReadState> readStates,
    List<Object> readsDropped,
    SnapshotDue snapshotDue,
    List<PeerMessage.InstallSnapshot> chunksToStore,
    List<ChunkToSend> chunksToSend,
    boolean resetElectionTimer,
    TransferEnded transferEnded) {

  /** A replica's term and vote, the part of its state besides the log that must be durable (Figure 2). */
  public record HardState(long term, String votedFor) {}

  /** A Raft message and the node it goes to. */
  public record Envelope(String to, PeerMessage message) {}

  /** A read confirmed by the leader: serve {@code request} once the state machine applied {@code readIndex}. */
  public record ReadState(Object request, long readIndex) {}

  /** Snapshot the state machine at {@code index} (of {@code term}), where the configuration is {@code configuration}. */
  public record SnapshotDue(long index, long term, Configuration configuration) {}

  /**
   * Send {@code length} bytes from {@code offset} of {@code snapshot}'s file to {@code to} as one InstallSnapshot of
   * term {@code term}; {@code done} marks the last chunk.
   */
  public record ChunkToSend(String to, SnapshotMeta snapshot, long term, long offset, int length, boolean done) {}

  /** How a leadership transfer ended. */
  public enum TransferOutcome {
    /** TimeoutNow went to the target and this replica stopped leading. */
    HANDED_OVER,
    /** The target did not catch up within an election timeout; this replica leads on. */
    TIMED_OUT,
    /** Leadership was lost before TimeoutNow was sent. */
    LOST
  }

  public record TransferEnded(String target, TransferOutcome outcome) {}

  /**
   * One storage write: everything new since the last write, in the order it must be applied when replayed. Events
   * for the journal come from {@link #events()}; once durable, the core is told with {@link RaftCore#persisted}.
   *
   * @param seq the write's number, one more than the previous write's
   * @param hardState the term and vote, when they changed since the last write; else null
   * @param snapshotTaken a snapshot of this replica's own state machine, whose file is written and synced; or null
   * @param snapshotInstalled a snapshot received from the leader and restored; or null
   * @param entriesFrom where {@code entries} start; whatever storage holds from there on is replaced
   * @param entries the entries to store (possibly none)
   * @param lastIndex the last index of the log as it stands with this write
   * @param lastTerm the term at {@code lastIndex}
   */
  public record Write(
      long seq,
      HardState hardState,
      SnapshotMeta snapshotTaken,
      SnapshotMeta snapshotInstalled,
      long entriesFrom,
      List<LogEntry> entries,
      long lastIndex,
      long lastTerm) {

    /** The journal events that make this write durable, in replay order. */
    public List<RaftEvent> events() {
      List<RaftEvent> events = new ArrayList<>(3);
      if (hardState != null) {
        events.add(hardState.votedFor() == null
            ? new RaftEvent.TermAdvanced(hardState.term())
            : new RaftEvent.VoteCast(hardState.term(), hardState.votedFor()));
      }
      if (snapshotTaken != null) {
        events.add(new RaftEvent.SnapshotTaken(snapshotTaken));
      }
      if (snapshotInstalled != null) {
        events.add(new RaftEvent.SnapshotInstalled(snapshotInstalled));
      }
      if (!entries.isEmpty()) {
        events.add(new RaftEvent.EntriesAppended(entriesFrom, entries));
      }
      return events;
    }
  }

  /** Whether there is nothing to do at all. */
  public boolean isEmpty() {
    return write == null && messages.isEmpty() && snapshotToRestore == null && committedEntries.isEmpty()
        && readStates.isEmpty() && readsDropped.isEmpty() && snapshotDue == null && chunksToStore.isEmpty()
        && chunksToSend.isEmpty() && !resetElectionTimer && transferEnded == null;
  }

  /** The index of the last committed entry handed out here, or -1 when none. */
  public long lastCommittedIndex() {
    return committedEntries.isEmpty() ? -1 : committedEntries.get(committedEntries.size() - 1).index();
  }
}
