package io.raftring.admission;

/**
 * A token bucket: {@code ratePerSecond} tokens accrue per second up to {@code burst}; each request takes one. Time
 * comes from the caller (nanoseconds of a monotonic clock), so the arithmetic is testable without waiting.
 * Thread-safe; a refused request costs a lock and a few multiplications.
 */
public final class TokenBucket {

  private final double ratePerNano;
  private final double burst;
  private double tokens;
  private long lastRefillNanos;
  private long lastUsedNanos;

  public TokenBucket(double ratePerSecond, double burst, long nowNanos) {
    if (ratePerSecond <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate must be positive and burst at least 1");
    }
    this.ratePerNano = ratePerSecond / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.lastRefillNanos = nowNanos;
    this.lastUsedNanos = nowNanos;
  }

  /** Takes a token if one is there: returns 0, or else how many nanoseconds until one will be. */
  public synchronized long tryTake(long nowNanos) {
    refill(nowNanos);
    lastUsedNanos = nowNanos;
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return (long) Math.ceil((1 - tokens) / ratePerNano);
  }

  /** When this bucket was last asked for a token (to forget idle clients). */
  public synchronized long lastUsedNanos() {
    return lastUsedNanos;
  }

  private void refill(long nowNanos) {
    long elapsed = nowNanos - lastRefillNanos;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerNano);
      lastRefillNanos = nowNanos;
    }
  }
}
