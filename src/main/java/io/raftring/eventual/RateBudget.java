package io.raftring.eventual;

import java.util.function.LongSupplier;

/**
 * Bytes per second that background repair (anti-entropy, hinted handoff) may move, so it cannot starve foreground
 * traffic. A transfer may go ahead whenever the budget is not in debt, and then takes its whole size, possibly into
 * debt: a value larger than a second's budget still moves, after which the budget waits until the debt is paid off.
 * Time comes from the caller's clock (nanoseconds), so tests need no waiting. Thread-safe.
 */
final class RateBudget {

  private final double bytesPerNano;
  private final double burst;
  private final LongSupplier nanos;
  private double available;
  private long last;

  RateBudget(long bytesPerSecond, LongSupplier nanos) {
    if (bytesPerSecond < 1) {
      throw new IllegalArgumentException("a rate budget must be at least 1 byte/s, was " + bytesPerSecond);
    }
    this.bytesPerNano = bytesPerSecond / 1e9;
    this.burst = bytesPerSecond;
    this.nanos = nanos;
    this.last = nanos.getAsLong();
    this.available = burst;
  }

  /** Takes {@code bytes} if the budget is not in debt; false (nothing taken) if it is. */
  synchronized boolean tryTake(long bytes) {
    refill();
    if (available <= 0) {
      return false;
    }
    available -= bytes;
    return true;
  }

  /** Takes {@code bytes} whatever is left (for bytes already moved whose size was not known before). */
  synchronized void spend(long bytes) {
    refill();
    available -= bytes;
  }

  private void refill() {
    long now = nanos.getAsLong();
    available = Math.min(burst, available + (now - last) * bytesPerNano);
    last = now;
  }
}
