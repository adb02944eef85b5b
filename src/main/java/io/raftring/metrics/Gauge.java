package io.raftring.metrics;

import java.util.List;
import java.util.Objects;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * A value read when scraped, from a supplier its owner registers per combination of label values (a Raft replica
 * registers {@code () -> commitIndex} under its group). Suppliers run on the scraping thread: keep them cheap and
 * non-blocking, e.g. reading a volatile field.
 */
public final class Gauge extends MetricFamily<DoubleSupplier> {

  Gauge(String name, String help, List<String> labelNames) {
    super(name, help, labelNames);
  }

  /** Reads {@code value} for these label values from now on, replacing any earlier supplier. */
  public void register(DoubleSupplier value, String... labelValues) {
    Objects.requireNonNull(value, "value");
    children.put(labelKey(labelValues), value);
  }

  /** As {@link #register(DoubleSupplier, String...)} for an integer value. */
  public void register(LongSupplier value, String... labelValues) {
    Objects.requireNonNull(value, "value");
    register((DoubleSupplier) () -> (double) value.getAsLong(), labelValues);
  }

  /** Stops reporting these label values. */
  public void unregister(String... labelValues) {
    children.remove(labelKey(labelValues));
  }

  @Override
  String type() {
    return "gauge";
  }

  @Override
  void writeChild(List<String> labelValues, DoubleSupplier child, StringBuilder out) {
    double value;
    try {
      value = child.getAsDouble();
    } catch (RuntimeException e) {
      value = Double.NaN; // a failing supplier must not break the whole scrape
    }
    writeSample(name(), labelValues, null, null, TextFormat.number(value), out);
  }
}
