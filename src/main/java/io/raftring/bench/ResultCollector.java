package io.raftring.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Collects what every request of a run ended as. Thread-safe for {@code record} from any number of threads;
 * {@code tick} is called once a second by one thread (the progress reporter) and once at the end.
 *
 * <p>Only operations that started (or, open-loop, were meant to start) inside the measurement window
 * [measureStart, measureEnd) count; earlier ones are warm-up. Answered operations (OK, not found, CAS conflict) are
 * recorded in an HdrHistogram in microseconds (3 significant digits, up to one hour); errors are counted by code.
 */
public final class ResultCollector {

  static final long HIGHEST_TRACKABLE_MICROS = 3_600_000_000L;
  /** Timeline intervals shorter than this are merged into a neighbour (a sliver of time makes a noisy point). */
  static final long MIN_INTERVAL_NANOS = 500_000_000L;

  private final BenchClock clock;
  private final long measureStartNanos;
  private final long measureEndNanos;
  private final Recorder recorder = new Recorder(HIGHEST_TRACKABLE_MICROS, 3);
  /** Latency of errors the server answered (an HTTP status came back): how fast refusals are. */
  private final Recorder answeredErrors = new Recorder(HIGHEST_TRACKABLE_MICROS, 3);
  private final LongAdder ok = new LongAdder();
  private final LongAdder notFound = new LongAdder();
  private final LongAdder conflicts = new LongAdder();
  private final LongAdder errors = new LongAdder();
  private final LongAdder intervalErrors = new LongAdder();
  private final LongAdder warmupOperations = new LongAdder();
  private final Map<String, LongAdder> errorsByCode = new ConcurrentHashMap<>();
  private final Map<String, String> errorExamples = new ConcurrentHashMap<>();

  // Owned by the ticking thread (guarded by this).
  private final Histogram total = new Histogram(HIGHEST_TRACKABLE_MICROS, 3);
  private final List<TimelinePoint> timeline = new ArrayList<>();
  private Histogram interval;
  private long lastTickNanos;

  public ResultCollector(BenchClock clock, long measureStartNanos, long measureEndNanos) {
    this.clock = clock;
    this.measureStartNanos = measureStartNanos;
    this.measureEndNanos = measureEndNanos;
    this.lastTickNanos = measureStartNanos;
  }

  public long measureStartNanos() {
    return measureStartNanos;
  }

  public long measureEndNanos() {
    return measureEndNanos;
  }

  /** True when an operation starting (or meant to start) at this time is measured. */
  public boolean isMeasured(long startNanos) {
    return startNanos >= measureStartNanos && startNanos < measureEndNanos;
  }

  /** Records an operation that started (or was meant to start) at {@code startNanos} and ended at {@code endNanos}. */
  public void record(long startNanos, long endNanos, Outcome outcome) {
    if (!isMeasured(startNanos)) {
      if (startNanos < measureStartNanos) {
        warmupOperations.increment();
      }
      return;
    }
    switch (outcome.kind()) {
      case OK -> ok.increment();
      case NOT_FOUND -> notFound.increment();
      case CONFLICT -> conflicts.increment();
      case ERROR -> {
        countError(outcome.errorCode());
        if (outcome.detail() != null) {
          errorExamples.putIfAbsent(outcome.errorCode(), outcome.detail());
        }
        if (outcome.errorCode().startsWith("HTTP ")) {
          answeredErrors.recordValue(Math.min(Math.max(0, (endNanos - startNanos) / 1_000), HIGHEST_TRACKABLE_MICROS));
        }
        return;
      }
    }
    long micros = Math.max(0, (endNanos - startNanos) / 1_000);
    recorder.recordValue(Math.min(micros, HIGHEST_TRACKABLE_MICROS));
  }

  /** An open-loop request that could not even be sent (outstanding bound full, or the tool fell too far behind). */
  public void recordNotStarted(long intendedStartNanos) {
    if (isMeasured(intendedStartNanos)) {
      countError(ErrorClassifier.NOT_STARTED);
    }
  }

  private void countError(String code) {
    errors.increment();
    intervalErrors.increment();
    errorsByCode.computeIfAbsent(code, c -> new LongAdder()).increment();
  }

  /**
   * Closes the interval since the last tick: adds it to the total and appends a timeline point. Returns null, and
   * leaves the interval open, during warm-up and when less than half a second has passed since the last point (as
   * when a loaded machine delays the reporter's tick at the end of warm-up).
   */
  public synchronized TimelinePoint tick() {
    long now = clock.nanoTime();
    if (now < lastTickNanos + MIN_INTERVAL_NANOS) {
      return null;
    }
    return closeInterval(now);
  }

  /**
   * Closes the last interval; call once the run is over. Its operations always join the total; it becomes a
   * timeline point only when it is at least half a second long or the timeline is empty (a sliver of drain time after the
   * last full second would make a misleading spike or dip at the end of the chart).
   */
  public synchronized TimelinePoint finish() {
    long now = Math.max(clock.nanoTime(), measureStartNanos + 1);
    if (now - lastTickNanos < MIN_INTERVAL_NANOS && !timeline.isEmpty()) {
      interval = recorder.getIntervalHistogram(interval);
      total.add(interval);
      long errorsInSliver = intervalErrors.sumThenReset();
      TimelinePoint last = timeline.remove(timeline.size() - 1);
      TimelinePoint merged = new TimelinePoint(last.second(), last.opsPerSecond(), last.p50Millis(), last.p99Millis(),
          Math.max(last.maxMillis(), interval.getTotalCount() == 0 ? 0 : interval.getMaxValue() / 1000.0),
          last.errors() + errorsInSliver);
      timeline.add(merged);
      return merged;
    }
    return closeInterval(now);
  }

  private TimelinePoint closeInterval(long now) {
    interval = recorder.getIntervalHistogram(interval);
    long intervalErrorCount = intervalErrors.sumThenReset();
    total.add(interval);
    double seconds = Math.max(1e-9, (now - lastTickNanos) / 1e9);
    lastTickNanos = now;
    TimelinePoint point =
        new TimelinePoint(
            (now - measureStartNanos) / 1e9,
            interval.getTotalCount() / seconds,
            millis(interval, 50),
            millis(interval, 99),
            interval.getTotalCount() == 0 ? 0 : interval.getMaxValue() / 1000.0,
            intervalErrorCount);
    timeline.add(point);
    return point;
  }

  private static double millis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  /** Every measured error the server answered with a status (429, 503, 504...), by latency in microseconds. */
  public synchronized Histogram answeredErrorHistogram() {
    return answeredErrors.getIntervalHistogram();
  }

  /** A copy of the histogram of every measured answered operation so far (up to the last tick). */
  public synchronized Histogram totalHistogram() {
    return total.copy();
  }

  public synchronized List<TimelinePoint> timeline() {
    return List.copyOf(timeline);
  }

  public long okCount() {
    return ok.sum();
  }

  public long notFoundCount() {
    return notFound.sum();
  }

  public long conflictCount() {
    return conflicts.sum();
  }

  public long errorCount() {
    return errors.sum();
  }

  public long warmupOperations() {
    return warmupOperations.sum();
  }

  /** The first detail seen for each error code (what the server or the exception said). */
  public Map<String, String> errorExamples() {
    return new TreeMap<>(errorExamples);
  }

  public Map<String, Long> errorsByCode() {
    Map<String, Long> copy = new TreeMap<>();
    errorsByCode.forEach((code, count) -> copy.put(code, count.sum()));
    return copy;
  }
}
