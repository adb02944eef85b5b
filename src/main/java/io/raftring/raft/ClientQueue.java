package io.raftring.raft;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Client requests a leader gathered since its last Ready: they go to the core together, so a burst becomes one
 * append, one AppendEntries per follower and one storage write. The queue is bounded twice: past {@code maxQueued}
 * requests a new one is refused at once, and one that waited {@code deadlineNanos} or longer (the replica fell behind
 * its mailbox) is refused instead of processed late. Both refusals are certainly-not-done answers (503 OVERLOADED).
 *
 * @param <R> a queued request
 */
final class ClientQueue<R> {

  private final int maxQueued;
  private final long deadlineNanos;
  private List<R> queued = new ArrayList<>();
  /** When each queued request arrived, in queue order; requests arrive in clock order, so overdue ones are a prefix. */
  private long[] arrivedAt = new long[16];

  ClientQueue(int maxQueued, long deadlineNanos) {
    if (maxQueued < 1 || deadlineNanos <= 0) {
      throw new IllegalArgumentException("the client queue needs room for one request and a positive deadline");
    }
    this.maxQueued = maxQueued;
    this.deadlineNanos = deadlineNanos;
  }

  /** Queues {@code request} that arrived at {@code nowNanos}; false when the queue is full (refuse it). */
  boolean offer(R request, long nowNanos) {
    int position = queued.size();
    if (position >= maxQueued) {
      return false;
    }
    if (position == arrivedAt.length) {
      arrivedAt = Arrays.copyOf(arrivedAt, Math.min(maxQueued, arrivedAt.length * 2));
    }
    arrivedAt[position] = nowNanos;
    queued.add(request);
    return true;
  }

  /**
   * Takes everything queued: those that waited their whole deadline by {@code nowNanos} go to {@code overdue}, oldest
   * first; the rest are returned in arrival order.
   */
  List<R> drain(long nowNanos, Consumer<R> overdue) {
    int late = 0;
    while (late < queued.size() && nowNanos - arrivedAt[late] >= deadlineNanos) {
      overdue.accept(queued.get(late));
      late++;
    }
    List<R> fresh = late == 0 ? queued : new ArrayList<>(queued.subList(late, queued.size()));
    queued = new ArrayList<>();
    return fresh;
  }

  /** Takes everything queued, in arrival order, deadlines aside (to answer it all at once). */
  List<R> takeAll() {
    List<R> all = queued;
    queued = new ArrayList<>();
    return all;
  }

  boolean isEmpty() {
    return queued.isEmpty();
  }

  int size() {
    return queued.size();
  }
}
