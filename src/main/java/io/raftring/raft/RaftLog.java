package io.raftring.raft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A replica's log in memory: entries 1..lastIndex, the rules that compare it with a leader's (Log Matching,
 * section 5.3) and the truncate-then-append that a follower uses to overwrite conflicting entries.
 *
 * <p>Index 0 is the empty prefix with term 0, so every log "matches" at index 0.
 */
public final class RaftLog {

  private final ArrayList<LogEntry> entries = new ArrayList<>();

  public long lastIndex() {
    return entries.size();
  }

  public long lastTerm() {
    return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).term();
  }

  /** The term of the entry at {@code index}, 0 for index 0, or -1 when the log has no such entry. */
  public long termAt(long index) {
    if (index == 0) {
      return 0;
    }
    if (index < 0 || index > lastIndex()) {
      return -1;
    }
    return entries.get((int) (index - 1)).term();
  }

  public LogEntry entryAt(long index) {
    if (index < 1 || index > lastIndex()) {
      throw new IndexOutOfBoundsException("no entry at " + index + "; last index is " + lastIndex());
    }
    return entries.get((int) (index - 1));
  }

  /** The consistency check of AppendEntries: does this log hold an entry at prevIndex with prevTerm? */
  public boolean matches(long prevIndex, long prevTerm) {
    return termAt(prevIndex) == prevTerm;
  }

  /**
   * The index from which {@code incoming} (which starts right after a matching prevIndex) differs from this log: the
   * first entry this log lacks or holds with another term. Returns -1 when this log already holds all of them, so a
   * delayed duplicate AppendEntries never truncates anything.
   */
  public long firstNewIndex(List<LogEntry> incoming) {
    for (LogEntry e : incoming) {
      if (termAt(e.index()) != e.term()) {
        return e.index();
      }
    }
    return -1;
  }

  /**
   * Removes every entry at or after {@code startIndex} and appends {@code newEntries} there. The caller has checked
   * that the entries are contiguous from startIndex; this only re-checks, since a gap would corrupt the log.
   */
  public void truncateAndAppend(long startIndex, List<LogEntry> newEntries) {
    if (startIndex < 1 || startIndex > lastIndex() + 1) {
      throw new IllegalArgumentException(
          "cannot append at " + startIndex + " to a log whose last index is " + lastIndex());
    }
    long expected = startIndex;
    for (LogEntry e : newEntries) {
      if (e.index() != expected++) {
        throw new IllegalArgumentException("entries not contiguous from " + startIndex + ": " + newEntries);
      }
    }
    entries.subList((int) (startIndex - 1), entries.size()).clear();
    entries.addAll(newEntries);
  }

  /** Entries from {@code fromIndex} on, at most {@code maxCount} of them and (after the first) at most maxBytes. */
  public List<LogEntry> slice(long fromIndex, int maxCount, long maxBytes) {
    if (fromIndex > lastIndex() || maxCount <= 0) {
      return List.of();
    }
    int from = (int) (fromIndex - 1);
    int to = from;
    long bytes = 0;
    while (to < entries.size() && to - from < maxCount) {
      int size = entries.get(to).sizeBytes();
      if (to > from && bytes + size > maxBytes) {
        break;
      }
      bytes += size;
      to++;
    }
    return List.copyOf(entries.subList(from, to));
  }

  /** The first index holding {@code term}, given that {@code index} holds it: where a follower's conflict starts. */
  public long firstIndexOfTerm(long term, long index) {
    long i = index;
    while (i > 1 && termAt(i - 1) == term) {
      i--;
    }
    return i;
  }

  /** The last index holding {@code term}, or -1 if this log has no entry of that term. */
  public long lastIndexOfTerm(long term) {
    for (long i = lastIndex(); i >= 1; i--) {
      long t = termAt(i);
      if (t == term) {
        return i;
      }
      if (t < term) {
        return -1;
      }
    }
    return -1;
  }

  public List<LogEntry> entries() {
    return Collections.unmodifiableList(entries);
  }
}
