package io.raftring.api;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

/** What a node tells about itself and its cluster: for /v1/cluster and the health endpoints. */
public interface ClusterApi {

  /** This node's name (from configuration). */
  String nodeName();

  /** Joined the cluster and a leader is known for every group this node routes to. */
  boolean isReady();

  /** Why the node is not ready, for people; empty when it is. */
  String notReadyReason();

  /** Members, groups, leaders and each replica's term and indexes, gathered within {@code timeout}. */
  CompletionStage<ClusterStatus> clusterStatus(Duration timeout);
}
