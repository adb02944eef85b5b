package io.raftring.cluster;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** The placement driver as the edge sees it: decommission a node, cancel that, read the driver's view. */
public interface PlacementApi {

  /**
   * Moves every replica off {@code node}, then lets it leave the cluster. Fails with BAD_REQUEST for an unknown node,
   * CONFLICT when fewer nodes than the replication factor would remain, NOT_READY when no driver answers.
   */
  CompletionStage<PlacementDriver.DecommissionAnswer> decommission(String node, Duration timeout);

  /** Cancels a decommission of {@code node}: the ring places replicas on it again. */
  CompletionStage<PlacementDriver.DecommissionAnswer> recommission(String node, Duration timeout);

  /** The driver's view: ring nodes, decommissions, absences, moves in flight and done, leaders per node. */
  CompletionStage<PlacementDriver.PlacementStatus> placementStatus(Duration timeout);
}
