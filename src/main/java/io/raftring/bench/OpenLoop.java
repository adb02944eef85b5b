package io.raftring.bench;

import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Open loop: requests are sent on a fixed schedule ({@link OpenLoopSchedule}) whether or not earlier ones have
 * answered, and each one's latency runs from its intended start. At most {@code maxOutstanding} requests are in
 * flight; a request that finds the bound full at its start time is not sent and counts as a
 * {@link ErrorClassifier#NOT_STARTED} error, as is every request still unsent when the tool has fallen
 * {@code maxLagNanos} behind the schedule (so the loop ends in bounded time however slow the target is).
 *
 * <p>With a blocking transport the requests go out on a {@code sender} pool with one thread per allowed outstanding
 * request, so a request never waits for a thread; with an asynchronous one, {@link #DIRECT}.
 */
public final class OpenLoop {

  /** Sends on the scheduling thread itself: right for a non-blocking transport (and for tests). */
  public static final Executor DIRECT = Runnable::run;

  private final KvTarget target;
  private final OperationSource operations;
  private final ResultCollector collector;
  private final BenchClock clock;
  private final OpenLoopSchedule schedule;
  private final int maxOutstanding;
  private final long endNanos;
  private final long maxLagNanos;
  private final long seed;
  private final Executor sender;

  private final AtomicLong outstanding = new AtomicLong();
  private final CompletableFuture<Void> drained = new CompletableFuture<>();
  private volatile boolean scheduling = true;

  public OpenLoop(
      KvTarget target,
      OperationSource operations,
      ResultCollector collector,
      BenchClock clock,
      OpenLoopSchedule schedule,
      int maxOutstanding,
      long endNanos,
      long maxLagNanos,
      long seed,
      Executor sender) {
    if (maxOutstanding < 1) {
      throw new IllegalArgumentException("maxOutstanding must be at least 1, was " + maxOutstanding);
    }
    this.target = target;
    this.operations = operations;
    this.collector = collector;
    this.clock = clock;
    this.schedule = schedule;
    this.maxOutstanding = maxOutstanding;
    this.endNanos = endNanos;
    this.maxLagNanos = maxLagNanos;
    this.seed = seed;
    this.sender = sender;
  }

  /** Runs the schedule on the calling thread, then waits at most {@code drainTimeout} for requests in flight. */
  public DriverStats run(Duration drainTimeout) throws InterruptedException {
    Semaphore permits = new Semaphore(maxOutstanding);
    SplittableRandom random = new SplittableRandom(seed);
    long total = schedule.requestsBefore(endNanos);
    long sent = 0;
    for (long sequence = 0; sequence < total; sequence++) {
      long intended = schedule.intendedStartNanos(sequence);
      clock.sleepUntil(intended);
      if (clock.nanoTime() - intended > maxLagNanos) {
        for (long unsent = sequence; unsent < total; unsent++) {
          collector.recordNotStarted(schedule.intendedStartNanos(unsent));
        }
        break;
      }
      if (!permits.tryAcquire()) {
        collector.recordNotStarted(intended);
        continue;
      }
      OperationSource.Op op = operations.next(random);
      outstanding.incrementAndGet();
      sent++;
      long slot = sequence;
      CompletableFuture<Outcome> answer;
      try {
        answer = sender == DIRECT
            ? target.execute(slot, op.kind(), op.key(), op.value())
            : CompletableFuture.supplyAsync(() -> target.execute(slot, op.kind(), op.key(), op.value()), sender)
                .thenCompose(f -> f);
      } catch (RuntimeException e) {
        answer = CompletableFuture.completedFuture(Outcome.failed(e));
      }
      answer.whenComplete((outcome, failure) -> {
        Outcome ended = failure != null ? Outcome.failed(failure) : outcome;
        collector.record(intended, clock.nanoTime(), ended);
        permits.release();
        if (outstanding.decrementAndGet() == 0 && !scheduling) {
          drained.complete(null);
        }
      });
    }
    scheduling = false;
    if (outstanding.get() == 0) {
      drained.complete(null);
    }
    try {
      drained.get(drainTimeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
      // Whatever is still out is reported as abandoned.
    }
    return new DriverStats(sent, outstanding.get());
  }
}
