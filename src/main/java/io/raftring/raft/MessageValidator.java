package io.raftring.raft;

import io.raftring.raft.PeerMessage.AppendEntries;
import io.raftring.raft.PeerMessage.AppendEntriesReply;
import io.raftring.raft.PeerMessage.InstallSnapshot;
import io.raftring.raft.PeerMessage.InstallSnapshotReply;
import io.raftring.raft.PeerMessage.RequestVote;

/**
 * Checks that a peer message is well formed before it can change anything: a negative term or index, an entry batch
 * with gaps or terms out of order, or a batch over the size limits is dropped with a logged reason. Public so that the
 * simulation can check that correct cores never send such a message.
 */
public final class MessageValidator {

  private MessageValidator() {}

  /** The problem with {@code m}, or null when it is well formed. */
  public static String problem(PeerMessage m, RaftSettings settings) {
    if (m.term() < 0) {
      return "negative term " + m.term();
    }
    if (m.from() == null || m.from().isEmpty()) {
      return "no sender";
    }
    if (m instanceof RequestVote v) {
      if (v.lastLogIndex() < 0 || v.lastLogTerm() < 0 || v.lastLogTerm() > v.term()) {
        return "bad last log position " + v.lastLogIndex() + "/" + v.lastLogTerm() + " for term " + v.term();
      }
    } else if (m instanceof AppendEntries a) {
      return appendProblem(a, settings);
    } else if (m instanceof AppendEntriesReply r) {
      if (r.matchIndex() < 0 || r.rejectedPrevIndex() < 0 || r.conflictIndex() < 0 || r.conflictTerm() < 0) {
        return "negative index in reply";
      }
    } else if (m instanceof InstallSnapshot i) {
      return installProblem(i);
    } else if (m instanceof InstallSnapshotReply r) {
      if (r.lastIncludedIndex() < 1 || r.nextOffset() < 0) {
        return "bad snapshot position in reply";
      }
    }
    return null;
  }

  private static String installProblem(InstallSnapshot i) {
    if (i.lastIncludedIndex() < 1 || i.lastIncludedTerm() < 1 || i.lastIncludedTerm() > i.term()) {
      return "bad snapshot position " + i.lastIncludedIndex() + "/" + i.lastIncludedTerm() + " for term " + i.term();
    }
    if (i.voters() == null || i.voters().isEmpty() || i.data() == null) {
      return "no voters or no data";
    }
    if (i.data().length > RaftSettings.MAX_SNAPSHOT_CHUNK_BYTES) {
      return "chunk of " + i.data().length + " bytes, over the limit of " + RaftSettings.MAX_SNAPSHOT_CHUNK_BYTES;
    }
    if (i.offset() < 0 || i.totalBytes() < 0 || i.endOffset() > i.totalBytes()
        || (i.done() && i.endOffset() != i.totalBytes())) {
      return "chunk " + i.offset() + ".." + i.endOffset() + " does not fit a snapshot of " + i.totalBytes() + " bytes";
    }
    return null;
  }

  private static String appendProblem(AppendEntries a, RaftSettings settings) {
    if (a.prevLogIndex() < 0 || a.prevLogTerm() < 0 || a.leaderCommit() < 0) {
      return "negative prevLogIndex, prevLogTerm or leaderCommit";
    }
    if (a.prevLogTerm() > a.term()) {
      return "prevLogTerm " + a.prevLogTerm() + " above the leader's term " + a.term();
    }
    if (a.entries() == null) {
      return "no entry list";
    }
    if (a.entries().size() > settings.maxEntriesPerAppend()) {
      return a.entries().size() + " entries, over the limit of " + settings.maxEntriesPerAppend();
    }
    long expectedIndex = a.prevLogIndex() + 1;
    long previousTerm = a.prevLogTerm();
    long bytes = 0;
    for (LogEntry e : a.entries()) {
      if (e == null) {
        return "null entry";
      }
      if (e.index() != expectedIndex) {
        return "entry index " + e.index() + " where " + expectedIndex + " was expected (gap or disorder)";
      }
      if (e.term() < previousTerm || e.term() > a.term()) {
        return "entry " + e.index() + " has term " + e.term() + ", out of order or above the leader's term";
      }
      bytes += e.sizeBytes();
      expectedIndex++;
      previousTerm = e.term();
    }
    if (a.entries().size() > 1 && bytes > settings.maxBytesPerAppend()) {
      return bytes + " bytes of entries, over the limit of " + settings.maxBytesPerAppend();
    }
    return null;
  }
}
