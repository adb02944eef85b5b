package io.raftring.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import io.raftring.raft.RaftReplica;
import io.raftring.raft.ReplicaId;
import java.util.function.Function;

/**
 * Cluster Sharding hosts the replicas: entity id {@code <group>@<node>}, one shard per replica, each pinned to its
 * own node by {@link PinnedAllocationStrategy}. Any node reaches any replica by its identity through the sharding
 * region, which also restarts a replica that stopped (after a journal failure) on its next message.
 */
public final class ShardedReplicas implements ReplicaLocator {

  public static final EntityTypeKey<RaftReplica.Command> TYPE =
      EntityTypeKey.create(RaftReplica.Command.class, "raft-replica");

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final String nodeRolePrefix;

  private ShardedReplicas(ActorSystem<?> system, String nodeRolePrefix) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.nodeRolePrefix = nodeRolePrefix;
  }

  /**
   * Starts this node's sharding region. {@code replicaFactory} builds the behaviour of a replica of this node; the
   * region asks for one only for entity ids naming this node (the allocation pins them here), and refuses others.
   */
  public static ShardedReplicas start(
      ActorSystem<?> system,
      String selfNode,
      String nodeRolePrefix,
      Function<ReplicaId, Behavior<RaftReplica.Command>> replicaFactory) {
    ShardedReplicas replicas = new ShardedReplicas(system, nodeRolePrefix);
    akka.cluster.Cluster classicCluster = akka.cluster.Cluster.get(Adapter.toClassic(system));
    replicas.sharding.init(Entity.of(TYPE, ctx -> {
          ReplicaId id = ReplicaId.parseEntityId(ctx.getEntityId());
          return id.node().equals(selfNode) ? replicaFactory.apply(id) : refuse(id, selfNode);
        })
        .withMessageExtractor(new ReplicaShardIds())
        .withAllocationStrategy(new PinnedAllocationStrategy(classicCluster, nodeRolePrefix)));
    return replicas;
  }

  /** A replica whose log is elsewhere must never start here: it would vote and accept entries with an empty log. */
  private static Behavior<RaftReplica.Command> refuse(ReplicaId id, String selfNode) {
    return Behaviors.setup(ctx -> {
      ctx.getLog().error("refusing to start replica {} on node {}: its log is on node {}", id, selfNode, id.node());
      return Behaviors.stopped();
    });
  }

  @Override
  public RecipientRef<RaftReplica.Command> locate(ReplicaId id) {
    return sharding.entityRefFor(TYPE, id.entityId());
  }

  @Override
  public boolean isReachable(ReplicaId id) {
    String role = nodeRolePrefix + id.node();
    akka.cluster.typed.Cluster cluster = akka.cluster.typed.Cluster.get(system);
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == MemberStatus.up() && m.hasRole(role)) {
        return !cluster.state().getUnreachable().contains(m);
      }
    }
    return false;
  }
}
