package io.raftring.dashboard;

import java.util.Map;

/**
 * A node's KV requests since it started, as its HTTP metrics count them: answers, error answers by error code, and
 * the latency histogram's buckets (not cumulative; the last one above the highest bound). {@link RequestSeries} turns
 * two of these a second apart into one {@link RequestSample}.
 */
public record RequestTotals(
    long requests, Map<String, Long> errorsByCode, double[] latencyUpperBoundsSeconds, long[] latencyBuckets) {

  public RequestTotals {
    errorsByCode = Map.copyOf(errorsByCode);
    if (latencyBuckets.length != latencyUpperBoundsSeconds.length + 1) {
      throw new IllegalArgumentException("latencyBuckets must have one more element than the bounds (+Inf)");
    }
  }
}
