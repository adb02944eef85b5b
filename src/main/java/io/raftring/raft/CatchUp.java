package io.raftring.raft;

/**
 * Whether a learner has caught up with the leader (dissertation section 4.2.1): replication proceeds in rounds; each
 * round replicates everything in the leader's log when the round started. When a round completes within one election
 * timeout, the learner is "within one round" of the leader and may be promoted without making the group unavailable
 * for long. A round that took longer starts the next one at the leader's current last index.
 */
public final class CatchUp {

  private final long maxRoundNanos;
  private long roundTarget;
  private long roundStartNanos;
  private boolean caughtUp;
  private int rounds;

  /** Tracking starts with a round ending at {@code leaderLastIndex}, at time {@code nowNanos}. */
  public CatchUp(long leaderLastIndex, long nowNanos, long maxRoundNanos) {
    this.maxRoundNanos = maxRoundNanos;
    this.roundTarget = leaderLastIndex;
    this.roundStartNanos = nowNanos;
  }

  /**
   * The learner now stores everything up to {@code matchIndex}; the leader's log ends at {@code leaderLastIndex}.
   * Returns whether the learner is caught up.
   */
  public boolean onProgress(long matchIndex, long leaderLastIndex, long nowNanos) {
    if (matchIndex < roundTarget) {
      return caughtUp;
    }
    rounds++;
    caughtUp = nowNanos - roundStartNanos <= maxRoundNanos;
    roundTarget = leaderLastIndex;
    roundStartNanos = nowNanos;
    return caughtUp;
  }

  public boolean caughtUp() {
    return caughtUp;
  }

  /** Rounds completed so far. */
  public int rounds() {
    return rounds;
  }

  @Override
  public String toString() {
    return "CatchUp(rounds=" + rounds + ", target=" + roundTarget + (caughtUp ? ", caught up)" : ")");
  }
}
