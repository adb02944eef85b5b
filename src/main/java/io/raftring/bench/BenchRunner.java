package io.raftring.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
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
    try (HttpTransport transport = transport()) {
      KvTarget target = target(transport);

      BenchResult.Preload preload = settings.preload() ? preload(target, operations) : null;

      long start = clock.nanoTime();
      CpuMeter cpu = new CpuMeter(settings.warmup());
      long measureStart = start + settings.warmup().toNanos();
      long measureEnd = measureStart + settings.duration().toNanos();
      ResultCollector collector = new ResultCollector(clock, measureStart, measureEnd);
      Duration drain = settings.requestTimeout().plusSeconds(1);
      DriverStats stats;
      try (ProgressReporter reporter = new ProgressReporter(collector, clock, progress)) {
        reporter.start(settings.warmup());
        if (settings.openLoop()) {
          OpenLoopSchedule schedule = new OpenLoopSchedule(start, settings.ratePerSecond());
          ExecutorService senders = transport.blocking() ? senders(settings.maxOutstanding()) : null;
          try {
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
                      settings.seed(),
                      senders == null ? OpenLoop.DIRECT : senders)
                  .run(drain);
          } finally {
            if (senders != null) {
              senders.shutdownNow();
            }
          }
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
      collector.finish();
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
          collector.errorExamples(),
          stats.abandoned(),
          transport.retries(),
          collector.warmupOperations(),
          Percentiles.of(collector.totalHistogram()),
          collector.timeline(),
          cpu.secondsSinceMark(),
          Percentiles.of(collector.answeredErrorHistogram()));
    }
  }

  private HttpTransport transport() {
    if (settings.httpClient().equals("jdk")) {
      return new JdkHttpTransport(
          settings.endpoints(), settings.httpClients(), settings.httpThreads(), settings.requestTimeout());
    }
    return new SocketHttpTransport(settings.endpoints(), settings.requestTimeout());
  }

  /**
   * Up to one daemon thread per allowed outstanding request, created only when no sender is idle. The hand-off is a
   * non-fair SynchronousQueue, which gives a task to the most recently idle thread: at a low rate a few threads (and
   * their keep-alive connections) do all the work instead of every connection going cold in turn. When all threads
   * exist and the one about to become idle has not yet, the scheduler waits for it (microseconds; the latency is
   * still measured from the intended start).
   */
  static ExecutorService senders(int threads) {
    AtomicInteger number = new AtomicInteger();
    return new ThreadPoolExecutor(
        0,
        threads,
        30,
        TimeUnit.SECONDS,
        new SynchronousQueue<>(),
        runnable -> {
          Thread thread = new Thread(null, runnable, "bench-sender-" + number.incrementAndGet(), 256 * 1024);
          thread.setDaemon(true);
          return thread;
        },
        (task, pool) -> {
          try {
            if (!pool.isShutdown()) {
              pool.getQueue().put(task);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RejectedExecutionException("interrupted while waiting for a sender", e);
          }
        });
  }

  private KvTarget target(HttpTransport transport) {
    if (settings.target().equals("etcd")) {
      return new EtcdTarget(transport, settings.consistency().equals("serializable"), settings.etcdApiPrefix());
    }
    if (settings.target().equals("ev")) {
      return new EventualTarget(transport, settings.consistency());
    }
    if (settings.workload() == Workload.TXN_TRANSFER && settings.txnKeys().equals("cross-group")) {
      return new RaftRingTarget(transport, settings.consistency(), crossGroupKeys(transport));
    }
    return new RaftRingTarget(transport, settings.consistency());
  }

  /**
   * Cross-group transfer keys on the cluster's ring: its group count from {@code /v1/cluster}, the default virtual
   * nodes, checked against the cluster's own answer for one key ({@code ?explain=true}).
   */
  private static TransferKeys crossGroupKeys(HttpTransport transport) {
    try {
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      HttpTransport.Response cluster = transport.send(0, "GET", "/v1/cluster", null, null).join();
      int groups = json.readTree(cluster.body()).path("groups").size();
      TransferKeys keys = TransferKeys.crossGroup(groups, io.raftring.ring.GroupPlacement.DEFAULT_VIRTUAL_NODES_PER_MEMBER);
      String probe = keys.of("bench-probe")[1];
      HttpTransport.Response explained = transport.send(0, "GET",
          "/v1/kv/" + RaftRingTarget.encode(probe) + "?explain=true", null, null).join();
      String group = json.readTree(explained.body()).path("group").asText();
      if (!group.equals(keys.groupOf(probe))) {
        throw new IllegalStateException("the cluster places " + probe + " in " + group + ", not "
            + keys.groupOf(probe) + ": its virtual nodes differ from the default");
      }
      return keys;
    } catch (java.io.IOException e) {
      throw new IllegalStateException("could not read the cluster's groups: " + e.getMessage(), e);
    }
  }

  /**
   * Writes every key once, with {@code --clients} (at least 16, at most 64) client threads, before the warm-up.
   * Bounded by the key count and by a deadline of one minute plus one request timeout per 100 keys.
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
      Thread thread = new Thread(null, () -> {
        try {
          preloadKeys(target, operations, slot, nextKey, ok, errors, deadline);
        } finally {
          done.countDown();
        }
      }, "bench-preload-" + worker, 256 * 1024);
      thread.setDaemon(true);
      thread.start();
    }
    done.await(Math.max(0, deadline - clock.nanoTime()), TimeUnit.NANOSECONDS);
    double seconds = (clock.nanoTime() - started) / 1e9;
    progress.printf("preloaded %d keys in %.1f s (%d errors)%n", ok.get(), seconds, errors.get());
    return new BenchResult.Preload(keyCount, ok.get(), errors.get(), seconds);
  }

  private void preloadKeys(
      KvTarget target,
      OperationSource operations,
      int slot,
      AtomicInteger nextKey,
      AtomicLong ok,
      AtomicLong errors,
      long deadline) {
    while (true) {
      int key = nextKey.getAndIncrement();
      if (key >= operations.keyCount() || clock.nanoTime() >= deadline) {
        return;
      }
      Outcome outcome;
      try {
        outcome = target.execute(
                slot, OpKind.PUT, OperationSource.keyName(operations.keyPrefix(), key), operations.value(key))
            .join();
      } catch (RuntimeException e) {
        outcome = Outcome.failed(e);
      }
      count(outcome, null, ok, errors);
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
