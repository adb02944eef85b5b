package io.raftring.admission;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A node's admission control (BASE's basic availability): rate limits per client and per node, and a bound on
 * requests in flight with a short, bounded queue in front. What is refused is refused at once and cheaply, before
 * any Raft work; what is admitted is served within its deadline.
 */
public final class Admission implements AutoCloseable {

  /**
   * @param maxInFlight requests this node works on at once
   * @param maxQueued requests that may wait for a slot
   * @param queueTimeout how long a read waits for a slot before it is refused (writes wait up to their deadline)
   * @param limits initial rate limits
   * @param maxTrackedClients clients whose buckets are kept
   */
  public record Settings(
      int maxInFlight, int maxQueued, Duration queueTimeout, RateLimits.Limits limits, int maxTrackedClients) {

    public static Settings fromConfig(Config config) {
      Config a = config.getConfig("raftring.admission");
      return new Settings(
          a.getInt("max-in-flight"),
          a.getInt("max-queued"),
          a.getDuration("queue-timeout"),
          new RateLimits.Limits(
              a.getDouble("rate-limit.per-client-rate"),
              a.getDouble("rate-limit.per-client-burst"),
              a.getDouble("rate-limit.per-node-rate"),
              a.getDouble("rate-limit.per-node-burst")),
          a.getInt("rate-limit.max-tracked-clients"));
    }
  }

  private static final long EXPIRY_SWEEP_MILLIS = 5;

  private final Settings settings;
  private final RateLimits rateLimits;
  private final InFlightLimiter inFlight;
  private final ScheduledExecutorService sweeper;

  public Admission(Settings settings) {
    this.settings = settings;
    this.rateLimits = new RateLimits(settings.limits(), settings.maxTrackedClients(), System::nanoTime);
    this.inFlight = new InFlightLimiter(settings.maxInFlight(), settings.maxQueued(), System::nanoTime);
    this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "raftring-admission-sweeper");
      t.setDaemon(true);
      return t;
    });
    // Waiters whose queue deadline passed are refused promptly even when no slot frees up.
    sweeper.scheduleAtFixedRate(inFlight::expireWaiters, EXPIRY_SWEEP_MILLIS, EXPIRY_SWEEP_MILLIS,
        TimeUnit.MILLISECONDS);
  }

  public RateLimits.Decision admitRate(String client) {
    return rateLimits.admit(client);
  }

  /** A slot for a read (waits at most the queue timeout) or a write (waits up to its own deadline). */
  public CompletionStage<InFlightLimiter.Permit> acquire(boolean write, Duration requestTimeout) {
    Duration wait = write ? requestTimeout : min(settings.queueTimeout(), requestTimeout);
    return inFlight.acquire(wait.toNanos());
  }

  public RateLimits rateLimits() {
    return rateLimits;
  }

  public InFlightLimiter inFlight() {
    return inFlight;
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
