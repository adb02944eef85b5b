package io.raftring.raft;

/**
 * Notices a leader's heartbeats that fire more than twice their interval after the last one, etcd's sign of an
 * overloaded leader ("failed to send out heartbeat on time"): the replica's thread waited, and past the election
 * timeout its followers campaign. Says when to warn: at the first late beat, then at most once per {@code tellEvery},
 * with how many more were late in between, so a node that stays overloaded does not flood its log.
 */
final class LateHeartbeats {

  /** A late beat to warn of: how long after the previous one it fired, and the late ones not told of before it. */
  record Late(long gapNanos, int untoldBefore) {}

  private final long intervalNanos;
  private final long tellEveryNanos;
  private long lastBeatNanos;
  private int untold;
  private long toldNanos;
  private boolean toldAny;

  LateHeartbeats(long intervalNanos, long tellEveryNanos) {
    this.intervalNanos = intervalNanos;
    this.tellEveryNanos = tellEveryNanos;
  }

  /** The heartbeat timer starts; its first beat is due at {@code firstBeatNanos}. */
  void started(long firstBeatNanos) {
    lastBeatNanos = firstBeatNanos - intervalNanos;
  }

  /** The heartbeat fired at {@code nowNanos}: the late beat to warn of, or null. */
  Late fired(long nowNanos) {
    long gap = nowNanos - lastBeatNanos;
    lastBeatNanos = nowNanos;
    if (gap <= 2 * intervalNanos) {
      return null;
    }
    if (toldAny && nowNanos - toldNanos < tellEveryNanos) {
      untold++;
      return null;
    }
    Late late = new Late(gap, untold);
    toldAny = true;
    toldNanos = nowNanos;
    untold = 0;
    return late;
  }
}
