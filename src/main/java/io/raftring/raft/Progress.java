package io.raftring.raft;

import java.util.ArrayDeque;

/**
 * What a leader knows about one follower's log (etcd's tracker/progress.go): the next index to send, the highest
 * index known to match, and the appends in flight.
 *
 * <p>In PROBE the leader does not yet know where the logs match and sends one append at a time; in REPLICATE it
 * streams appends optimistically, at most {@code maxInflight} unacknowledged; in SNAPSHOT the follower needs entries
 * the leader has compacted away, so it sends its snapshot (InstallSnapshot) and no appends until that is installed.
 */
public final class Progress {

  public enum Mode {
    PROBE,
    REPLICATE,
    SNAPSHOT
  }

  private final int maxInflight;
  private long nextIndex;
  private long matchIndex;
  private Mode mode = Mode.PROBE;
  /** Last index of each append sent in REPLICATE and not acknowledged yet, oldest first. */
  private final ArrayDeque<Long> inflight = new ArrayDeque<>();
  /** Whether an append was sent in PROBE and not answered yet. */
  private boolean probeSent;
  /** Whether the follower answered anything since the leader last checked (check-quorum and stall detection). */
  private boolean recentlyActive;
  /** Whether the follower answered anything since the leader's last heartbeat (stall detection). */
  private boolean answeredSinceHeartbeat;
  /** The highest heartbeat round the follower has echoed back. */
  private long ackedRound;
  /** In SNAPSHOT: the last index the snapshot being sent covers. */
  private long pendingSnapshotIndex;

  public Progress(long nextIndex, int maxInflight) {
    if (maxInflight < 1) {
      throw new IllegalArgumentException("maxInflight must be at least 1, got " + maxInflight);
    }
    this.nextIndex = Math.max(1, nextIndex);
    this.maxInflight = maxInflight;
  }

  public long nextIndex() {
    return nextIndex;
  }

  public long matchIndex() {
    return matchIndex;
  }

  public Mode mode() {
    return mode;
  }

  /** Whether the leader may send another append now (flow control). */
  public boolean canSend() {
    return switch (mode) {
      case PROBE -> !probeSent;
      case REPLICATE -> inflight.size() < maxInflight;
      case SNAPSHOT -> false;
    };
  }

  public long pendingSnapshotIndex() {
    return pendingSnapshotIndex;
  }

  /** Records that an append ending at {@code lastIndex} was sent (lastIndex = prevIndex for an empty one). */
  public void onSent(long lastIndex) {
    if (mode == Mode.PROBE) {
      probeSent = true;
    } else if (lastIndex >= nextIndex) {
      inflight.addLast(lastIndex);
      nextIndex = lastIndex + 1;
    }
  }

  /**
   * The follower stored everything up to {@code index}. Returns whether that is news (the match index grew).
   * Stale acknowledgements (lower than what is known) change nothing but the liveness flag.
   */
  public boolean onAck(long index) {
    recentlyActive = true;
    answeredSinceHeartbeat = true;
    if (mode == Mode.SNAPSHOT) {
      // A heartbeat's answer during the transfer; only an index the snapshot would bring ends it (etcd does the same).
      boolean grew = index > matchIndex;
      matchIndex = Math.max(matchIndex, index);
      if (matchIndex >= pendingSnapshotIndex) {
        onSnapshotInstalled(matchIndex);
      }
      return grew;
    }
    probeSent = false;
    while (!inflight.isEmpty() && inflight.peekFirst() <= index) {
      inflight.removeFirst();
    }
    if (index <= matchIndex && mode == Mode.REPLICATE) {
      return false;
    }
    boolean grew = index > matchIndex;
    matchIndex = Math.max(matchIndex, index);
    nextIndex = Math.max(nextIndex, matchIndex + 1);
    mode = Mode.REPLICATE;
    return grew;
  }

  /**
   * The follower's log does not match at {@code rejectedPrevIndex}. Moves nextIndex back using the follower's hint:
   * past the whole conflicting term when the leader has no entry of it ({@code leaderLastIndexOfConflictTerm} = -1),
   * otherwise just after the leader's last entry of that term (section 5.3's optimization). Returns false when the
   * rejection is stale (answers an append older than the current probe) and was ignored.
   */
  public boolean onReject(
      long rejectedPrevIndex, long conflictIndex, long conflictTerm, long leaderLastIndexOfConflictTerm) {
    recentlyActive = true;
    answeredSinceHeartbeat = true;
    if (mode == Mode.SNAPSHOT) {
      return false;
    }
    if (rejectedPrevIndex <= matchIndex) {
      return false;
    }
    if (mode == Mode.PROBE && rejectedPrevIndex != nextIndex - 1) {
      return false;
    }
    long next = conflictTerm > 0 && leaderLastIndexOfConflictTerm > 0
        ? leaderLastIndexOfConflictTerm + 1
        : conflictIndex;
    // Never below what is known to match, never past the rejected point.
    nextIndex = Math.max(matchIndex + 1, Math.min(next, rejectedPrevIndex));
    becomeProbe();
    return true;
  }

  /** The follower needs entries up to {@code snapshotIndex} that only the leader's snapshot holds: send that. */
  public void becomeSnapshot(long snapshotIndex) {
    mode = Mode.SNAPSHOT;
    pendingSnapshotIndex = snapshotIndex;
    probeSent = false;
    inflight.clear();
  }

  /**
   * The follower installed a snapshot up to {@code index} (or holds that much already): its log matches there, so
   * the leader streams entries from the next index. Returns whether the match index grew.
   */
  public boolean onSnapshotInstalled(long index) {
    recentlyActive = true;
    answeredSinceHeartbeat = true;
    boolean grew = index > matchIndex;
    matchIndex = Math.max(matchIndex, index);
    nextIndex = matchIndex + 1;
    pendingSnapshotIndex = 0;
    mode = Mode.REPLICATE;
    probeSent = false;
    inflight.clear();
    return grew;
  }

  /** The transfer cannot go on (e.g. the snapshot file went away): probe again, which starts a new one if needed. */
  public void abortSnapshot() {
    pendingSnapshotIndex = 0;
    nextIndex = matchIndex + 1;
    becomeProbe();
  }

  /** The follower answered something (an InstallSnapshot chunk): it is alive, for check-quorum. */
  public void markActive() {
    recentlyActive = true;
    answeredSinceHeartbeat = true;
  }

  /** Falls back to probing from the last known match, e.g. when acknowledgements stopped coming. */
  public void becomeProbe() {
    mode = Mode.PROBE;
    probeSent = false;
    inflight.clear();
  }

  /** Restarts streaming from the last known match: appends in flight are presumed lost. */
  public void resendFromMatch() {
    inflight.clear();
    probeSent = false;
    nextIndex = matchIndex + 1;
  }

  /** The follower answered a message of heartbeat round {@code round} in the leader's term. */
  public void onRoundAcked(long round) {
    ackedRound = Math.max(ackedRound, round);
  }

  public long ackedRound() {
    return ackedRound;
  }

  /** Whether the follower answered since the last heartbeat, without resetting it. */
  public boolean answeredSinceHeartbeat() {
    return answeredSinceHeartbeat;
  }

  /**
   * Whether the follower answered since the last call: appends in flight that drew no answer for a whole heartbeat
   * interval are presumed lost; a full window whose answers are still coming is just busy.
   */
  public boolean takeAnsweredSinceHeartbeat() {
    boolean was = answeredSinceHeartbeat;
    answeredSinceHeartbeat = false;
    return was;
  }

  public boolean takeRecentlyActive() {
    boolean was = recentlyActive;
    recentlyActive = false;
    return was;
  }

  @Override
  public String toString() {
    return "Progress(" + mode + " next=" + nextIndex + " match=" + matchIndex + " inflight=" + inflight.size() + ")";
  }
}
