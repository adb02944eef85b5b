package io.raftring.cluster;

import akka.actor.typed.RecipientRef;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.Peers;
import io.raftring.raft.ReplicaId;

/** How a node reaches any replica in the cluster by its identity. */
public interface ReplicaLocator {

  /** Where to send messages for {@code id}; delivery is best effort. */
  RecipientRef<ReplicaProtocol.Command> locate(ReplicaId id);

  /** Whether the node hosting {@code id} is a member this node can currently reach. */
  boolean isReachable(ReplicaId id);

  /** Delivers {@code message} only if the replica is running on this node now; never starts it. */
  default void tellIfRunning(ReplicaId id, ReplicaProtocol.Command message) {}

  /** A transport for the replicas of {@code group}. */
  default Peers peersOf(String group) {
    return (node, message) -> locate(new ReplicaId(group, node)).tell(message);
  }
}
