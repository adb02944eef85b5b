package io.raftring.bench;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Once a second: closes the collector's interval and prints one line to stderr, e.g.
 * {@code [ 12.0s] 15234 ops/s  p50 1.20 ms  p99 4.21 ms (so far 4.05 ms)  errors 3 (total 17)}.
 */
public final class ProgressReporter implements AutoCloseable {

  private final ResultCollector collector;
  private final BenchClock clock;
  private final PrintStream out;
  private final ScheduledExecutorService timer;
  private long lastWarmupCount;

  public ProgressReporter(ResultCollector collector, BenchClock clock, PrintStream out) {
    this.collector = collector;
    this.clock = clock;
    this.out = out;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "bench-progress");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Reports every second, timed so that one report falls on the end of the warm-up. */
  public void start(java.time.Duration warmup) {
    long second = TimeUnit.SECONDS.toNanos(1);
    long first = warmup.toNanos() % second == 0 ? second : warmup.toNanos() % second;
    timer.scheduleAtFixedRate(this::report, first, second, TimeUnit.NANOSECONDS);
  }

  private void report() {
    try {
      TimelinePoint point = collector.tick();
      if (point == null) {
        double toGo = (collector.measureStartNanos() - clock.nanoTime()) / 1e9;
        if (toGo <= 0) {
          return; // a tick too soon after the last point; the next one covers this time
        }
        long warmup = collector.warmupOperations();
        out.printf(Locale.ROOT, "[warmup %4.1fs to go] %d ops/s%n", toGo, warmup - lastWarmupCount);
        lastWarmupCount = warmup;
        return;
      }
      Histogram total = collector.totalHistogram();
      double p99SoFar = total.getTotalCount() == 0 ? 0 : total.getValueAtPercentile(99) / 1000.0;
      out.printf(
          Locale.ROOT,
          "[%5.1fs] %8.0f ops/s  p50 %7.2f ms  p99 %7.2f ms (so far %7.2f ms)  errors %d (total %d)%n",
          point.second(),
          point.opsPerSecond(),
          point.p50Millis(),
          point.p99Millis(),
          p99SoFar,
          point.errors(),
          collector.errorCount());
    } catch (RuntimeException e) {
      out.println("progress report failed: " + e);
    }
  }

  /** Stops the timer; the caller takes the last tick itself. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
