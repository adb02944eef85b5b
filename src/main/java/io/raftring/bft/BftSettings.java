package io.raftring.bft;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How much of a node Byzantine agreement runs may take ({@code raftring.bft}, see reference.conf). Each run's own
 * cost is bounded by {@link BftRunRequest#validate()}; these bound how many run at once and wait, and how long one
 * may take. Runs execute on their own dispatcher ({@link #DISPATCHER}), so they can never take the threads the Raft
 * replicas run on.
 *
 * @param maxConcurrentRuns runs executing at once
 * @param maxQueuedRuns     runs waiting for one of those; beyond, 503 OVERLOADED at once
 * @param queueTimeout      how long a run waits for its turn before 503 OVERLOADED
 * @param runTimeout        how long a run may take before it is stopped and answered 504 TIMEOUT
 */
public record BftSettings(int maxConcurrentRuns, int maxQueuedRuns, Duration queueTimeout, Duration runTimeout) {

  /** The dispatcher every general and coordinator runs on. */
  public static final String DISPATCHER = "raftring.bft.dispatcher";

  public BftSettings {
    if (maxConcurrentRuns < 1 || maxQueuedRuns < 0 || queueTimeout.isNegative() || runTimeout.isNegative()
        || runTimeout.isZero()) {
      throw new IllegalArgumentException("raftring.bft: max-concurrent-runs must be >= 1, max-queued-runs >= 0,"
          + " queue-timeout >= 0 and run-timeout > 0");
    }
  }

  public static BftSettings fromConfig(Config config) {
    Config bft = config.getConfig("raftring.bft");
    return new BftSettings(bft.getInt("max-concurrent-runs"), bft.getInt("max-queued-runs"),
        bft.getDuration("queue-timeout"), bft.getDuration("run-timeout"));
  }
}
