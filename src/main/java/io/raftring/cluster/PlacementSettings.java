package io.raftring.cluster;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The placement driver's settings ({@code raftring.placement.*}; reference.conf documents each).
 *
 * @param driver whether the driver runs: off leaves every group's membership to the admin endpoints
 * @param interval how often it compares the groups with the ring
 * @param maxConcurrentMoves most groups with a membership step in flight at once
 * @param replaceAfter how long a node may be absent before its replicas are replaced on the others
 * @param stepTimeout how long one step (a learner catching up, above all) may take before it is retried
 * @param balanceLeaders whether it spreads leadership evenly once every group is in place
 */
public record PlacementSettings(
    boolean driver,
    Duration interval,
    int maxConcurrentMoves,
    Duration replaceAfter,
    Duration stepTimeout,
    boolean balanceLeaders) {

  public PlacementSettings {
    if (maxConcurrentMoves < 1) {
      throw new IllegalArgumentException("raftring.placement.max-concurrent-moves must be at least 1");
    }
  }

  public static PlacementSettings fromConfig(Config placement) {
    return new PlacementSettings(
        placement.getBoolean("driver"),
        placement.getDuration("interval"),
        placement.getInt("max-concurrent-moves"),
        placement.getDuration("replace-after"),
        placement.getDuration("step-timeout"),
        placement.getBoolean("balance-leaders"));
  }
}
