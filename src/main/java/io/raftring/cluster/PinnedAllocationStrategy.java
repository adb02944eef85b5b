package io.raftring.cluster;

import akka.actor.ActorRef;
import akka.actor.Address;
import akka.cluster.Cluster;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.ShardCoordinator;
import akka.dispatch.Futures;
import io.raftring.raft.ReplicaId;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * Places the shard of replica {@code <group>@<node>} on the region of node {@code <node>} and nowhere else: a
 * replica's log is on its node's disk, and a replica started elsewhere with an empty log but the same identity could
 * vote twice in a term. When that node is not up, the shard stays unallocated (its messages wait in the regions'
 * buffers) until it returns. Shards are never rebalanced.
 */
public final class PinnedAllocationStrategy extends ShardCoordinator.AbstractShardAllocationStrategy {

  private final Cluster cluster;
  private final String nodeRolePrefix;

  public PinnedAllocationStrategy(Cluster cluster, String nodeRolePrefix) {
    this.cluster = cluster;
    this.nodeRolePrefix = nodeRolePrefix;
  }

  @Override
  public Future<ActorRef> allocateShard(
      ActorRef requester, String shardId, Map<ActorRef, IndexedSeq<String>> currentShardAllocations) {
    String node;
    try {
      node = ReplicaId.parseEntityId(shardId).node();
    } catch (IllegalArgumentException e) {
      return Futures.failed(e);
    }
    Map<String, Address> addressOfNode = new HashMap<>();
    for (Member m : cluster.state().getMembers()) {
      if (m.status() == MemberStatus.up()) {
        m.getRoles().stream().filter(r -> r.startsWith(nodeRolePrefix))
            .forEach(r -> addressOfNode.put(r.substring(nodeRolePrefix.length()), m.address()));
      }
    }
    Optional<ActorRef> region =
        regionOf(node, addressOfNode, currentShardAllocations.keySet(), cluster.selfAddress());
    return region.map(Futures::successful)
        .orElseGet(() -> Futures.failed(new NodeNotUp(shardId, node)));
  }

  /** Expected while a node starts or is down: the coordinator logs it, and a stack trace would say nothing. */
  static final class NodeNotUp extends IllegalStateException {
    NodeNotUp(String shardId, String node) {
      super("replica " + shardId + " waits for node " + node + " to be up");
    }

    @Override
    public synchronized Throwable fillInStackTrace() {
      return this;
    }
  }

  /** The region running on {@code node}'s address; a local region's address has no host, so it is {@code self}. */
  static Optional<ActorRef> regionOf(
      String node, Map<String, Address> addressOfNode, Set<ActorRef> regions, Address self) {
    Address wanted = addressOfNode.get(node);
    if (wanted == null) {
      return Optional.empty();
    }
    for (ActorRef region : regions) {
      Address at = region.path().address();
      if ((at.hasLocalScope() ? self : at).equals(wanted)) {
        return Optional.of(region);
      }
    }
    return Optional.empty();
  }

  @Override
  public Future<Set<String>> rebalance(
      Map<ActorRef, IndexedSeq<String>> currentShardAllocations, Set<String> rebalanceInProgress) {
    return Futures.successful(Set.of());
  }
}
