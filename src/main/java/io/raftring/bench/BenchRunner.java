package io.raftring.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One run: optional preload, warm-up, measurement, result. Every loop here is bounded in count (keys, max-ops) and
 * in time (duration + warm-up + drain; preload has its own deadline).
 */
public final class BenchRunner {

  /** Values drawn per run: enough that the store cannot dedupe, few enough to precompute their base64. */
  static final int VALUE_POOL_SIZE = 64;

  private final BenchSettings settings;
  private final BenchClock clock;
  private final PrintStream progress;

  public BenchRunner(BenchSettings settings, BenchClock clock, PrintStream progress) {
    this.settings = settings;
    this.clock = clock;
    this.progress = progress;
  }

  public BenchResult run() throws InterruptedException {
    String startedAt = Instant.now().toString();
    KeyChooser keys =
        settings.keyDistribution().equals("zipfian")
            ? ZipfianKeys.create(settings.keys(), settings.zipfTheta())
            : KeyChooser.uniform(settings.keys());
    OperationSource operations =
        new OperationSource(
            settings.workload(),
            settings.readRatio(),
            keys,
            settings.keyPrefix(),
            Value.pool(VALUE_POOL_SIZE, settings.valueSize(), settings.seed()));
    try (HttpTransport transport =
        new HttpTransport(
            settings.endpoints(), settings.httpClients(), settings.httpThreads(), settings.requestTimeout())) {
      KvTarget target = target(transport);

      BenchResult.Preload preload = settings.preload() ? preload(target, operations) : null;

      long cpuAtStart = processCpuNanos();
      long start = clock.nanoTime();
      long measureStart = start + settings.warmup().toNanos();
      long measureEnd = measureStart + settings.duration().toNanos();
      ResultCollector collector = new ResultCollector(clock, measureStart, measureEnd);
      Duration drain = settings.requestTimeout().plusSeconds(1);
      DriverStats stats;
      try (ProgressReporter reporter = new ProgressReporter(collector, clock, progress)) {
        reporter.start();
        if (settings.openLoop()) {
          OpenLoopSchedule schedule = new OpenLoopSchedule(start, settings.ratePerSecond());
          stats =
              new OpenLoop(
                      target,
                      operations,
                      collector,
                      clock,
                      schedule,
                      settings.maxOutstanding(),
                      Math.min(measureEnd, schedule.intendedStartNanos(settings.maxOperations())),
                      settings.requestTimeout().toNanos(),
                      settings.seed())
                  .run(drain);
        } else {
          stats =
              new ClosedLoop(
                      target,
                      operations,
                      collector,
                      clock,
                      settings.clients(),
                      measureEnd,
                      settings.maxOperations(),
                      settings.seed())
                  .run(drain);
        }
      }
      collector.tick();
      return new BenchResult(
          settings,
          startedAt,
          preload,
          settings.duration().toNanos() / 1e9,
          collector.okCount(),
          collector.notFoundCount(),
          collector.conflictCount(),
          collector.errorCount(),
          collector.errorsByCode(),
          stats.abandoned(),
          collector.warmupOperations(),
          Percentiles.of(collector.totalHistogram()),
          collector.timeline(),
          cpuAtStart < 0 ? -1 : (processCpuNanos() - cpuAtStart) / 1e9);
    }
  }

  /** CPU time of this JVM so far, or -1 when unknown. */
  static long processCpuNanos() {
    java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
      return sun.getProcessCpuTime();
    }
    return -1;
  }

  private KvTarget target(HttpTransport transport) {
    if (settings.target().equals("etcd")) {
      return new EtcdTarget(transport, settings.consistency().equals("serializable"), settings.etcdApiPrefix());
    }
    return new RaftRingTarget(transport, settings.consistency());
  }

  /**
   * Writes every key once, with up to {@code --clients} (at least 16, at most 64) puts in flight, before the
   * measurement. Bounded by the key count and by a deadline of one minute plus one request timeout per 100 keys.
   */
  private BenchResult.Preload preload(KvTarget target, OperationSource operations) throws InterruptedException {
    int keyCount = operations.keyCount();
    int workers = Math.min(keyCount, Math.max(16, Math.min(64, settings.clients())));
    long started = clock.nanoTime();
    long deadline = started + Duration.ofMinutes(1).toNanos() + settings.requestTimeout().toNanos() * (keyCount / 100 + 1);
    AtomicInteger nextKey = new AtomicInteger();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(workers);
    progress.printf("preloading %d keys with %d clients%n", keyCount, workers);
    for (int worker = 0; worker < workers; worker++) {
      int slot = worker;
      preloadNext(target, operations, slot, nextKey, ok, errors, done, deadline);
    }
    done.await(Math.max(0, deadline - clock.nanoTime()), TimeUnit.NANOSECONDS);
    double seconds = (clock.nanoTime() - started) / 1e9;
    progress.printf("preloaded %d keys in %.1f s (%d errors)%n", ok.get(), seconds, errors.get());
    return new BenchResult.Preload(keyCount, ok.get(), errors.get(), seconds);
  }

  private void preloadNext(
      KvTarget target,
      OperationSource operations,
      int slot,
      AtomicInteger nextKey,
      AtomicLong ok,
      AtomicLong errors,
      CountDownLatch done,
      long deadline) {
    while (true) {
      int key = nextKey.getAndIncrement();
      if (key >= operations.keyCount() || clock.nanoTime() >= deadline) {
        done.countDown();
        return;
      }
      CompletableFuture<Outcome> answer =
          target.execute(
              slot, OpKind.PUT, OperationSource.keyName(operations.keyPrefix(), key), operations.value(key));
      if (!answer.isDone()) {
        answer.whenComplete((outcome, failure) -> {
          count(outcome, failure, ok, errors);
          preloadNext(target, operations, slot, nextKey, ok, errors, done, deadline);
        });
        return;
      }
      count(answer.getNow(null), null, ok, errors);
    }
  }

  private static void count(Outcome outcome, Throwable failure, AtomicLong ok, AtomicLong errors) {
    if (failure == null && outcome != null && !outcome.isError()) {
      ok.incrementAndGet();
    } else {
      errors.incrementAndGet();
    }
  }

}
