package io.raftring.admission;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * Bounds the requests a node works on at once. A request past the bound waits in a bounded queue until a slot frees
 * or its own wait limit passes; a full queue refuses at once. A request whose wait ran out is refused and never
 * processed late. Slots are handed to waiters in arrival order.
 *
 * <p>Reads wait at most the queue deadline (about 100 ms): a late answer is worth little and the client can retry.
 * Writes may wait up to their whole request deadline ("delayed response" rather than failure at the first sign of
 * load).
 */
public final class InFlightLimiter {

  /** Why a request was not admitted. */
  public static final class Refused extends RuntimeException {
    private final boolean queueFull;

    Refused(boolean queueFull, String message) {
      super(message, null, false, false);
      this.queueFull = queueFull;
    }

    public boolean queueFull() {
      return queueFull;
    }
  }

  private record Waiter(CompletableFuture<Permit> promise, long deadlineNanos) {}

  /** A slot; release it exactly once when the request is done. */
  public final class Permit implements AutoCloseable {
    private boolean released;

    @Override
    public void close() {
      synchronized (InFlightLimiter.this) {
        if (released) {
          return;
        }
        released = true;
      }
      release();
    }
  }

  private final int maxInFlight;
  private final int maxQueued;
  private final LongSupplier clock;
  private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
  private int inFlight;

  public InFlightLimiter(int maxInFlight, int maxQueued, LongSupplier clock) {
    if (maxInFlight < 1 || maxQueued < 0) {
      throw new IllegalArgumentException("max-in-flight must be >= 1 and max-queued >= 0");
    }
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
    this.clock = clock;
  }

  /** A slot now, or once one frees within {@code maxWaitNanos}; else a stage failed with {@link Refused}. */
  public CompletionStage<Permit> acquire(long maxWaitNanos) {
    Waiter waiter;
    synchronized (this) {
      if (inFlight < maxInFlight) {
        inFlight++;
        return CompletableFuture.completedFuture(new Permit());
      }
      if (queue.size() >= maxQueued || maxWaitNanos <= 0) {
        return CompletableFuture.failedFuture(new Refused(true, "node overloaded: " + inFlight
            + " requests in flight and " + queue.size() + " queued"));
      }
      waiter = new Waiter(new CompletableFuture<>(), clock.getAsLong() + maxWaitNanos);
      queue.addLast(waiter);
    }
    return waiter.promise();
  }

  /** Refuses every waiter whose wait ran out; called periodically (every few milliseconds). */
  public void expireWaiters() {
    long now = clock.getAsLong();
    java.util.List<Waiter> expired = new java.util.ArrayList<>();
    synchronized (this) {
      queue.removeIf(w -> {
        if (now - w.deadlineNanos() >= 0) {
          expired.add(w);
          return true;
        }
        return false;
      });
    }
    expired.forEach(w -> w.promise().completeExceptionally(
        new Refused(false, "node overloaded: waited past the queue deadline")));
  }

  public synchronized int inFlight() {
    return inFlight;
  }

  public synchronized int queued() {
    return queue.size();
  }

  private void release() {
    long now = clock.getAsLong();
    java.util.List<Waiter> expired = new java.util.ArrayList<>();
    Waiter next = null;
    synchronized (this) {
      while (!queue.isEmpty()) {
        Waiter w = queue.removeFirst();
        if (now - w.deadlineNanos() >= 0) {
          expired.add(w);
        } else {
          next = w;
          break;
        }
      }
      if (next == null) {
        inFlight--;
      }
    }
    expired.forEach(w -> w.promise().completeExceptionally(
        new Refused(false, "node overloaded: waited past the queue deadline")));
    if (next != null) {
      // The slot passes straight to the waiter; inFlight is unchanged.
      next.promise().complete(new Permit());
    }
  }
}
