package io.raftring.cluster;

import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.ShardingMessageExtractor;
import io.raftring.raft.RaftReplica;

/**
 * One shard per replica, named by its entity id ({@code <group>@<node>}), so that the allocation strategy can place
 * each replica exactly, on the node whose disk holds its log.
 */
final class ReplicaShardIds
    extends ShardingMessageExtractor<ShardingEnvelope<RaftReplica.Command>, RaftReplica.Command> {

  @Override
  public String entityId(ShardingEnvelope<RaftReplica.Command> envelope) {
    return envelope.entityId();
  }

  @Override
  public String shardId(String entityId) {
    return entityId;
  }

  @Override
  public RaftReplica.Command unwrapMessage(ShardingEnvelope<RaftReplica.Command> envelope) {
    return envelope.message();
  }
}
