package io.raftring.raft;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;
import java.util.Set;

/** The messages replicas of one group send each other (section 5, Figure 2). Every one carries the sender's term. */
public sealed interface PeerMessage extends ReplicaProtocol.Command {

  long term();

  /** The node that sent it: where the answer goes. */
  String from();

  /**
   * RequestVote. With {@code preVote} set it only asks "would you vote for me at {@code term}?" and changes nothing on
   * the voter (dissertation section 9.6).
   */
  record RequestVote(
      long term, String from, long lastLogIndex, long lastLogTerm, boolean preVote, boolean leadershipTransfer)
      implements PeerMessage {

    /**
     * {@code leadershipTransfer} marks a real vote asked for because the leader told this candidate to take over
     * (TimeoutNow, dissertation section 3.10): voters grant it even while they still hear from that leader.
     */
    @JsonCreator
    public RequestVote {}

    public RequestVote(long term, String from, long lastLogIndex, long lastLogTerm, boolean preVote) {
      this(term, from, lastLogIndex, lastLogTerm, preVote, false);
    }
  }

  record RequestVoteReply(long term, String from, boolean granted, boolean preVote) implements PeerMessage {}

  /**
   * AppendEntries; with no entries it is a heartbeat that still carries the consistency check and leaderCommit.
   * {@code round} numbers the leader's heartbeat rounds: the follower echoes it, so the leader knows which of its
   * messages a majority has seen (ReadIndex confirmation and the read lease). With {@code quiesce} set the leader
   * says it will go quiet: the group is idle and every follower caught up, so it stops heartbeating until something
   * happens, and a follower whose log matches stops its election timer too (see {@link RaftCore#quiesced()}).
   */
  record AppendEntries(
      long term,
      String from,
      long prevLogIndex,
      long prevLogTerm,
      List<LogEntry> entries,
      long leaderCommit,
      long round,
      boolean quiesce)
      implements PeerMessage {

    @JsonCreator
    public AppendEntries {}

    public AppendEntries(long term, String from, long prevLogIndex, long prevLogTerm, List<LogEntry> entries,
        long leaderCommit, long round) {
      this(term, from, prevLogIndex, prevLogTerm, entries, leaderCommit, round, false);
    }

    public AppendEntries(
        long term, String from, long prevLogIndex, long prevLogTerm, List<LogEntry> entries, long leaderCommit) {
      this(term, from, prevLogIndex, prevLogTerm, entries, leaderCommit, 0);
    }

    public long lastIndex() {
      return prevLogIndex + entries.size();
    }
  }

  /**
   * The answer to AppendEntries. On success {@code matchIndex} is the last index the follower now shares with the
   * leader. On rejection {@code rejectedPrevIndex} echoes the request's prevLogIndex and the hint says where to retry:
   * {@code conflictTerm} is the follower's term at that index (0 if it has no entry there) and {@code conflictIndex}
   * its first index of that term (or its last index + 1), so the leader can skip a whole term at a time.
   */
  record AppendEntriesReply(
      long term,
      String from,
      boolean success,
      long matchIndex,
      long rejectedPrevIndex,
      long conflictIndex,
      long conflictTerm,
      long round)
      implements PeerMessage {

    static AppendEntriesReply accepted(long term, String from, long matchIndex) {
      return accepted(term, from, matchIndex, 0);
    }

    static AppendEntriesReply accepted(long term, String from, long matchIndex, long round) {
      return new AppendEntriesReply(term, from, true, matchIndex, 0, 0, 0, round);
    }

    static AppendEntriesReply rejected(
        long term, String from, long rejectedPrevIndex, long conflictIndex, long conflictTerm) {
      return rejected(term, from, rejectedPrevIndex, conflictIndex, conflictTerm, 0);
    }

    static AppendEntriesReply rejected(
        long term, String from, long rejectedPrevIndex, long conflictIndex, long conflictTerm, long round) {
      return new AppendEntriesReply(term, from, false, 0, rejectedPrevIndex, conflictIndex, conflictTerm, round);
    }
  }

  /**
   * InstallSnapshot (section 7), one chunk of it: {@code data} holds the snapshot file's bytes from {@code offset}.
   * The snapshot covers the log up to {@code lastIncludedIndex}/{@code lastIncludedTerm} with the voters
   * {@code voters}; the whole file has {@code totalBytes} bytes and CRC32 {@code crc32}; {@code done} marks the
   * last chunk. The follower assembles chunks in order on disk and installs only a complete, verified file.
   */
  record InstallSnapshot(
      long term,
      String from,
      long lastIncludedIndex,
      long lastIncludedTerm,
      Set<String> voters,
      long totalBytes,
      long crc32,
      long offset,
      byte[] data,
      boolean done,
      Set<String> learners)
      implements PeerMessage {

    @JsonCreator
    public InstallSnapshot {
      learners = learners == null ? Set.of() : learners;
    }

    /** A chunk of a snapshot of a group without learners. */
    public InstallSnapshot(long term, String from, long lastIncludedIndex, long lastIncludedTerm, Set<String> voters,
        long totalBytes, long crc32, long offset, byte[] data, boolean done) {
      this(term, from, lastIncludedIndex, lastIncludedTerm, voters, totalBytes, crc32, offset, data, done, Set.of());
    }

    public long endOffset() {
      return offset + data.length;
    }

    @Override
    public String toString() {
      return "InstallSnapshot(t" + term + " from " + from + " @" + lastIncludedIndex + "/t" + lastIncludedTerm
          + " bytes " + offset + ".." + endOffset() + " of " + totalBytes + (done ? " done" : "") + ")";
    }
  }

  /**
   * Leadership transfer (dissertation section 3.10): the leader has brought this voter's log up to date and tells it
   * to campaign now, without waiting for its election timeout and without a pre-vote.
   */
  record TimeoutNow(long term, String from) implements PeerMessage {}

  /**
   * The answer to an InstallSnapshot chunk for the snapshot at {@code lastIncludedIndex}. {@code nextOffset} is how
   * many bytes of it the follower holds in order: the leader resumes from there. {@code installed} says the snapshot
   * (or a later state) is in place and the follower's log matches up to {@code lastIncludedIndex}. {@code restart}
   * says the follower dropped what it had (a checksum mismatch or a gap it cannot fill): send again from offset 0.
   */
  record InstallSnapshotReply(
      long term, String from, long lastIncludedIndex, long nextOffset, boolean installed, boolean restart)
      implements PeerMessage {

    static InstallSnapshotReply progress(long term, String from, long lastIncludedIndex, long nextOffset) {
      return new InstallSnapshotReply(term, from, lastIncludedIndex, nextOffset, false, false);
    }

    static InstallSnapshotReply installed(long term, String from, long lastIncludedIndex) {
      return new InstallSnapshotReply(term, from, lastIncludedIndex, 0, true, false);
    }

    static InstallSnapshotReply restart(long term, String from, long lastIncludedIndex) {
      return new InstallSnapshotReply(term, from, lastIncludedIndex, 0, false, true);
    }
  }
}
