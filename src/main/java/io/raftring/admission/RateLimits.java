package io.raftring.admission;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Traffic shaping at the edge: one token bucket per client (by token name, else by address) and one for the whole
 * node. Limits can be changed at runtime; buckets of clients idle for a while are forgotten, and the number of
 * tracked clients is capped so that many clients cannot grow the heap without bound.
 */
public final class RateLimits {

  /** Limits in requests per second with a burst allowance; a rate of 0 turns that limit off. */
  public record Limits(double perClientRate, double perClientBurst, double perNodeRate, double perNodeBurst) {
    public Limits {
      if (!(perClientRate >= 0 && perNodeRate >= 0 && perClientBurst >= 1 && perNodeBurst >= 1)
          || !Double.isFinite(perClientRate + perNodeRate + perClientBurst + perNodeBurst)) {
        throw new IllegalArgumentException("rates must be finite and >= 0 (0 = unlimited) and bursts finite and >= 1");
      }
    }

    public static Limits unlimited() {
      return new Limits(0, 1, 0, 1);
    }
  }

  /** The answer to one request: admitted, or refused with when to retry. */
  public record Decision(boolean admitted, long retryAfterNanos, String refusedBy) {
    static final Decision ADMITTED = new Decision(true, 0, null);
  }

  private static final long IDLE_NANOS = 60_000_000_000L;

  private final LongSupplier clock;
  private final int maxTrackedClients;
  private volatile Limits limits;
  private volatile TokenBucket nodeBucket;
  private final Map<String, TokenBucket> clients = new ConcurrentHashMap<>();

  public RateLimits(Limits limits, int maxTrackedClients, LongSupplier clock) {
    this.clock = clock;
    this.maxTrackedClients = maxTrackedClients;
    update(limits);
  }

  public Limits limits() {
    return limits;
  }

  /** Replaces the limits; every client starts again with a full bucket under the new ones. */
  public synchronized void update(Limits next) {
    limits = next;
    nodeBucket = next.perNodeRate() > 0 ? new TokenBucket(next.perNodeRate(), next.perNodeBurst(), clock.getAsLong())
        : null;
    clients.clear();
  }

  public Decision admit(String client) {
    long now = clock.getAsLong();
    Limits current = limits;
    if (current.perClientRate() > 0) {
      TokenBucket bucket = clients.get(client);
      if (bucket == null) {
        if (clients.size() >= maxTrackedClients) {
          forgetIdle(now);
        }
        bucket = clients.computeIfAbsent(client,
            c -> new TokenBucket(current.perClientRate(), current.perClientBurst(), now));
      }
      long wait = bucket.tryTake(now);
      if (wait > 0) {
        return new Decision(false, wait, "client " + client);
      }
    }
    TokenBucket node = nodeBucket;
    if (node != null) {
      long wait = node.tryTake(now);
      if (wait > 0) {
        return new Decision(false, wait, "node");
      }
    }
    return Decision.ADMITTED;
  }

  public int trackedClients() {
    return clients.size();
  }

  private void forgetIdle(long now) {
    clients.values().removeIf(b -> now - b.lastUsedNanos() > IDLE_NANOS);
    if (clients.size() >= maxTrackedClients) {
      // Still full of active clients: start over rather than grow; each gets a fresh bucket.
      clients.clear();
    }
  }
}
