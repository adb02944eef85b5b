package io.raftring.dashboard;

import io.raftring.metrics.HistogramQuantile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The last few minutes of one node's KV traffic, one {@link RequestSample} per interval, made from the cumulative
 * counters the node keeps anyway ({@link RequestTotals}): the difference between two readings is what happened in
 * between. Nothing is recorded per request, so keeping the series costs the request path nothing.
 *
 * <p>Pure and single-threaded (one actor owns it).
 */
public final class RequestSeries {

  private final int capacity;
  private final Deque<RequestSample> samples = new ArrayDeque<>();
  private RequestTotals previous;
  private long previousSecond;

  /** @param capacity how many samples to keep; older ones are dropped */
  public RequestSeries(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
    }
    this.capacity = capacity;
  }

  /**
   * Reads the totals at {@code epochSecond}: the first reading only sets the baseline; each later one adds a sample
   * covering the seconds since the previous reading. A reading within the same second as the previous one is ignored
   * (the next covers it), and totals that went down (counters replaced) start a new baseline.
   */
  public void record(long epochSecond, RequestTotals totals) {
    if (previous != null && epochSecond <= previousSecond) {
      return;
    }
    if (previous != null && totals.requests() >= previous.requests()) {
      samples.addLast(sample(previous, totals, epochSecond, epochSecond - previousSecond));
      while (samples.size() > capacity) {
        samples.removeFirst();
      }
    }
    previous = totals;
    previousSecond = epochSecond;
  }

  /** The samples ending after {@code epochSecond}, oldest first. */
  public List<RequestSample> since(long epochSecond) {
    List<RequestSample> newer = new ArrayList<>();
    for (RequestSample s : samples) {
      if (s.epochSecond() > epochSecond) {
        newer.add(s);
      }
    }
    return newer;
  }

  private static RequestSample sample(RequestTotals before, RequestTotals after, long epochSecond, long seconds) {
    double perSecond = 1.0 / seconds;
    Map<String, Double> errors = new TreeMap<>();
    after.errorsByCode().forEach((code, count) -> {
      long delta = count - before.errorsByCode().getOrDefault(code, 0L);
      if (delta > 0) {
        errors.put(code, delta * perSecond);
      }
    });
    long[] buckets = new long[after.latencyBuckets().length];
    for (int i = 0; i < buckets.length; i++) {
      buckets[i] = Math.max(0, after.latencyBuckets()[i] - before.latencyBuckets()[i]);
    }
    double[] bounds = after.latencyUpperBoundsSeconds();
    return new RequestSample(epochSecond, (after.requests() - before.requests()) * perSecond, errors,
        millis(HistogramQuantile.estimate(bounds, buckets, 0.5)),
        millis(HistogramQuantile.estimate(bounds, buckets, 0.99)));
  }

  private static Double millis(OptionalDouble seconds) {
    return seconds.isPresent() ? seconds.getAsDouble() * 1000 : null;
  }
}
