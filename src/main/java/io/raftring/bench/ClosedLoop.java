package io.raftring.bench;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed loop: C clients, each a thread with one request at a time; a client sends its next request when its
 * previous one ends. Latency is measured from the send. The loop stops sending at {@code endNanos} or after
 * {@code maxOperations} requests in all, whichever comes first, then waits at most {@code drainTimeout} for the
 * requests in flight (client threads are daemons, so one stuck past that cannot keep the JVM up).
 */
public final class ClosedLoop {

  private static final long CLIENT_STACK_BYTES = 256 * 1024;

  private final KvTarget target;
  private final OperationSource operations;
  private final ResultCollector collector;
  private final BenchClock clock;
  private final int clients;
  private final long endNanos;
  private final long maxOperations;
  private final long seed;

  private final AtomicLong reserved = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicInteger inFlight = new AtomicInteger();

  public ClosedLoop(
      KvTarget target,
      OperationSource operations,
      ResultCollector collector,
      BenchClock clock,
      int clients,
      long endNanos,
      long maxOperations,
      long seed) {
    if (clients < 1) {
      throw new IllegalArgumentException("clients must be at least 1, was " + clients);
    }
    this.target = target;
    this.operations = operations;
    this.collector = collector;
    this.clock = clock;
    this.clients = clients;
    this.endNanos = endNanos;
    this.maxOperations = maxOperations;
    this.seed = seed;
  }

  public DriverStats run(Duration drainTimeout) throws InterruptedException {
    CountDownLatch finished = new CountDownLatch(clients);
    for (int client = 0; client < clients; client++) {
      int number = client;
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + client);
      Thread thread = new Thread(null, () -> {
        try {
          loop(number, random);
        } finally {
          finished.countDown();
        }
      }, "bench-client-" + client, CLIENT_STACK_BYTES);
      thread.setDaemon(true);
      thread.start();
    }
    long waitNanos = Math.max(0, endNanos - clock.nanoTime());
    if (!finished.await(saturatedAdd(waitNanos, drainTimeout.toNanos()), TimeUnit.NANOSECONDS)) {
      // Maybe only a fake clock that never reaches endNanos: the operation bound still ends the loop.
      finished.await(drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
    return new DriverStats(sent.get(), inFlight.get());
  }

  private void loop(int client, SplittableRandom random) {
    while (true) {
      long start = clock.nanoTime();
      if (start >= endNanos || reserved.getAndIncrement() >= maxOperations) {
        return;
      }
      OperationSource.Op op = operations.next(random);
      sent.incrementAndGet();
      inFlight.incrementAndGet();
      Outcome outcome;
      try {
        outcome = target.execute(client, op.kind(), op.key(), op.value()).join();
      } catch (CompletionException | CancellationException e) {
        outcome = Outcome.failed(e);
      }
      inFlight.decrementAndGet();
      collector.record(start, clock.nanoTime(), outcome);
    }
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
  }
}
