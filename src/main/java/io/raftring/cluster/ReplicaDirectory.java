package io.raftring.cluster;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.typed.Cluster;
import io.raftring.raft.Peers;
import io.raftring.raft.RaftReplica;
import io.raftring.raft.ReplicaId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where every Raft replica in the cluster is: each registers with the Receptionist under one key, named by its
 * entity id ({@code <group>@<node>}), and this directory follows the listing. Replicas use it to reach their peers
 * and routers use it to reach a group's leader from any node.
 *
 * <p>A node that restarted may briefly be listed twice (its old incarnation until the cluster removes it); messages
 * go to every listed reference on a reachable node, and a dead one drops them, which Raft tolerates like any lost
 * message.
 */
public final class ReplicaDirectory {

  /** The one key all replicas register under; the actor's name tells which replica it is. */
  public static final ServiceKey<RaftReplica.Command> REPLICAS =
      ServiceKey.create(RaftReplica.Command.class, "raftring-replica");

  private final ActorSystem<?> system;
  private volatile Map<String, List<ActorRef<RaftReplica.Command>>> byEntityId = Map.of();

  private final boolean clustered;

  private ReplicaDirectory(ActorSystem<?> system) {
    this.system = system;
    this.clustered = "cluster".equals(system.settings().config().getString("akka.actor.provider"));
  }

  /** Starts following the Receptionist on {@code system}. */
  public static ReplicaDirectory start(ActorSystem<?> system) {
    ReplicaDirectory directory = new ReplicaDirectory(system);
    system.systemActorOf(directory.follower(), "replica-directory", Props.empty());
    return directory;
  }

  /** Makes a replica, whose actor is named by its entity id, findable cluster-wide. */
  public static void register(ActorSystem<?> system, ActorRef<RaftReplica.Command> replica) {
    system.receptionist().tell(Receptionist.register(REPLICAS, replica));
  }

  /** A transport for the replicas of {@code group}. */
  public Peers peersOf(String group) {
    return (node, message) -> send(new ReplicaId(group, node), message);
  }

  public void send(ReplicaId id, RaftReplica.Command message) {
    for (ActorRef<RaftReplica.Command> ref : refs(id)) {
      ref.tell(message);
    }
  }

  /** The references of {@code id} on nodes this node currently sees as reachable. */
  public List<ActorRef<RaftReplica.Command>> refs(ReplicaId id) {
    List<ActorRef<RaftReplica.Command>> refs = byEntityId.getOrDefault(id.entityId(), List.of());
    if (refs.isEmpty()) {
      return refs;
    }
    Set<Address> unreachable = unreachableAddresses();
    if (unreachable.isEmpty()) {
      return refs;
    }
    return refs.stream().filter(r -> !unreachable.contains(addressOf(r))).toList();
  }

  /** Whether a replica of {@code id} is known on a reachable node. */
  public boolean isReachable(ReplicaId id) {
    return !refs(id).isEmpty();
  }

  private Set<Address> unreachableAddresses() {
    if (!clustered) {
      return Set.of();
    }
    Set<Address> unreachable = new java.util.HashSet<>();
    Cluster.get(system).state().getUnreachable().forEach(m -> unreachable.add(m.address()));
    return unreachable;
  }

  private Address addressOf(ActorRef<?> ref) {
    Address address = ref.path().address();
    return address.hasLocalScope() ? Cluster.get(system).selfMember().address() : address;
  }

  private Behavior<Receptionist.Listing> follower() {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(REPLICAS, ctx.getSelf()));
      return Behaviors.receiveMessage(listing -> {
        Map<String, List<ActorRef<RaftReplica.Command>>> next = new HashMap<>();
        for (ActorRef<RaftReplica.Command> ref : listing.getServiceInstances(REPLICAS)) {
          next.computeIfAbsent(ref.path().name(), k -> new java.util.ArrayList<>()).add(ref);
        }
        next.replaceAll((k, v) -> List.copyOf(v));
        byEntityId = Map.copyOf(next);
        return Behaviors.same();
      });
    });
  }
}
