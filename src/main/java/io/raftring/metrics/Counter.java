package io.raftring.metrics;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count, one {@link Child} per combination of label values. */
public final class Counter extends MetricFamily<Counter.Child> {

  Counter(String name, String help, List<String> labelNames) {
    super(name, help, labelNames);
  }

  /** The child for these label values (in the order of the label names); keep it on hot paths. */
  public Child labels(String... labelValues) {
    return child(labelValues, k -> new Child());
  }

  @Override
  String type() {
    return "counter";
  }

  @Override
  void writeChild(List<String> labelValues, Child child, StringBuilder out) {
    writeSample(name(), labelValues, null, null, Long.toString(child.value()), out);
  }

  /** One counter time series. */
  public static final class Child {
    private final LongAdder count = new LongAdder();

    public void inc() {
      count.increment();
    }

    /** Adds {@code n}, which must not be negative (a counter never goes down). */
    public void inc(long n) {
      if (n < 0) {
        throw new IllegalArgumentException("a counter cannot decrease, got " + n);
      }
      count.add(n);
    }

    public long value() {
      return count.sum();
    }
  }
}
