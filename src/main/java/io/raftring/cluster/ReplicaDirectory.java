package io.raftring.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.ReplicaId;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The running replicas' own addresses, learned through the Receptionist: every replica registers under one key, and
 * its actor's name is its entity id ({@code <group>@<node>}). Every node's {@link PeerInbox} is listed the same way.
 *
 * <p>Replicas talk to each other and routers reach leaders through these addresses rather than through the sharding
 * region, because a region that does not yet know where a shard lives asks the shard coordinator, and when the
 * coordinator's node has crashed (and nothing downs it) that question is never answered: two survivors of a leader
 * crash could then not even elect a new leader. A replica is pinned to its node, so its address only changes when
 * its node restarts, and then the new incarnation registers again.
 */
final class ReplicaDirectory {

  /** The one key all replicas register under. */
  static final ServiceKey<ReplicaProtocol.Command> REPLICAS =
      ServiceKey.create(ReplicaProtocol.Command.class, "raftring-replica");

  /** The key every node's {@link PeerInbox} registers under, named {@code peer-inbox-<node>}. */
  static final ServiceKey<PeerBatch> INBOXES = ServiceKey.create(PeerBatch.class, "raftring-peer-inbox");

  private static final String INBOX_NAME_PREFIX = "peer-inbox-";

  private volatile Map<String, List<ActorRef<ReplicaProtocol.Command>>> byEntityId = Map.of();
  private volatile Map<String, List<ActorRef<PeerBatch>>> inboxesByNode = Map.of();

  private ReplicaDirectory() {}

  /** Starts following the Receptionist on {@code system}. */
  static ReplicaDirectory start(ActorSystem<?> system) {
    ReplicaDirectory directory = new ReplicaDirectory();
    system.systemActorOf(directory.follower(), "replica-directory", Props.empty());
    return directory;
  }

  /** Makes a replica findable cluster-wide; its actor must be named by its entity id. */
  static void register(ActorSystem<?> system, ActorRef<ReplicaProtocol.Command> replica) {
    system.receptionist().tell(Receptionist.register(REPLICAS, replica));
  }

  /** Starts {@code selfNode}'s inbox for batched peer messages and makes it findable cluster-wide. */
  static void startInbox(ActorSystem<?> system, String selfNode, Behavior<PeerBatch> inbox, Props props) {
    ActorRef<PeerBatch> ref = system.systemActorOf(
        inbox, INBOX_NAME_PREFIX + URLEncoder.encode(selfNode, StandardCharsets.UTF_8), props);
    system.receptionist().tell(Receptionist.register(INBOXES, ref));
  }

  /** Every listed replica running on this node. */
  List<ActorRef<ReplicaProtocol.Command>> localRefs() {
    List<ActorRef<ReplicaProtocol.Command>> local = new ArrayList<>();
    byEntityId.values().forEach(refs -> refs.stream().filter(ref -> ref.path().address().hasLocalScope())
        .forEach(local::add));
    return local;
  }

  /** The nodes whose inboxes are listed. */
  java.util.Set<String> inboxNodes() {
    return inboxesByNode.keySet();
  }

  /** Every listed inbox of {@code node}: usually one; two briefly after it restarted. */
  List<ActorRef<PeerBatch>> inboxes(String node) {
    return inboxesByNode.getOrDefault(node, List.of());
  }

  /**
   * Every listed reference of {@code id}: usually one; two briefly after its node restarted (the old incarnation is
   * listed until the cluster removes it).
   */
  List<ActorRef<ReplicaProtocol.Command>> refs(ReplicaId id) {
    return byEntityId.getOrDefault(id.entityId(), List.of());
  }

  private Behavior<Receptionist.Listing> follower() {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(REPLICAS, ctx.getSelf()));
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(INBOXES, ctx.getSelf()));
      return Behaviors.receiveMessage(listing -> {
        if (listing.isForKey(REPLICAS)) {
          // Sharding names an entity's actor by its URL-encoded id ('@' becomes %40).
          byEntityId = byName(listing.getServiceInstances(REPLICAS), "");
        } else if (listing.isForKey(INBOXES)) {
          inboxesByNode = byName(listing.getServiceInstances(INBOXES), INBOX_NAME_PREFIX);
        }
        return Behaviors.same();
      });
    });
  }

  /** The references by the URL-decoded actor name after {@code prefix}. */
  private static <T> Map<String, List<ActorRef<T>>> byName(Set<ActorRef<T>> refs, String prefix) {
    Map<String, List<ActorRef<T>>> next = new HashMap<>();
    for (ActorRef<T> ref : refs) {
      String name = URLDecoder.decode(ref.path().name().substring(prefix.length()), StandardCharsets.UTF_8);
      next.computeIfAbsent(name, k -> new ArrayList<>()).add(ref);
    }
    next.replaceAll((k, v) -> List.copyOf(v));
    return Map.copyOf(next);
  }
}
