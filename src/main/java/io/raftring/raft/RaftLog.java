package io.raftring.raft;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replica's log in memory: the entries after its latest snapshot, the rules that compare it with a leader's (Log
 * Matching, section 5.3) and the truncate-then-append that a follower uses to overwrite conflicting entries.
 *
 * <p>Entries up to {@link #snapshotIndex()} were compacted into a snapshot (section 7): they are gone, but the index
 * and term of the last of them are kept, so that the consistency check of the first entry after it still works. Index
 * 0 is the empty prefix with term 0 and the initial snapshot point, so every log "matches" at index 0.
 *
 * <p>The log also knows the group's configuration (dissertation section 4.1): the latest CONFIG entry it holds,
 * committed or not, else its snapshot's, else the bootstrap one; truncating a CONFIG entry brings back the one before.
 *
 * <p>And it knows how much of itself is durable (etcd's log_unstable.go): entries from {@link #persistFrom()} on have
 * not been handed to storage yet, and up to {@link #stableIndex()} it equals what storage holds. Storage writes
 * complete in order, so a write that ends at (index, term) which this log still holds proves everything up to there
 * durable (Log Matching); a write overtaken by a truncation proves nothing and the next write will.
 */
public final class RaftLog {

  private final ArrayList<LogEntry> entries = new ArrayList<>();
  /** The index of the last entry covered by the snapshot; entries hold snapshotIndex + 1 onwards. */
  private long snapshotIndex;
  private long snapshotTerm;
  /** Sum of {@link LogEntry#sizeBytes()} over the entries held (what a snapshot would free). */
  private long sizeBytes;
  /** The configuration given at creation: in force while neither the log nor a snapshot holds one. */
  private final Configuration bootstrap;
  /** The configuration in force at the snapshot point; null before the first snapshot. */
  private Configuration snapshotConfiguration;
  /** The CONFIG entries held (after the snapshot), by index: the latest is the configuration in force. */
  private final TreeMap<Long, Configuration> configEntries = new TreeMap<>();
  /** The first index not yet handed to storage; lastIndex() + 1 when everything was handed over. */
  private long persistFrom = 1;
  /** Up to this index the log equals the durable one. */
  private long stableIndex;

  /** An empty log of a replica that learns its configuration from a leader. */
  public RaftLog() {
    this(Configuration.EMPTY);
  }

  /** An empty log of a group that starts with the configuration {@code bootstrap}. */
  public RaftLog(Configuration bootstrap) {
    this.bootstrap = bootstrap;
  }

  public long snapshotIndex() {
    return snapshotIndex;
  }

  public long snapshotTerm() {
    return snapshotTerm;
  }

  /** The first index still held as an entry. */
  public long firstIndex() {
    return snapshotIndex + 1;
  }

  public long lastIndex() {
    return snapshotIndex + entries.size();
  }

  public long lastTerm() {
    return entries.isEmpty() ? snapshotTerm : entries.get(entries.size() - 1).term();
  }

  /** Bytes of the entries held since the snapshot. */
  public long sizeBytes() {
    return sizeBytes;
  }

  /**
   * The term of the entry at {@code index}: 0 for index 0, the snapshot's term for its last included index, or -1
   * when the log has no such entry (beyond its end, or compacted into the snapshot).
   */
  public long termAt(long index) {
    if (index == snapshotIndex) {
      return snapshotTerm;
    }
    if (index < snapshotIndex || index > lastIndex()) {
      return -1;
    }
    return entries.get(offset(index)).term();
  }

  public LogEntry entryAt(long index) {
    if (index <= snapshotIndex || index > lastIndex()) {
      throw new IndexOutOfBoundsException("no entry at " + index + "; the log holds " + firstIndex() + ".."
          + lastIndex());
    }
    return entries.get(offset(index));
  }

  /**
   * The consistency check of AppendEntries: does this log hold an entry at prevIndex with prevTerm? Indexes covered by
   * the snapshot match: they were committed, and every leader holds exactly the committed entries (Leader
   * Completeness), so whatever the leader says is there is there.
   */
  public boolean matches(long prevIndex, long prevTerm) {
    if (prevIndex < snapshotIndex) {
      return true;
    }
    return termAt(prevIndex) == prevTerm;
  }

  /**
   * The index from which {@code incoming} (which starts right after a matching prevIndex) differs from this log: the
   * first entry this log lacks or holds with another term. Entries covered by the snapshot are held (they are
   * committed). Returns -1 when this log already holds all of them, so a delayed duplicate AppendEntries never
   * truncates anything.
   */
  public long firstNewIndex(List<LogEntry> incoming) {
    for (LogEntry e : incoming) {
      if (e.index() <= snapshotIndex) {
        continue;
      }
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
    if (startIndex <= snapshotIndex || startIndex > lastIndex() + 1) {
      throw new IllegalArgumentException("cannot append at " + startIndex + " to a log holding " + firstIndex() + ".."
          + lastIndex());
    }
    long expected = startIndex;
    for (LogEntry e : newEntries) {
      if (e.index() != expected++) {
        throw new IllegalArgumentException("entries not contiguous from " + startIndex + ": " + newEntries);
      }
    }
    List<LogEntry> removed = entries.subList(offset(startIndex), entries.size());
    for (LogEntry e : removed) {
      sizeBytes -= e.sizeBytes();
    }
    removed.clear();
    // A configuration entry that was overwritten no longer counts: the one before it is in force again.
    configEntries.tailMap(startIndex, true).clear();
    for (LogEntry e : newEntries) {
      sizeBytes += e.sizeBytes();
      if (e.kind() == LogEntry.Kind.CONFIG) {
        configEntries.put(e.index(), e.configuration());
      }
    }
    entries.addAll(newEntries);
    persistFrom = Math.min(persistFrom, startIndex);
    stableIndex = Math.min(stableIndex, startIndex - 1);
  }

  /**
   * Section 7: a snapshot now covers everything up to {@code index}, whose term is {@code term}. If this log holds
   * that very entry, the entries after it are kept (a snapshot of this replica's own state, or an installed one that
   * this log already extends); otherwise the whole log is discarded, since the snapshot supersedes it. A snapshot at
   * or below the current one changes nothing.
   */
  public void compactTo(long index, long term) {
    if (index <= snapshotIndex) {
      return;
    }
    if (index <= lastIndex() && termAt(index) == term) {
      List<LogEntry> covered = entries.subList(0, offset(index) + 1);
      for (LogEntry e : covered) {
        sizeBytes -= e.sizeBytes();
      }
      covered.clear();
    } else {
      entries.clear();
      sizeBytes = 0;
      configEntries.clear();
      stableIndex = Math.min(stableIndex, index);
    }
    entries.trimToSize();
    snapshotIndex = index;
    snapshotTerm = term;
    configEntries.headMap(index, true).clear();
    // What the snapshot covers goes to storage with the snapshot's record, not as entries.
    persistFrom = Math.max(persistFrom, index + 1);
  }

  /**
   * Section 7: {@code snapshot} now covers the log up to its last included index, and its configuration is the one
   * in force there. A snapshot at or below the current one changes nothing.
   */
  public void installSnapshot(SnapshotMeta snapshot) {
    if (snapshot.lastIncludedIndex() <= snapshotIndex) {
      return;
    }
    compactTo(snapshot.lastIncludedIndex(), snapshot.lastIncludedTerm());
    snapshotConfiguration = snapshot.configuration();
  }

  // ---- configuration (dissertation section 4.1) --------------------------------------------------------------------

  /** The configuration in force: the latest CONFIG entry held, committed or not, else the snapshot's or bootstrap. */
  public Configuration configuration() {
    return configEntries.isEmpty() ? configurationBelowEntries() : configEntries.lastEntry().getValue();
  }

  /** The index of the entry that set the configuration in force (the snapshot's index, or 0 for bootstrap). */
  public long configurationIndex() {
    if (!configEntries.isEmpty()) {
      return configEntries.lastKey();
    }
    return snapshotConfiguration == null ? 0 : snapshotIndex;
  }

  /** The configuration in force once the log up to {@code index} is applied (what a snapshot there records). */
  public Configuration configurationAt(long index) {
    Map.Entry<Long, Configuration> e = configEntries.floorEntry(index);
    return e == null ? configurationBelowEntries() : e.getValue();
  }

  private Configuration configurationBelowEntries() {
    return snapshotConfiguration == null ? bootstrap : snapshotConfiguration;
  }

  // ---- durability (etcd's unstable log) ----------------------------------------------------------------------------

  /** The first index not yet handed to storage (lastIndex() + 1 when there is none). */
  public long persistFrom() {
    return persistFrom;
  }

  /** The entries not yet handed to storage, oldest first; writing them from {@link #persistFrom()} truncates there. */
  public List<LogEntry> unpersisted() {
    return persistFrom > lastIndex() ? List.of() : List.copyOf(entries.subList(offset(persistFrom), entries.size()));
  }

  /** Everything the log holds is now on its way to storage. */
  public void handedToStorage() {
    persistFrom = lastIndex() + 1;
  }

  /** The whole log is durable as it stands (it was just recovered from storage). */
  public void markAllStable() {
    persistFrom = lastIndex() + 1;
    stableIndex = lastIndex();
  }

  /**
   * A storage write that ended at ({@code index}, {@code term}) completed. If this log still holds that entry, it
   * equals the durable log up to there; if a truncation overtook the write, nothing is proven until a later write.
   */
  public void stableTo(long index, long term) {
    if (index >= snapshotIndex && termAt(index) == term) {
      stableIndex = Math.max(stableIndex, index);
    }
  }

  /** Up to this index the log equals what storage holds. */
  public long stableIndex() {
    return stableIndex;
  }

  /**
   * Entries from {@code fromIndex} (above the snapshot) on, at most {@code maxCount} of them and (after the first) at
   * most maxBytes.
   */
  public List<LogEntry> slice(long fromIndex, int maxCount, long maxBytes) {
    if (fromIndex <= snapshotIndex) {
      throw new IndexOutOfBoundsException("entries up to " + snapshotIndex + " are compacted; asked from " + fromIndex);
    }
    if (fromIndex > lastIndex() || maxCount <= 0) {
      return List.of();
    }
    int from = offset(fromIndex);
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

  /**
   * The first index holding {@code term}, given that {@code index} holds it: where a follower's conflict starts. It
   * never reaches into the snapshot: the first entry after it is as far back as the hint goes.
   */
  public long firstIndexOfTerm(long term, long index) {
    long i = index;
    while (i > firstIndex() && termAt(i - 1) == term) {
      i--;
    }
    return i;
  }

  /** The last index holding {@code term} (the snapshot point included), or -1 if this log has no entry of that term. */
  public long lastIndexOfTerm(long term) {
    for (long i = lastIndex(); i >= snapshotIndex && i >= 1; i--) {
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

  /** The entries after the snapshot, oldest first. */
  public List<LogEntry> entries() {
    return Collections.unmodifiableList(entries);
  }

  private int offset(long index) {
    return (int) (index - snapshotIndex - 1);
  }
}
