package io.raftring.raft;

import com.fasterxml.jackson.annotation.JsonCreator;
import java.util.List;

/** The messages replicas of one group send each other (section 5, Figure 2). Every one carries the sender's term. */
public sealed interface PeerMessage extends RaftReplica.Command {

  long term();

  /** The node that sent it: where the answer goes. */
  String from();

  /**
   * RequestVote. With {@code preVote} set it only asks "would you vote for me at {@code term}?" and changes nothing on
   * the voter (dissertation section 9.6).
   */
  record RequestVote(long term, String from, long lastLogIndex, long lastLogTerm, boolean preVote)
      implements PeerMessage {}

  record RequestVoteReply(long term, String from, boolean granted, boolean preVote) implements PeerMessage {}

  /**
   * AppendEntries; with no entries it is a heartbeat that still carries the consistency check and leaderCommit.
   * {@code round} numbers the leader's heartbeat rounds: the follower echoes it, so the leader knows which of its
   * messages a majority has seen (ReadIndex confirmation and the read lease).
   */
  record AppendEntries(
      long term,
      String from,
      long prevLogIndex,
      long prevLogTerm,
      List<LogEntry> entries,
      long leaderCommit,
      long round)
      implements PeerMessage {

    @JsonCreator
    public AppendEntries {}

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
}
