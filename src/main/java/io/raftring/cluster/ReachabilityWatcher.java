package io.raftring.cluster;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;

/**
 * Tells this node's replicas when another node becomes unreachable or leaves the cluster, as the failure detector
 * sees it: a quiet group (see {@code RaftCore.quiesced()}) runs no election timer, so this is how its followers learn
 * that their leader may be gone, and its leader that it may be cut off. Each replica ignores nodes that are not members
 * of its group.
 */
public final class ReachabilityWatcher {

  private ReachabilityWatcher() {}

  public static Behavior<ClusterEvent.ClusterDomainEvent> create(GroupHost host, String nodeRolePrefix) {
    return Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf().narrow(), ClusterEvent.UnreachableMember.class));
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf().narrow(), ClusterEvent.MemberRemoved.class));
      return Behaviors.receiveMessage(event -> {
        if (event instanceof ClusterEvent.UnreachableMember u) {
          tell(host, u.member(), nodeRolePrefix);
        } else if (event instanceof ClusterEvent.MemberRemoved r) {
          tell(host, r.member(), nodeRolePrefix);
        }
        return Behaviors.same();
      });
    });
  }

  private static void tell(GroupHost host, Member member, String nodeRolePrefix) {
    String node = NodeRoles.nodeOf(member, nodeRolePrefix);
    if (node != null) {
      host.peerUnreachable(node);
    }
  }
}
