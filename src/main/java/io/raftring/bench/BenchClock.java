package io.raftring.bench;

import java.util.concurrent.locks.LockSupport;

/** The load tool's only source of time, so that tests can drive schedules with a fake one. */
public interface BenchClock {

  long nanoTime();

  /** Returns at or after {@code deadlineNanos}; returns at once when it has already passed. */
  void sleepUntil(long deadlineNanos) throws InterruptedException;

  BenchClock SYSTEM = new BenchClock() {
    @Override
    public long nanoTime() {
      return System.nanoTime();
    }

    @Override
    public void sleepUntil(long deadlineNanos) throws InterruptedException {
      long remaining;
      while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
        LockSupport.parkNanos(remaining);
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    }
  };
}
