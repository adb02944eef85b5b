package io.raftring.bench;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closed loop: C clients, each with one request at a time; a client sends its next request when its previous one
 * ends. Latency is measured from the send. No thread per client: each client is a chain of futures. The loop stops
 * sending at {@code endNanos} or after {@code maxOperations} requests, whichever comes first, then waits at most
 * {@code drainTimeout} for the requests in flight.
 */
public final class ClosedLoop {

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
  private CountDownLatch finished;

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
    finished = new CountDownLatch(clients);
    for (int client = 0; client < clients; client++) {
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + client);
      sendNext(client, random);
    }
    long waitNanos = Math.max(0, endNanos - clock.nanoTime()) + drainTimeout.toNanos();
    finished.await(waitNanos, TimeUnit.NANOSECONDS);
    return new DriverStats(sent.get(), inFlight.get());
  }

  /** Sends this client's requests until one does not complete at once; its completion resumes the loop. */
  private void sendNext(int client, SplittableRandom random) {
    while (true) {
      long start = clock.nanoTime();
      if (start >= endNanos || reserved.getAndIncrement() >= maxOperations) {
        finished.countDown();
        return;
      }
      sent.incrementAndGet();
      OperationSource.Op op = operations.next(random);
      inFlight.incrementAndGet();
      CompletableFuture<Outcome> answer = target.execute(client, op.kind(), op.key(), op.value());
      if (!answer.isDone()) {
        answer.whenComplete((outcome, failure) -> {
          complete(start, outcome, failure);
          sendNext(client, random);
        });
        return;
      }
      complete(start, answer.getNow(null), null);
    }
  }

  private void complete(long start, Outcome outcome, Throwable failure) {
    inFlight.decrementAndGet();
    Outcome ended = failure != null ? Outcome.error(ErrorClassifier.fromThrowable(failure)) : outcome;
    collector.record(start, clock.nanoTime(), ended);
  }
}
