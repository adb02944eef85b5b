package io.raftring.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/**
 * The node's metrics, rendered for Prometheus by {@link #scrape()} (text exposition format 0.0.4). One registry per
 * node; every component registers its metrics once at start-up and keeps the returned handles.
 *
 * <p>Hot paths touch only pre-resolved children: resolve {@code counter.labels("g1")} once and keep it, then
 * {@code inc()} is a {@link java.util.concurrent.atomic.LongAdder} increment. Resolving labels per call also works
 * (a map lookup) but costs more.
 *
 * <p>How the rest of the node adds its gauges and counters, e.g. for a Raft replica of group {@code g}:
 *
 * <pre>{@code
 * Gauge term = registry.gauge("raftring_raft_term", "Current term of each local replica.", "group");
 * term.register(() -> replica.currentTerm(), g);                 // a LongSupplier read at scrape time
 * registry.gauge("raftring_raft_commit_index", "Commit index of each local replica.", "group")
 *     .register(() -> replica.commitIndex(), g);
 * Counter.Child proposals = registry.counter("raftring_raft_proposals_total", "Proposals received.", "group")
 *     .labels(g);                                                 // keep it; call proposals.inc() per proposal
 * registry.counter("raftring_raft_elections_total", "Elections started.", "group").labels(g).inc();
 * Histogram.Child journalWrite = registry.histogram("raftring_journal_write_seconds",
 *     "Synced journal write latency.", Histogram.LATENCY_BUCKETS_SECONDS).labels();
 * journalWrite.observeNanos(System.nanoTime() - start);
 * }</pre>
 *
 * Registering a name twice is an error, except through the {@code getOrCreate}-style behaviour of the factory methods
 * when the existing metric has the same type, help and label names: then the existing one is returned, so a replica
 * restarted on the same node reuses its family. Gauges whose owner goes away are removed with
 * {@link Gauge#unregister(String...)} (a replica that moved off the node must not keep reporting).
 */
public final class MetricsRegistry {

  private final Map<String, MetricFamily<?>> families = new ConcurrentSkipListMap<>();
  private final List<ScrapeSource> sources = new CopyOnWriteArrayList<>();

  /** Metrics kept elsewhere (another library's registry), rendered after this registry's own on every scrape. */
  public interface ScrapeSource {
    /** Appends complete families in the text format 0.0.4; the names must not clash with this registry's. */
    void writeTo(StringBuilder out);
  }

  /** Renders {@code source} with every scrape from now on. */
  public void include(ScrapeSource source) {
    sources.add(Objects.requireNonNull(source, "source"));
  }

  /** A counter family; {@code labelNames} may be empty (then use {@code labels()} with no values). */
  public Counter counter(String name, String help, String... labelNames) {
    return register(new Counter(name, help, List.of(labelNames)), Counter.class);
  }

  /** A gauge family whose children read suppliers at scrape time. */
  public Gauge gauge(String name, String help, String... labelNames) {
    return register(new Gauge(name, help, List.of(labelNames)), Gauge.class);
  }

  /** An unlabelled gauge read from {@code value} at scrape time. */
  public Gauge gauge(String name, String help, LongSupplier value) {
    Gauge gauge = gauge(name, help);
    gauge.register(value);
    return gauge;
  }

  /** An unlabelled gauge read from {@code value} at scrape time. */
  public Gauge gauge(String name, String help, DoubleSupplier value) {
    Gauge gauge = gauge(name, help);
    gauge.register(value);
    return gauge;
  }

  /**
   * A histogram family with fixed upper bounds {@code bucketsSeconds} (strictly increasing, finite; +Inf is added).
   */
  public Histogram histogram(String name, String help, double[] bucketsSeconds, String... labelNames) {
    return register(new Histogram(name, help, List.of(labelNames), bucketsSeconds), Histogram.class);
  }

  /**
   * Every metric in the Prometheus text exposition format 0.0.4: this registry's families sorted by name, then each
   * included source's.
   */
  public String scrape() {
    StringBuilder out = new StringBuilder(4096);
    for (MetricFamily<?> family : families.values()) {
      family.writeTo(out);
    }
    for (ScrapeSource source : sources) {
      source.writeTo(out);
    }
    return out.toString();
  }

  /** The names registered so far, sorted. */
  public List<String> names() {
    return new ArrayList<>(families.keySet());
  }

  private <T extends MetricFamily<?>> T register(T candidate, Class<T> type) {
    MetricFamily<?> existing = families.putIfAbsent(candidate.name(), candidate);
    if (existing == null) {
      return candidate;
    }
    if (type.isInstance(existing) && existing.sameShapeAs(candidate)) {
      return type.cast(existing);
    }
    throw new IllegalArgumentException(
        "metric " + candidate.name() + " is already registered as a different " + existing.type()
            + " with labels " + existing.labelNames());
  }

  static String requireName(String name) {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
      throw new IllegalArgumentException("invalid metric name '" + name + "'");
    }
    return name;
  }
}
