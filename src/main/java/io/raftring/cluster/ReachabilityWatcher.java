package io.raftring.cluster;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import java.util.function.Consumer;

/**
 * Reports each node that becomes unreachable or leaves the cluster, as the failure detector sees it, so that this
 * node's quiet replicas (see {@code RaftCore.quiesced()}), which run no timers, learn that a leader may be gone or
 * that they may be cut off. Node beacons ({@link NodeLiveness}) tell them sooner; this also covers nodes that never
 * beaconed and clusters without batched peer messages.
 */
final class ReachabilityWatcher {

  private ReachabilityWatcher() {}

  static Behavior<ClusterEvent.ClusterDomainEvent> create(Consumer<String> unreachable, String nodeRolePrefix) {
    return Behaviors.setup(ctx -> {
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf().narrow(), ClusterEvent.UnreachableMember.class));
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf().narrow(), ClusterEvent.MemberRemoved.class));
      return Behaviors.receiveMessage(event -> {
        if (event instanceof ClusterEvent.UnreachableMember u) {
          report(unreachable, u.member(), nodeRolePrefix);
        } else if (event instanceof ClusterEvent.MemberRemoved r) {
          report(unreachable, r.member(), nodeRolePrefix);
        }
        return Behaviors.same();
      });
    });
  }

  private static void report(Consumer<String> unreachable, Member member, String nodeRolePrefix) {
    String node = NodeRoles.nodeOf(member, nodeRolePrefix);
    if (node != null) {
      unreachable.accept(node);
    }
  }
}
