package io.raftring.metrics;

import java.util.OptionalDouble;

/**
 * A quantile estimated from a histogram's bucket counts the way Prometheus' {@code histogram_quantile} does: find the
 * bucket the rank falls in and interpolate linearly inside it, the lowest bucket starting at zero. A rank in the
 * +Inf bucket answers the highest finite bound, since nothing is known above it. The answer is only as fine as the
 * buckets: with {@link Histogram#LATENCY_BUCKETS_SECONDS} a p99 between 10 and 25 ms is a guess within that range.
 */
public final class HistogramQuantile {

  private HistogramQuantile() {}

  /**
   * @param upperBounds the finite upper bounds, ascending
   * @param counts      per bucket, not cumulative, one more than {@code upperBounds} (the +Inf bucket last)
   * @param q           the quantile, in (0, 1]
   * @return the estimate, in the bounds' unit; empty when the buckets hold no observation
   */
  public static OptionalDouble estimate(double[] upperBounds, long[] counts, double q) {
    if (!(q > 0 && q <= 1)) {
      throw new IllegalArgumentException("quantile must be in (0, 1], was " + q);
    }
    if (counts.length != upperBounds.length + 1) {
      throw new IllegalArgumentException(
          counts.length + " bucket counts for " + upperBounds.length + " bounds; expected one more (+Inf)");
    }
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total == 0) {
      return OptionalDouble.empty();
    }
    double rank = q * total;
    long below = 0;
    for (int i = 0; i < upperBounds.length; i++) {
      if (below + counts[i] >= rank && counts[i] > 0) {
        double lower = i == 0 ? 0 : upperBounds[i - 1];
        return OptionalDouble.of(lower + (upperBounds[i] - lower) * (rank - below) / counts[i]);
      }
      below += counts[i];
    }
    return OptionalDouble.of(upperBounds[upperBounds.length - 1]);
  }
}
