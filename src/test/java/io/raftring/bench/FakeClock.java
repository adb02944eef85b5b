package io.raftring.bench;

/**
 * A clock that moves only when told, or when the code under test sleeps: {@code sleepUntil} jumps straight to the
 * deadline. One pause can be injected: the first sleep whose deadline reaches {@code pauseAtNanos} overshoots it by
 * {@code pauseNanos}, like a GC pause or a descheduled thread.
 */
final class FakeClock implements BenchClock {

  private long now;
  private long pauseAtNanos = Long.MAX_VALUE;
  private long pauseNanos;

  FakeClock(long startNanos) {
    this.now = startNanos;
  }

  void pauseOnceAt(long atNanos, long lengthNanos) {
    this.pauseAtNanos = atNanos;
    this.pauseNanos = lengthNanos;
  }

  void advance(long nanos) {
    now += nanos;
  }

  @Override
  public synchronized long nanoTime() {
    return now;
  }

  @Override
  public synchronized void sleepUntil(long deadlineNanos) {
    if (deadlineNanos > now) {
      now = deadlineNanos;
    }
    if (deadlineNanos >= pauseAtNanos) {
      now += pauseNanos;
      pauseAtNanos = Long.MAX_VALUE;
    }
  }
}
