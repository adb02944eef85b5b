package io.raftring.eventual;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import io.raftring.cluster.NodeRoles;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * Which nodes are up and reachable, and where their {@link EvPeer}s are, from Akka Cluster membership and
 * reachability and the Receptionist; and which nodes are on the eventual keyspace's ring.
 *
 * <p>A node is live when it is an Up (or WeaklyUp) member that this node's failure detector finds reachable and whose
 * endpoint is listed. The ring holds the configured nodes and every other node that became an Up member, until it is
 * removed from the cluster: a node that is merely down or unreachable keeps its place (sloppy quorum and hints cover
 * it), as in Dynamo, where only an operator changes membership.
 */
final class PeerDirectory {

  static final ServiceKey<EvPeer.Command> KEY = ServiceKey.create(EvPeer.Command.class, "raftring-eventual");
  private static final String NAME_PREFIX = "eventual-";

  private final String self;
  private final String rolePrefix;
  private final Set<String> configured;
  private final Consumer<Set<String>> onRingChange;
  private volatile ActorRef<EvPeer.Command> selfRef;
  private volatile Map<String, List<ActorRef<EvPeer.Command>>> listed = Map.of();
  /** Live nodes and the address of each node's current member. */
  private volatile Map<String, Address> live = Map.of();
  private volatile Set<String> ringNodes;

  private PeerDirectory(String self, String rolePrefix, Set<String> configured, Consumer<Set<String>> onRingChange) {
    this.self = self;
    this.rolePrefix = rolePrefix;
    this.configured = Set.copyOf(configured);
    this.onRingChange = onRingChange;
    Set<String> ring = new TreeSet<>(configured);
    ring.add(self);
    this.ringNodes = Set.copyOf(ring);
  }

  /** Starts this node's endpoint and begins following membership; {@code onRingChange} hears new ring members. */
  static PeerDirectory start(ActorSystem<?> system, String self, String rolePrefix, Set<String> configured,
      Behavior<EvPeer.Command> endpoint, Consumer<Set<String>> onRingChange) {
    PeerDirectory directory = new PeerDirectory(self, rolePrefix, configured, onRingChange);
    ActorRef<EvPeer.Command> ref = system.systemActorOf(
        endpoint, NAME_PREFIX + URLEncoder.encode(self, StandardCharsets.UTF_8), Props.empty());
    directory.selfRef = ref;
    system.receptionist().tell(Receptionist.register(KEY, ref));
    system.systemActorOf(directory.follower(), "eventual-peer-directory", Props.empty());
    return directory;
  }

  Set<String> ringNodes() {
    return ringNodes;
  }

  boolean isLive(String node) {
    return node.equals(self) || live.containsKey(node) && endpoint(node) != null;
  }

  Set<String> liveNodes() {
    Set<String> nodes = new TreeSet<>(live.keySet());
    nodes.removeIf(n -> endpoint(n) == null);
    nodes.add(self);
    return nodes;
  }

  /** The endpoint of {@code node}'s current incarnation, or null if it is not listed. */
  ActorRef<EvPeer.Command> endpoint(String node) {
    if (node.equals(self)) {
      return selfRef;
    }
    Address current = live.get(node);
    if (current == null) {
      return null;
    }
    for (ActorRef<EvPeer.Command> ref : listed.getOrDefault(node, List.of())) {
      if (ref.path().address().equals(current)) {
        return ref;
      }
    }
    return null;
  }

  private Behavior<Object> follower() {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.subscribe(KEY, ctx.getSelf().narrow()));
      Cluster cluster = Cluster.get(ctx.getSystem());
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf().narrow(), ClusterEvent.MemberEvent.class));
      cluster.subscriptions().tell(Subscribe.create(ctx.getSelf().narrow(), ClusterEvent.ReachabilityEvent.class));
      // Followed from the events themselves: the cluster's own state view may not show an event yet when it arrives.
      Map<Address, Member> members = new HashMap<>();
      Set<Address> unreachable = new HashSet<>();
      return Behaviors.receiveMessage(message -> {
        if (message instanceof Receptionist.Listing listing) {
          listed = byNode(listing.getServiceInstances(KEY));
          return Behaviors.same();
        }
        if (message instanceof ClusterEvent.CurrentClusterState state) {
          state.getMembers().forEach(m -> members.put(m.address(), m));
          state.getUnreachable().forEach(m -> unreachable.add(m.address()));
        } else if (message instanceof ClusterEvent.MemberRemoved removed) {
          members.remove(removed.member().address());
          unreachable.remove(removed.member().address());
        } else if (message instanceof ClusterEvent.MemberEvent event) {
          members.put(event.member().address(), event.member());
        } else if (message instanceof ClusterEvent.UnreachableMember event) {
          unreachable.add(event.member().address());
        } else if (message instanceof ClusterEvent.ReachableMember event) {
          unreachable.remove(event.member().address());
        }
        followMembership(members.values(), unreachable);
        return Behaviors.same();
      });
    });
  }

  private void followMembership(Collection<Member> members, Set<Address> unreachable) {
    Map<String, Address> nextLive = new HashMap<>();
    Set<String> nextRing = new TreeSet<>(configured);
    nextRing.add(self);
    for (Member member : members) {
      String node = NodeRoles.nodeOf(member, rolePrefix);
      if (node == null || node.equals(self)) {
        continue;
      }
      MemberStatus status = member.status();
      // A node is on the ring from the moment it is Up until it is removed from the cluster: down or unreachable, it
      // keeps its place.
      if (status != MemberStatus.joining()) {
        nextRing.add(node);
      }
      if ((status == MemberStatus.up() || status == MemberStatus.weaklyUp())
          && !unreachable.contains(member.address())) {
        nextLive.put(node, member.address());
      }
    }
    live = Map.copyOf(nextLive);
    if (!nextRing.equals(ringNodes)) {
      ringNodes = Set.copyOf(nextRing);
      onRingChange.accept(ringNodes);
    }
  }

  private static Map<String, List<ActorRef<EvPeer.Command>>> byNode(Set<ActorRef<EvPeer.Command>> refs) {
    Map<String, List<ActorRef<EvPeer.Command>>> next = new HashMap<>();
    for (ActorRef<EvPeer.Command> ref : refs) {
      String name = URLDecoder.decode(ref.path().name().substring(NAME_PREFIX.length()), StandardCharsets.UTF_8);
      next.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(ref);
    }
    next.replaceAll((k, v) -> List.copyOf(v));
    return Map.copyOf(next);
  }
}
