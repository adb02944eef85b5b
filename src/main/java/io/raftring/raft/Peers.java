package io.raftring.raft;

/**
 * How a replica reaches the other replicas of its group, by node name. Delivery is best effort, like a network: Raft
 * tolerates lost, duplicated and reordered messages, so a send to an unknown or unreachable node is simply dropped.
 */
@FunctionalInterface
public interface Peers {
  void send(String node, ReplicaProtocol.Command message);
}
