package io.raftring.cluster;

import io.raftring.raft.ReplicaProtocol;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.ShardingMessageExtractor;

/**
 * One shard per replica, named by its entity id ({@code <group>@<node>}), so that the allocation strategy can place
 * each replica exactly, on the node whose disk holds its log.
 */
final class ReplicaShardIds
    extends ShardingMessageExtractor<ShardingEnvelope<ReplicaProtocol.Command>, ReplicaProtocol.Command> {

  @Override
  public String entityId(ShardingEnvelope<ReplicaProtocol.Command> envelope) {
    return envelope.entityId();
  }

  @Override
  public String shardId(String entityId) {
    return entityId;
  }

  @Override
  public ReplicaProtocol.Command unwrapMessage(ShardingEnvelope<ReplicaProtocol.Command> envelope) {
    return envelope.message();
  }
}
