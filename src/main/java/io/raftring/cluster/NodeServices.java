package io.raftring.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One service actor per node (a watch feed, say), found by node name from any node through the Receptionist: each
 * node starts its own as a system actor named {@code <prefix><node>} and registers it under the service's key; this
 * follows the key's listing. The same pattern as the replicas' and peer inboxes' {@link ReplicaDirectory}, for
 * services above the replicas.
 */
public final class NodeServices<T> {

  private final String namePrefix;
  private volatile Map<String, List<ActorRef<T>>> byNode = Map.of();

  private NodeServices(String namePrefix) {
    this.namePrefix = namePrefix;
  }

  /**
   * Starts {@code selfNode}'s service actor from {@code behavior}, registers it, and follows every node's; the
   * returned directory answers {@link #of}.
   */
  public static <T> NodeServices<T> start(
      ActorSystem<?> system, ServiceKey<T> key, String namePrefix, String selfNode, Behavior<T> behavior) {
    NodeServices<T> services = new NodeServices<>(namePrefix);
    ActorRef<T> self = system.systemActorOf(
        behavior, namePrefix + URLEncoder.encode(selfNode, StandardCharsets.UTF_8), Props.empty());
    system.receptionist().tell(Receptionist.register(key, self));
    system.systemActorOf(services.follower(key), namePrefix + "directory", Props.empty());
    return services;
  }

  /** The service actors listed for {@code node}: usually one; two briefly after the node restarted. */
  public List<ActorRef<T>> of(String node) {
    return byNode.getOrDefault(node, List.of());
  }

  private Behavior<Receptionist.Listing> follower(ServiceKey<T> key) {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(key, ctx.getSelf()));
      return Behaviors.receiveMessage(listing -> {
        Map<String, List<ActorRef<T>>> next = new HashMap<>();
        for (ActorRef<T> ref : listing.getServiceInstances(key)) {
          String name = ref.path().name();
          if (name.startsWith(namePrefix)) {
            String node = URLDecoder.decode(name.substring(namePrefix.length()), StandardCharsets.UTF_8);
            next.computeIfAbsent(node, k -> new ArrayList<>()).add(ref);
          }
        }
        next.replaceAll((k, v) -> List.copyOf(v));
        byNode = Map.copyOf(next);
        return Behaviors.same();
      });
    });
  }
}
