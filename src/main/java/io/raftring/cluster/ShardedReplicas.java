package io.raftring.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.actor.Address;
import akka.actor.typed.ActorRef;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.raft.Peers;
import io.raftring.raft.ReplicaId;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import scala.concurrent.ExecutionContextExecutor;

/**
 * Cluster Sharding hosts the replicas: entity id {@code <group>@<node>}, one shard per replica, each pinned to its
 * own node by {@link PinnedAllocationStrategy}; the region starts a replica on its first message and again after it
 * stopped (a journal failure). Messages go to a replica's own address from the {@link ReplicaDirectory} once it is
 * known, so traffic between running replicas never waits on the shard coordinator. Raft messages for replicas on
 * other nodes travel in per-node batches ({@link PeerMailer}, {@link PeerInbox}) unless
 * {@code raftring.cluster.batch-peer-messages} is off.
 */
public final class ShardedReplicas implements ReplicaLocator {

  public static final EntityTypeKey<ReplicaProtocol.Command> TYPE =
      EntityTypeKey.create(ReplicaProtocol.Command.class, "raft-replica");

  private final ActorSystem<?> system;
  private final ClusterSharding sharding;
  private final String nodeRolePrefix;
  private final ReplicaDirectory directory;
  /** Batches Raft messages per destination node; null when raftring.cluster.batch-peer-messages is off. */
  private final PeerMailer mailer;
  private final String selfNode;
  /** Which nodes' beacons stopped; beacons travel with the batches, so none without a mailer. */
  private final NodeLiveness liveness;

  private ShardedReplicas(ActorSystem<?> system, String selfNode, String nodeRolePrefix) {
    this.system = system;
    this.sharding = ClusterSharding.get(system);
    this.nodeRolePrefix = nodeRolePrefix;
    this.directory = ReplicaDirectory.start(system);
    this.selfNode = selfNode;
    this.liveness = new NodeLiveness(
        system.settings().config().getDuration("raftring.raft.election-timeout-min").toNanos(),
        system.settings().config().getDuration("raftring.raft.election-timeout-max").toNanos(),
        () -> ThreadLocalRandom.current().nextDouble());
    DispatcherSelector raftDispatcher = raftDispatcher(system);
    ExecutionContextExecutor raftExecutor = system.dispatchers().lookup(raftDispatcher);
    if (system.settings().config().getBoolean("raftring.cluster.batch-peer-messages")) {
      ReplicaDirectory.startInbox(system, selfNode,
          PeerInbox.create(selfNode, this::deliverHere, liveness, System::nanoTime), raftDispatcher);
      this.mailer = new PeerMailer(
          selfNode, raftExecutor, node -> reachable(directory.inboxes(node)), this::sendDirect);
      // Node beacons stand in for the heartbeats of quiet groups: their followers campaign as soon as their leader's
      // node falls silent for an election timeout, not only once the failure detector decides.
      Duration every = system.settings().config().getDuration("raftring.raft.heartbeat-interval");
      system.scheduler().scheduleAtFixedRate(every, every, this::beacon, raftExecutor);
    } else {
      this.mailer = null;
    }
  }

  /**
   * Starts this node's sharding region. {@code replicaFactory} builds the behaviour of a replica of this node; the
   * region asks for one only for entity ids naming this node (the allocation pins them here), and refuses others.
   */
  public static ShardedReplicas start(
      ActorSystem<?> system,
      String selfNode,
      String nodeRolePrefix,
      Function<ReplicaId, Behavior<ReplicaProtocol.Command>> replicaFactory) {
    ShardedReplicas replicas = new ShardedReplicas(system, selfNode, nodeRolePrefix);
    system.systemActorOf(ReachabilityWatcher.create(replicas::tellLocalReplicasUnreachable, nodeRolePrefix),
        "raftring-reachability", akka.actor.typed.Props.empty());
    akka.cluster.Cluster classicCluster = akka.cluster.Cluster.get(Adapter.toClassic(system));
    replicas.sharding.init(Entity.of(TYPE, ctx -> {
          ReplicaId id = ReplicaId.parseEntityId(ctx.getEntityId());
          if (!id.node().equals(selfNode)) {
            return refuse(id, selfNode);
          }
          return Behaviors.setup(entity -> {
            ReplicaDirectory.register(system, entity.getSelf());
            return replicaFactory.apply(id);
          });
        })
        .withEntityProps(raftDispatcher(system))
        .withMessageExtractor(new ReplicaShardIds())
        .withAllocationStrategy(new PinnedAllocationStrategy(classicCluster, nodeRolePrefix)));
    return replicas;
  }

  /**
   * Where the replicas, their messages to other nodes and their node's inbox run ({@code raftring.raft.dispatcher}):
   * apart from the HTTP streams, watches and leases on the default dispatcher, whose bursts would otherwise queue a
   * leader's heartbeats, and the batches carrying them, past its followers' election timeout.
   */
  public static DispatcherSelector raftDispatcher(ActorSystem<?> system) {
    String path = system.settings().config().getString("raftring.raft.dispatcher");
    return path.isEmpty() ? DispatcherSelector.defaultDispatcher() : DispatcherSelector.fromConfig(path);
  }

  /** A replica whose log is elsewhere must never start here: it would vote and accept entries with an empty log. */
  private static Behavior<ReplicaProtocol.Command> refuse(ReplicaId id, String selfNode) {
    return Behaviors.setup(ctx -> {
      ctx.getLog().error("refusing to start replica {} on node {}: its log is on node {}", id, selfNode, id.node());
      return Behaviors.stopped();
    });
  }

  /**
   * The replica's own address when it is known and its node reachable; else its sharding entity reference (which
   * also starts it, but depends on the shard coordinator knowing or finding where it lives).
   */
  @Override
  public RecipientRef<ReplicaProtocol.Command> locate(ReplicaId id) {
    List<ActorRef<ReplicaProtocol.Command>> direct = reachable(directory.refs(id));
    return direct.isEmpty() ? sharding.entityRefFor(TYPE, id.entityId()) : direct.get(direct.size() - 1);
  }

  @Override
  public void tellIfRunning(ReplicaId id, ReplicaProtocol.Command message) {
    directory.refs(id).stream().filter(ref -> ref.path().address().hasLocalScope()).forEach(ref -> ref.tell(message));
  }

  @Override
  public Peers peersOf(String group) {
    return (node, message) -> {
      ReplicaId id = new ReplicaId(group, node);
      if (mailer == null) {
        sendDirect(id, message);
      } else {
        mailer.send(id, message);
      }
    };
  }

  /**
   * Each heartbeat interval: this node's beacon to every other node with a known inbox, and the nodes whose own
   * beacons stopped told to this node's replicas (see {@link NodeLiveness}).
   */
  private void beacon() {
    for (String node : directory.inboxNodes()) {
      if (!node.equals(selfNode)) {
        mailer.sendBeacon(node);
      }
    }
    liveness.newlySilent(System.nanoTime()).forEach(this::tellLocalReplicasUnreachable);
  }

  /** Tells every replica running here that {@code node} fell silent or is unreachable (quiet ones wake). */
  private void tellLocalReplicasUnreachable(String node) {
    ReplicaProtocol.PeerUnreachable message = new ReplicaProtocol.PeerUnreachable(node);
    directory.localRefs().forEach(ref -> ref.tell(message));
  }

  /** Raft messages that left this node in batches so far; with {@link #peerBatchesSent()}, what batching saves. */
  public long peerMessagesBatched() {
    return mailer == null ? 0 : mailer.batchedMessages();
  }

  public long peerBatchesSent() {
    return mailer == null ? 0 : mailer.batches();
  }

  /** One message straight to the replica's own address, or through sharding (which starts it) if none is known. */
  private void sendDirect(ReplicaId id, ReplicaProtocol.Command message) {
    List<ActorRef<ReplicaProtocol.Command>> direct = reachable(directory.refs(id));
    if (direct.isEmpty()) {
      sharding.entityRefFor(TYPE, id.entityId()).tell(message);
    } else {
      direct.forEach(ref -> ref.tell(message));
    }
  }

  /** A message from another node's batch for a replica of this node: to the running replica, else through sharding. */
  private void deliverHere(ReplicaId id, ReplicaProtocol.Command message) {
    ActorRef<ReplicaProtocol.Command> running = null;
    for (ActorRef<ReplicaProtocol.Command> ref : directory.refs(id)) {
      if (ref.path().address().hasLocalScope()) {
        running = ref;
      }
    }
    if (running == null) {
      sharding.entityRefFor(TYPE, id.entityId()).tell(message);
    } else {
      running.tell(message);
    }
  }

  private <T> List<ActorRef<T>> reachable(List<ActorRef<T>> refs) {
    if (refs.isEmpty()) {
      return refs;
    }
    akka.cluster.typed.Cluster cluster = akka.cluster.typed.Cluster.get(system);
    Set<Address> unreachable = new HashSet<>();
    cluster.state().getUnreachable().forEach(m -> unreachable.add(m.address()));
    if (unreachable.isEmpty()) {
      return refs;
    }
    Address self = cluster.selfMember().address();
    return refs.stream()
        .filter(r -> !unreachable.contains(r.path().address().hasLocalScope() ? self : r.path().address()))
        .toList();
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
