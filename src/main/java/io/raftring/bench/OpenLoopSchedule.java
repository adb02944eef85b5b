package io.raftring.bench;

/**
 * The open-loop plan: request {@code i} is meant to start at {@code startNanos + i / rate}, whatever happened to the
 * requests before it. Latency is measured from that intended start, not from when the request was actually sent, so
 * a stall in the server (or in the tool) shows up in the latency of every request that should have been sent during
 * it: coordinated omission does not hide the queueing.
 */
public record OpenLoopSchedule(long startNanos, double ratePerSecond) {

  public OpenLoopSchedule {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be a positive number of requests per second, was " + ratePerSecond);
    }
  }

  public double periodNanos() {
    return 1e9 / ratePerSecond;
  }

  /** When request {@code sequence} (0-based) is meant to start. */
  public long intendedStartNanos(long sequence) {
    return startNanos + (long) Math.floor(sequence * periodNanos());
  }

  /** The latency of request {@code sequence} that completed at {@code completedNanos}. */
  public long latencyNanos(long sequence, long completedNanos) {
    return completedNanos - intendedStartNanos(sequence);
  }

  /** How many requests are meant to start in [startNanos, endNanos). */
  public long requestsBefore(long endNanos) {
    if (endNanos <= startNanos) {
      return 0;
    }
    return (long) Math.ceil((endNanos - startNanos) / periodNanos());
  }
}
