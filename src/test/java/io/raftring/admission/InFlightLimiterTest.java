package io.raftring.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class InFlightLimiterTest {

  private static final long MS = 1_000_000L;
  private final AtomicLong clock = new AtomicLong();

  private CompletableFuture<InFlightLimiter.Permit> acquire(InFlightLimiter limiter, long waitNanos) {
    return limiter.acquire(waitNanos).toCompletableFuture();
  }

  @Test
  void requestsWithinTheBoundStartAtOnce() {
    InFlightLimiter limiter = new InFlightLimiter(2, 1, clock::get);
    assertThat(acquire(limiter, 0)).isCompleted();
    assertThat(acquire(limiter, 0)).isCompleted();
    assertThat(limiter.inFlight()).isEqualTo(2);
  }

  @Test
  void aFullQueueRefusesAtOnce() {
    InFlightLimiter limiter = new InFlightLimiter(1, 1, clock::get);
    acquire(limiter, 0);
    CompletableFuture<InFlightLimiter.Permit> queued = acquire(limiter, 100 * MS);
    CompletableFuture<InFlightLimiter.Permit> refused = acquire(limiter, 100 * MS);
    assertThat(queued).isNotDone();
    assertThat(refused).isCompletedExceptionally();
    assertThat(refused.handle((p, e) -> ((InFlightLimiter.Refused) e).queueFull()).join()).isTrue();
  }

  @Test
  void aReleasedSlotGoesToTheOldestWaiter() {
    InFlightLimiter limiter = new InFlightLimiter(1, 2, clock::get);
    InFlightLimiter.Permit first = acquire(limiter, 0).join();
    CompletableFuture<InFlightLimiter.Permit> second = acquire(limiter, 100 * MS);
    CompletableFuture<InFlightLimiter.Permit> third = acquire(limiter, 100 * MS);
    first.close();
    assertThat(second).isCompleted();
    assertThat(third).isNotDone();
    first.close();
    assertThat(third).as("a permit is released only once").isNotDone();
    assertThat(limiter.inFlight()).isEqualTo(1);
  }

  @Test
  void aWaiterPastItsDeadlineIsRefusedAndNeverRunsLate() {
    InFlightLimiter limiter = new InFlightLimiter(1, 2, clock::get);
    InFlightLimiter.Permit first = acquire(limiter, 0).join();
    CompletableFuture<InFlightLimiter.Permit> waiter = acquire(limiter, 100 * MS);
    clock.addAndGet(100 * MS);
    limiter.expireWaiters();
    assertThat(waiter).isCompletedExceptionally();
    first.close();
    assertThat(limiter.inFlight()).isZero();
    assertThat(limiter.queued()).isZero();
  }

  @Test
  void anExpiredWaiterIsSkippedWhenASlotFrees() {
    InFlightLimiter limiter = new InFlightLimiter(1, 2, clock::get);
    InFlightLimiter.Permit first = acquire(limiter, 0).join();
    CompletableFuture<InFlightLimiter.Permit> shortWait = acquire(limiter, 10 * MS);
    CompletableFuture<InFlightLimiter.Permit> longWait = acquire(limiter, 1000 * MS);
    clock.addAndGet(50 * MS);
    first.close();
    assertThat(shortWait).isCompletedExceptionally();
    assertThat(longWait).isCompleted();
  }
}
