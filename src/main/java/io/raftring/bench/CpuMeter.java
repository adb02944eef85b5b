package io.raftring.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CPU time this JVM spends from a mark (the end of warm-up, so JIT compilation of the hot path is mostly done)
 * to the end of the run: the load tool's own cost, which competes with the server on a small machine.
 */
public final class CpuMeter {

  private final AtomicLong markNanos = new AtomicLong(-1);

  /** Marks once {@code delay} has passed, on a daemon thread (at once when it is zero). */
  CpuMeter(Duration delay) {
    if (delay.isZero()) {
      markNanos.set(processCpuNanos());
      return;
    }
    Thread marker = new Thread(() -> {
      try {
        Thread.sleep(delay.toMillis(), (int) (delay.toNanos() % 1_000_000));
        markNanos.set(processCpuNanos());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-cpu-mark");
    marker.setDaemon(true);
    marker.start();
  }

  /** CPU seconds since the mark, or -1 when unknown (no mark yet, or the JVM cannot tell). */
  double secondsSinceMark() {
    long mark = markNanos.get();
    long now = processCpuNanos();
    return mark < 0 || now < 0 ? -1 : (now - mark) / 1e9;
  }

  /** This JVM's CPU time so far, or -1 when the JVM cannot tell (also for tools outside the bench command). */
  public static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
