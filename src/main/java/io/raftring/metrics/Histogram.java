package io.raftring.metrics;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * Observations counted into fixed buckets (upper bounds in seconds), with their sum and count. Scraped as
 * cumulative {@code _bucket{le="..."}} series ending with {@code le="+Inf"}, then {@code _sum} and {@code _count}.
 */
public final class Histogram extends MetricFamily<Histogram.Child> {

  /** Latency buckets from 0.5 ms to 10 s, for request and journal latencies (seconds). */
  public static final double[] LATENCY_BUCKETS_SECONDS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private final double[] upperBounds;
  private final String[] upperBoundLabels;

  Histogram(String name, String help, List<String> labelNames, double[] bucketsSeconds) {
    super(name, help, labelNames);
    if (bucketsSeconds.length == 0) {
      throw new IllegalArgumentException("histogram " + name + " needs at least one bucket");
    }
    for (int i = 0; i < bucketsSeconds.length; i++) {
      if (!Double.isFinite(bucketsSeconds[i]) || (i > 0 && bucketsSeconds[i] <= bucketsSeconds[i - 1])) {
        throw new IllegalArgumentException("histogram " + name + " buckets must be finite and strictly increasing");
      }
    }
    upperBounds = bucketsSeconds.clone();
    upperBoundLabels = new String[upperBounds.length + 1];
    for (int i = 0; i < upperBounds.length; i++) {
      upperBoundLabels[i] = java.math.BigDecimal.valueOf(upperBounds[i]).toPlainString();
    }
    upperBoundLabels[upperBounds.length] = "+Inf";
  }

  /** The buckets' upper bounds in seconds, ascending (without the last, +Inf, bucket). */
  public double[] upperBounds() {
    return upperBounds.clone();
  }

  /** The child for these label values (in the order of the label names); keep it on hot paths. */
  public Child labels(String... labelValues) {
    return child(labelValues, k -> new Child(upperBounds));
  }

  @Override
  String type() {
    return "histogram";
  }

  @Override
  boolean reservedLabel(String label) {
    return label.equals("le");
  }

  @Override
  boolean sameShapeAs(MetricFamily<?> other) {
    return super.sameShapeAs(other) && java.util.Arrays.equals(upperBounds, ((Histogram) other).upperBounds);
  }

  @Override
  void writeChild(List<String> labelValues, Child child, StringBuilder out) {
    long cumulative = 0;
    for (int i = 0; i < child.buckets.length; i++) {
      cumulative += child.buckets[i].sum();
      writeSample(name() + "_bucket", labelValues, "le", upperBoundLabels[i], Long.toString(cumulative), out);
    }
    // _count is the +Inf bucket read in the same pass, so the two always agree in one scrape.
    writeSample(name() + "_sum", labelValues, null, null, TextFormat.number(child.sum.sum()), out);
    writeSample(name() + "_count", labelValues, null, null, Long.toString(cumulative), out);
  }

  /** One histogram time series. */
  public static final class Child {
    private final double[] upperBounds;
    /** Non-cumulative: buckets[i] counts observations in (upperBounds[i-1], upperBounds[i]]; the last one +Inf. */
    private final LongAdder[] buckets;
    private final DoubleAdder sum = new DoubleAdder();

    Child(double[] upperBounds) {
      this.upperBounds = upperBounds;
      this.buckets = new LongAdder[upperBounds.length + 1];
      for (int i = 0; i < buckets.length; i++) {
        buckets[i] = new LongAdder();
      }
    }

    /** Records one observation, in seconds. */
    public void observe(double seconds) {
      int i = 0;
      while (i < upperBounds.length && seconds > upperBounds[i]) {
        i++;
      }
      buckets[i].increment();
      sum.add(seconds);
    }

    /** Records one observation given in nanoseconds. */
    public void observeNanos(long nanos) {
      observe(nanos / (double) TimeUnit.SECONDS.toNanos(1));
    }

    /** Observations so far. */
    public long count() {
      long n = 0;
      for (LongAdder b : buckets) {
        n += b.sum();
      }
      return n;
    }

    /**
     * Observations so far per bucket, not cumulative: element i counts those in (upperBounds[i-1], upperBounds[i]],
     * the last element those above the highest bound. Read bucket by bucket while observations go on, so it may be a
     * few observations off a single instant; fine for rates, not for exact totals.
     */
    public long[] bucketCounts() {
      long[] counts = new long[buckets.length];
      for (int i = 0; i < buckets.length; i++) {
        counts[i] = buckets[i].sum();
      }
      return counts;
    }

    /** Sum of the observations so far, in seconds. */
    public double sum() {
      return sum.sum();
    }
  }
}
