package io.raftring.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * How long runnable work waits on this node, the way Go's scheduler-latency metric or CockroachDB's "runnable
 * goroutines" tell an operator that a process is starved: every probe interval a thread of its own wakes, notes how
 * late it woke (the whole process waited: no free core, a safepoint, a GC pause), and hands a task to each executor
 * it watches (the actor system's dispatchers) noting how long that task waits to run (the dispatcher's queue on top
 * of that).
 *
 * <p>Raft's timers and messages wait exactly as long: a leader whose node stalls past the election timeout loses its
 * followers to an election. So a delay past the warning threshold is reported (at most once a second per kind), with
 * the metric {@code raftring_scheduling_delay_seconds{where="thread"|<executor's name>}} for the shape.
 */
public final class SchedulingDelayProbe implements AutoCloseable {

  /** Told of a delay past the warning threshold: {@code where} is "thread" or an executor's name. */
  public interface StallListener {
    void stalled(String where, long delayNanos);
  }

  private static final long WARN_EVERY_NANOS = Duration.ofSeconds(1).toNanos();

  private final long intervalNanos;
  private final long warnNanos;
  private final LongSupplier nanoClock;
  private final StallListener listener;
  private final Histogram.Child threadDelay;
  private final List<Watched> watched = new ArrayList<>();
  private long expectedNanos;
  private long lastThreadWarning;
  private ScheduledExecutorService thread;

  /** An executor watched, with its task's state: one task at a time, so a stalled queue gets no more. */
  private final class Watched {
    final String name;
    final Executor executor;
    final Histogram.Child delay;
    volatile boolean taskWaiting;
    volatile long lastWarning;

    Watched(String name, Executor executor, Histogram.Child delay, long now) {
      this.name = name;
      this.executor = executor;
      this.delay = delay;
      this.lastWarning = now - WARN_EVERY_NANOS;
    }

    void ran(long handedNanos) {
      long now = nanoClock.getAsLong();
      long waited = now - handedNanos;
      delay.observeNanos(waited);
      if (warnDue(waited, now, lastWarning)) {
        lastWarning = now;
        listener.stalled(name, waited);
      }
      taskWaiting = false;
    }
  }

  /**
   * @param interval  how often to probe
   * @param warnAfter the delay past which {@code listener} hears of it
   * @param executors where the probe's tasks wait like every actor's work, by the name the metric and warnings give
   */
  public SchedulingDelayProbe(MetricsRegistry registry, Duration interval, Duration warnAfter,
      Map<String, Executor> executors, LongSupplier nanoClock, StallListener listener) {
    this.intervalNanos = interval.toNanos();
    this.warnNanos = warnAfter.toNanos();
    this.nanoClock = nanoClock;
    this.listener = listener;
    Histogram delays = registry.histogram("raftring_scheduling_delay_seconds",
        "How late this node's probe thread woke (where=thread: the process waited for a core, a safepoint or a GC) "
            + "and how long its task then waited to run on each of the node's dispatchers (where=its name).",
        Histogram.LATENCY_BUCKETS_SECONDS, "where");
    this.threadDelay = delays.labels("thread");
    long now = nanoClock.getAsLong();
    executors.forEach((name, executor) -> watched.add(new Watched(name, executor, delays.labels(name), now)));
    this.expectedNanos = now + intervalNanos;
    this.lastThreadWarning = now - WARN_EVERY_NANOS;
  }

  /** Probes on a daemon thread of its own until closed. */
  public SchedulingDelayProbe start() {
    thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread t = new Thread(runnable, "raftring-scheduling-delay-probe");
      t.setDaemon(true);
      return t;
    });
    thread.scheduleWithFixedDelay(this::probe, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    return this;
  }

  /** One probe: the probe thread's call, due {@code interval} after the previous one returned. */
  void probe() {
    long now = nanoClock.getAsLong();
    long late = Math.max(0, now - expectedNanos);
    threadDelay.observeNanos(late);
    if (warnDue(late, now, lastThreadWarning)) {
      lastThreadWarning = now;
      listener.stalled("thread", late);
    }
    for (Watched w : watched) {
      if (!w.taskWaiting) {
        w.taskWaiting = true;
        w.executor.execute(() -> w.ran(now));
      }
    }
    expectedNanos = nanoClock.getAsLong() + intervalNanos;
  }

  /** Whether a delay is past the threshold and the last warning of its kind a second old. */
  private boolean warnDue(long delayNanos, long nowNanos, long lastWarningNanos) {
    return delayNanos >= warnNanos && nowNanos - lastWarningNanos >= WARN_EVERY_NANOS;
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}
