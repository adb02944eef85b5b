package io.raftring;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import akka.actor.typed.Props;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import io.raftring.api.BackupApi;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.api.ClusterApi;
import io.raftring.api.ClusterStatus;
import io.raftring.api.ErrorCode;
import io.raftring.api.KvApi;
import io.raftring.api.RaftRingException;
import io.raftring.api.TxnApi;
import io.raftring.cluster.Asks;
import io.raftring.cluster.Decommissions;
import io.raftring.cluster.GroupConfigurations;
import io.raftring.cluster.GroupHost;
import io.raftring.cluster.GroupMembership;
import io.raftring.cluster.GroupRouter;
import io.raftring.cluster.NodeRoles;
import io.raftring.cluster.NodeServices;
import io.raftring.cluster.PlacementApi;
import io.raftring.cluster.PlacementDriver;
import io.raftring.cluster.PlacementMetrics;
import io.raftring.cluster.ShardedReplicas;
import io.raftring.eventual.EventualKeyspace;
import io.raftring.eventual.EventualSettings;
import io.raftring.kv.KvLimits;
import io.raftring.kv.KvStateMachine;
import io.raftring.lease.LeaseApi;
import io.raftring.lease.LeaseCheckingKvApi;
import io.raftring.lease.LeaseService;
import io.raftring.lease.LeaseSettings;
import io.raftring.lease.Lessor;
import io.raftring.lease.NodeLessors;
import io.raftring.lock.ElectionApi;
import io.raftring.lock.LockApi;
import io.raftring.lock.LockService;
import io.raftring.metrics.JvmProcessMetrics;
import io.raftring.metrics.MetricsRegistry;
import io.raftring.metrics.SchedulingDelayProbe;
import io.raftring.raft.RaftReplica;
import io.raftring.raft.ReplicaId;
import io.raftring.ring.GroupPlacement;
import io.raftring.ring.HashTag;
import io.raftring.storage.RocksDbStore;
import io.raftring.storage.RocksDbStoreRegistry;
import io.raftring.storage.StorageSettings;
import io.raftring.txn.KeyRouting;
import io.raftring.txn.LockResolver;
import io.raftring.txn.TxnCoordinator;
import io.raftring.txn.TxnMetrics;
import io.raftring.txn.TxnRecovery;
import io.raftring.txn.TxnScheduler;
import io.raftring.txn.TxnSettings;
import io.raftring.txn.TxnStateMachine;
import io.raftring.watch.FeedServer;
import io.raftring.watch.NodeHistories;
import io.raftring.watch.WatchApi;
import io.raftring.watch.WatchService;
import io.raftring.watch.WatchSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * RaftRing inside an Akka Cluster application: {@code RaftRing.get(system)} starts this node's replicas (the groups
 * the ring places here) and gives the key-value API, which serves any key from any node.
 *
 * <p>The system must be a cluster system with the RaftRing journal configured (see reference.conf and
 * conf/node.conf); the node's name and the cluster's node names come from {@code raftring.node.name} and
 * {@code raftring.cluster.nodes}.
 */
public final class RaftRing implements Extension, ClusterApi, PlacementApi {

  public static final ExtensionId<RaftRing> ID = new ExtensionId<>() {
    @Override
    public RaftRing createExtension(ActorSystem<?> system) {
      return new RaftRing(system);
    }
  };

  /** How often each node asks the groups who leads them, so readiness and routing know without a request. */
  private static final Duration LEADER_POLL = Duration.ofMillis(500);
  /** A local replica that has not answered a poll for this long does not count as running. */
  private static final Duration LOCAL_ANSWER_MAX_AGE = LEADER_POLL.multipliedBy(4);

  /** Each node advertises its name as the cluster role {@code node:<name>}. */
  public static final String NODE_ROLE_PREFIX = "node:";

  public static RaftRing get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  private final ActorSystem<?> system;
  private final RaftRingSettings settings;
  private final GroupPlacement placement;
  private final GroupRouter router;
  private final GroupHost host;
  private final KvApi kv;
  private final BackupApi backup;
  private final TxnApi txn;
  private final RoutedGroupClient groupClient;
  private final TxnCoordinator coordinator;
  private final GroupMembership membership;
  private final MetricsRegistry metrics = new MetricsRegistry();
  private final GroupConfigurations configurations;
  private final Decommissions decommissions;
  private final ActorRef<PlacementDriver.Command> placementDriver;
  private long pollRound;
  /** When each local replica last answered a status poll: readiness requires them running. */
  private final java.util.Map<String, Long> localAnswerNanos = new java.util.concurrent.ConcurrentHashMap<>();
  private final RaftMetrics raftMetrics;
  /** The eventually consistent keyspace; null when off, or without RaftRing's RocksDB storage to keep it in. */
  private final EventualKeyspace eventual;
  private final NodeHistories histories;
  private final NodeLessors lessors = new NodeLessors(System::nanoTime);
  private final WatchService watch;
  private final LeaseService leases;
  private final LockService locks;
  /** Completes once the system has terminated and this node has given back its RocksDB store. */
  private final CompletableFuture<Done> stopped = new CompletableFuture<>();

  private static final ServiceKey<FeedServer.Command> WATCH_FEEDS =
      ServiceKey.create(FeedServer.Command.class, "raftring-watch-feed");

  private RaftRing(ActorSystem<?> system) {
    this.system = system;
    this.settings = RaftRingSettings.fromConfig(system.settings().config());
    this.placement = GroupPlacement.of(
        settings.groups(), settings.replicationFactor(), settings.virtualNodes(), settings.nodes());
    WatchSettings watchSettings = WatchSettings.fromConfig(system.settings().config());
    this.histories = new NodeHistories(watchSettings.history(), System::nanoTime);
    ShardedReplicas[] locator = new ShardedReplicas[1];
    // Each replica's state machine reports its changes to this node's watch histories and lessors.
    locator[0] = ShardedReplicas.start(system, settings.nodeName(), NODE_ROLE_PREFIX,
        id -> RaftReplica.create(id, java.util.Set.copyOf(placement.replicasOf(id.group())), settings.raft(),
            ctx -> locator[0].peersOf(id.group()),
            () -> new TxnStateMachine(
                new KvStateMachine(histories.listenerFor(id.group()).with(lessors.listenerFor(id.group())))),
            new java.util.Random()));
    this.configurations = new GroupConfigurations(placement::replicasOf, System::nanoTime);
    this.router = new GroupRouter(system, locator[0], configurations::membersOf, settings.nodeName());
    this.host = new GroupHost(system, settings.nodeName(), placement.groups(), configurations, locator[0]);
    this.membership = new GroupMembership(system, locator[0], router, configurations::membersOf,
        placement.groups(), this::knownNodes);
    this.raftMetrics = new RaftMetrics(metrics);
    metrics.include(JvmProcessMetrics.get());
    ShardedReplicas replicas = locator[0];
    metrics.gauge("raftring_peer_messages_batched",
        "Raft messages this node has sent to other nodes in per-node batches (only grows).",
        replicas::peerMessagesBatched);
    metrics.gauge("raftring_peer_batches_sent",
        "Batches those messages travelled in (only grows); messages / batches is the batching factor.",
        replicas::peerBatchesSent);
    TxnSettings txnSettings = TxnSettings.fromConfig(system.settings().config().getConfig("raftring.txn"));
    this.groupClient = new RoutedGroupClient(router);
    TxnScheduler scheduler = (delay, task) -> system.scheduler().scheduleOnce(delay, task, system.executionContext());
    TxnMetrics txnMetrics = new TxnMetrics(metrics);
    LockResolver txnLocks = new LockResolver(groupClient, scheduler, System::currentTimeMillis, System::nanoTime,
        txnMetrics);
    LeaseSettings leaseSettings = LeaseSettings.fromConfig(system.settings().config());
    this.leases = new LeaseService(system, router, placement.groups(), leaseSettings, new java.security.SecureRandom());
    this.kv = new LeaseCheckingKvApi(new RoutedKvApi(router, placement::groupOf, configurations::membersOf,
        placement.groups(), settings.limits(), raftMetrics::proposal, txnLocks), leases);
    this.backup = new GroupBackups(router, placement::groupOf, placement.groups(), settings.limits());
    this.coordinator = new TxnCoordinator(settings.nodeName(), groupClient, keyRouting(), settings.limits(),
        txnSettings, txnLocks, scheduler, System::currentTimeMillis, System::nanoTime, txnMetrics);
    this.txn = new RoutedTxnApi(coordinator, placement.groups());
    TxnRecovery recovery = new TxnRecovery(groupClient, txnLocks, this::groupsLedHere, txnSettings,
        System::currentTimeMillis, txnMetrics);
    system.scheduler().scheduleAtFixedRate(txnSettings.recoveryInterval(), txnSettings.recoveryInterval(),
        recovery::sweep, system.executionContext());
    system.systemActorOf(Lessor.create(new Lessor.Dependencies(lessors, router, settings.nodeName(),
        placement.groups(), group -> configurations.hosts(group, nodeName()), leaseSettings, System::nanoTime)),
        "raftring-lessor", Props.empty());
    NodeServices<FeedServer.Command> feeds = NodeServices.start(system, WATCH_FEEDS, "raftring-watch-feed-",
        settings.nodeName(), FeedServer.create(histories, watchSettings.progressInterval()));
    this.watch = new WatchService(watchSettings, placement.groups(), placement::groupOf,
        key -> settings.limits().validateKey(key), group -> watchSourcesOf(group, locator[0]), node -> {
          List<ActorRef<FeedServer.Command>> listed = feeds.of(node);
          return listed.isEmpty() ? null : listed.get(listed.size() - 1);
        });
    this.locks = new LockService(kv, watch, akka.stream.Materializer.matFromSystem(system));
    metrics.gauge("raftring_watch_active", "Watches this node serves now.", watch::activeWatches);
    metrics.gauge("raftring_watch_events_sent", "Changes this node's watches handed to their clients (only grows).",
        watch::eventsSent);
    metrics.gauge("raftring_lease_expired", "Leases this node's lessors expired (only grows).", lessors::expiredLeases);
    metrics.gauge("raftring_lease_held",
        "Leases of the groups whose lessor runs on this node (it leads them), kept on its clock.", lessors::heldLeases);
    this.decommissions = new Decommissions(system);
    this.placementDriver = settings.placement().driver() ? startPlacementDriver() : null;
    RocksDbStore store = holdLocalStore(system);
    SchedulingDelayProbe delayProbe = startSchedulingDelayProbe();
    system.getWhenTerminated().whenComplete((done, failure) -> {
      delayProbe.close();
      try {
        if (store != null) {
          store.observeSyncs(null);
          RocksDbStoreRegistry.release(store);
        }
      } finally {
        stopped.complete(Done.getInstance());
      }
    });
    if (store != null) {
      // Every synced write is timed for /metrics.
      store.observeSyncs(raftMetrics.journalObserver());
    }
    this.eventual = startEventual(store);
    host.wakeAtStart(groupsWithLocalLogs(store));
    system.scheduler().scheduleAtFixedRate(LEADER_POLL, LEADER_POLL, this::pollLeaders, system.executionContext());
  }

  /**
   * Times how long this node's runnable work waits. A heartbeat that waits twice its interval is etcd's warning sign
   * of an overloaded leader ("failed to send out heartbeat on time"): past the election timeout, followers campaign.
   */
  private SchedulingDelayProbe startSchedulingDelayProbe() {
    Duration heartbeat = settings.raft().heartbeatInterval();
    Map<String, Executor> dispatchers = new LinkedHashMap<>();
    dispatchers.put("default-dispatcher", system.executionContext());
    dispatchers.put("raft-dispatcher", system.dispatchers().lookup(ShardedReplicas.raftDispatcher(system)));
    return new SchedulingDelayProbe(metrics, Duration.ofMillis(20), heartbeat.multipliedBy(2), dispatchers,
        System::nanoTime, (where, nanos) -> system.log().warn(
            "{} waited {} ms for {} (a heartbeat is due every {} ms; followers campaign after {} ms without one)",
            settings.nodeName(), nanos / 1_000_000,
            where.equals("thread") ? "a core (the process was starved or paused)" : "a thread of its " + where,
            heartbeat.toMillis(), settings.raft().electionTimeoutMin().toMillis()))
        .start();
  }

  /** Starts the eventual keyspace in this node's RocksDB store, unless it is off or there is no such store. */
  private EventualKeyspace startEventual(RocksDbStore store) {
    EventualSettings eventualSettings = EventualSettings.fromConfig(system.settings().config());
    if (!eventualSettings.enabled()) {
      return null;
    }
    if (store == null) {
      system.log().warn("the eventual keyspace is off: it keeps its data in RaftRing's RocksDB journal store, and "
          + "akka.persistence.journal.plugin is another plugin");
      return null;
    }
    return EventualKeyspace.start(system, store, eventualSettings, settings.nodeName(), settings.nodes(),
        settings.virtualNodes(), NODE_ROLE_PREFIX, settings.limits(), metrics);
  }

  /**
   * The nodes to pull {@code group}'s watch events from, best first: this node if it holds a replica (no network),
   * then the leader this node knows, then the group's other members; unreachable ones last.
   */
  private List<String> watchSourcesOf(String group, ShardedReplicas locator) {
    List<String> members = configurations.membersOf(group);
    List<String> ordered = new ArrayList<>(members.size());
    if (members.contains(nodeName())) {
      ordered.add(nodeName());
    }
    String leader = router.cachedLeader(group);
    if (leader != null && members.contains(leader) && !ordered.contains(leader)) {
      ordered.add(leader);
    }
    members.stream().filter(m -> !ordered.contains(m)).forEach(ordered::add);
    List<String> reachable = ordered.stream().filter(n -> locator.isReachable(new ReplicaId(group, n))).toList();
    List<String> unreachable = ordered.stream().filter(n -> !reachable.contains(n)).toList();
    List<String> all = new ArrayList<>(reachable);
    all.addAll(unreachable);
    return all;
  }

  /** Watches of keys and prefixes, served from this node. */
  public WatchApi watch() {
    return watch;
  }

  /** Leases with a time to live (not the Raft leader's read lease behind {@code consistency=lease}). */
  public LeaseApi leases() {
    return leases;
  }

  /** Locks on leases, FIFO, with fencing tokens. */
  public LockApi locks() {
    return locks;
  }

  /** Leader elections on leases. */
  public ElectionApi elections() {
    return locks;
  }

  /** Runs the placement driver as a cluster singleton; every node starts the same and one of them runs it. */
  private ActorRef<PlacementDriver.Command> startPlacementDriver() {
    PlacementDriver.Dependencies deps = new PlacementDriver.Dependencies(settings.nodeName(), placement.groups(),
        settings.replicationFactor(), settings.virtualNodes(), Set.copyOf(settings.nodes()), NODE_ROLE_PREFIX,
        configurations, membership, decommissions, new PlacementMetrics(metrics), System::nanoTime);
    return ClusterSingleton.get(system).init(
        SingletonActor.of(PlacementDriver.create(settings.placement(), deps), "raftring-placement-driver"));
  }

  /**
   * Asks the placement driver to move every replica off {@code node}, then let it leave the cluster. Fails with
   * BAD_REQUEST for an unknown node, CONFLICT when too few nodes would remain, NOT_READY when the driver is off.
   */
  @Override
  public CompletionStage<PlacementDriver.DecommissionAnswer> decommission(String node, Duration timeout) {
    return this.<PlacementDriver.DecommissionAnswer>askDriver(
        replyTo -> new PlacementDriver.Decommission(node, replyTo), timeout)
        .thenApply(RaftRing::acceptedOrThrow);
  }

  /** Cancels a decommission of {@code node}. */
  @Override
  public CompletionStage<PlacementDriver.DecommissionAnswer> recommission(String node, Duration timeout) {
    return this.<PlacementDriver.DecommissionAnswer>askDriver(
        replyTo -> new PlacementDriver.Recommission(node, replyTo), timeout)
        .thenApply(RaftRing::acceptedOrThrow);
  }

  /** The placement driver's view: ring nodes, decommissions, absences, moves in flight and done. */
  @Override
  public CompletionStage<PlacementDriver.PlacementStatus> placementStatus(Duration timeout) {
    return askDriver(PlacementDriver.GetPlacement::new, timeout);
  }

  private static PlacementDriver.DecommissionAnswer acceptedOrThrow(PlacementDriver.DecommissionAnswer answer) {
    if (answer.error() != null) {
      throw new RaftRingException(ErrorCode.valueOf(answer.error()), answer.message());
    }
    return answer;
  }

  private <T> CompletionStage<T> askDriver(
      akka.japi.function.Function<ActorRef<T>, PlacementDriver.Command> request, Duration timeout) {
    if (placementDriver == null) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.NOT_READY,
          "the placement driver is off on this node (raftring.placement.driver)"));
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    Asks.ask(placementDriver, request, timeout, system).whenComplete((answer, error) -> {
      if (error == null) {
        result.complete(answer);
      } else if (RaftRingException.find(error) != null) {
        result.completeExceptionally(RaftRingException.find(error));
      } else {
        result.completeExceptionally(new RaftRingException(ErrorCode.NOT_READY,
            "the placement driver did not answer within " + timeout.toMillis() + " ms"));
      }
    });
    return result;
  }

  /** What this node knows of every group's configuration, from the groups' leaders. */
  public GroupConfigurations configurations() {
    return configurations;
  }

  /** Membership changes of the groups by hand: add, promote, remove, transfer leadership. */
  public GroupMembership membership() {
    return membership;
  }

  /** The configured nodes, every node in a group's configuration and every node up in the cluster now. */
  private java.util.Set<String> knownNodes() {
    java.util.Set<String> known = new java.util.TreeSet<>(settings.nodes());
    known.addAll(configurations.nodesInConfigurations());
    Cluster.get(system).state().getMembers().forEach(m -> {
      String node = NodeRoles.nodeOf(m, NODE_ROLE_PREFIX);
      if (node != null) {
        known.add(node);
      }
    });
    return known;
  }

  /** The key-value API: any key, from this node. */
  public KvApi kv() {
    return kv;
  }

  /** Export and restore of whole groups, for backups. */
  public BackupApi backup() {
    return backup;
  }

  /**
   * Completes once the actor system has terminated and this node has given back its RocksDB store (the last holder
   * closes it), so the data directory may be deleted, copied or opened again. The system's own termination comes
   * first and does not wait for that.
   */
  public CompletionStage<Done> whenStopped() {
    return stopped;
  }

  /**
   * The eventually consistent keyspace (Dynamo-style, beside the Raft one). Fails with NOT_READY when it is off on
   * this node ({@code raftring.eventual.enabled}, or a journal other than RaftRing's).
   */
  public EventualKeyspace eventual() {
    if (eventual == null) {
      throw new RaftRingException(ErrorCode.NOT_READY, "the eventual keyspace is off on node " + nodeName()
          + " (raftring.eventual.enabled, or no RaftRing RocksDB storage)");
    }
    return eventual;
  }

  /** Whether this node serves the eventual keyspace. */
  public boolean eventualEnabled() {
    return eventual != null;
  }

  /** Transactions over any keys, from this node. */
  public TxnApi txn() {
    return txn;
  }

  /** Watches the phases of the two-phase transactions this node coordinates (fault injection in tests). */
  public void observeTransactionPhases(java.util.function.Consumer<TxnCoordinator.Phase> observer) {
    coordinator.observePhases(observer);
  }

  /** This node's way to propose to and read from any group (for tests that play a coordinator's part by hand). */
  io.raftring.txn.GroupClient groupClient() {
    return groupClient;
  }

  /** Where transactions' keys live: the ring, with a prefix holding a hash tag confined to that tag's group. */
  private KeyRouting keyRouting() {
    return new KeyRouting() {
      @Override
      public String groupOf(String key) {
        return placement.groupOf(key);
      }

      @Override
      public java.util.Optional<String> groupOfPrefix(String prefix) {
        if (placement.groups().size() == 1) {
          return java.util.Optional.of(placement.groups().get(0));
        }
        return HashTag.of(prefix).map(placement::groupOf);
      }
    };
  }

  /** The groups whose leader, as far as this node knows, is this node: recovery sweeps these. */
  private List<String> groupsLedHere() {
    return placement.groups().stream().filter(g -> nodeName().equals(router.cachedLeader(g))).toList();
  }

  /** This node's metrics, served at /metrics; an embedding application may add its own. */
  public MetricsRegistry metrics() {
    return metrics;
  }

  public RaftRingSettings settings() {
    return settings;
  }

  public KvLimits limits() {
    return settings.limits();
  }

  public GroupPlacement placement() {
    return placement;
  }

  @Override
  public String nodeName() {
    return settings.nodeName();
  }

  @Override
  public boolean isReady() {
    return notReadyReason().isEmpty();
  }

  @Override
  public String notReadyReason() {
    MemberStatus status = Cluster.get(system).selfMember().status();
    if (status != MemberStatus.up()) {
      return "node " + nodeName() + " has not joined the cluster (status " + status + ")";
    }
    List<String> leaderless = new ArrayList<>();
    List<String> notRunning = new ArrayList<>();
    long now = System.nanoTime();
    for (String group : placement.groups()) {
      if (router.cachedLeader(group) == null) {
        leaderless.add(group);
      }
      // A replica this node holds must be running too: a node that learned every leader from the others but whose own
      // replica has not started (its shard not yet allocated) would let a group lose its majority with one more crash.
      Long answered = localAnswerNanos.get(group);
      if (configurations.hosts(group, nodeName())
          && (answered == null || now - answered > LOCAL_ANSWER_MAX_AGE.toNanos())) {
        notRunning.add(group);
      }
    }
    if (!leaderless.isEmpty()) {
      return "no known leader for groups " + leaderless;
    }
    return notRunning.isEmpty() ? "" : "this node's replicas of groups " + notRunning + " are not running yet";
  }

  @Override
  public CompletionStage<ClusterStatus> clusterStatus(Duration timeout) {
    List<CompletableFuture<ClusterStatus.Group>> groups = new ArrayList<>();
    for (String group : placement.groups()) {
      groups.add(groupStatus(group, timeout));
    }
    List<String> members = new ArrayList<>();
    Cluster.get(system).state().getMembers().forEach(m -> {
      if (m.status() == MemberStatus.up()) {
        String node = NodeRoles.nodeOf(m, NODE_ROLE_PREFIX);
        members.add(node != null ? node : m.address().toString());
      }
    });
    return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(done -> new ClusterStatus(
        nodeName(), members, isReady(), groups.stream().map(CompletableFuture::join).toList()));
  }

  private CompletableFuture<ClusterStatus.Group> groupStatus(String group, Duration timeout) {
    List<String> replicas = configurations.membersOf(group);
    List<CompletableFuture<ClusterStatus.Replica>> statuses = new ArrayList<>();
    // The configuration in force as the most advanced replica that answered sees it (the leader's, normally).
    ReplicaProtocol.Status[] newest = new ReplicaProtocol.Status[1];
    for (String node : replicas) {
      statuses.add(router.status(new ReplicaId(group, node), timeout).toCompletableFuture()
          .thenApply(s -> {
            synchronized (newest) {
              if (newest[0] == null || s.role() == io.raftring.raft.RoleName.LEADER
                  || (newest[0].role() != io.raftring.raft.RoleName.LEADER
                      && s.configurationIndex() > newest[0].configurationIndex())) {
                newest[0] = s;
              }
            }
            return new ClusterStatus.Replica(node, s.role().name().toLowerCase(), s.term(), s.commitIndex(),
                s.lastApplied(), s.lastIndex(), true, s.quiet());
          })
          .exceptionally(e -> new ClusterStatus.Replica(node, "unreachable", 0, 0, 0, 0, false, false)));
    }
    return CompletableFuture.allOf(statuses.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<ClusterStatus.Replica> all = statuses.stream().map(CompletableFuture::join).toList();
      ClusterStatus.Replica leader = all.stream()
          .filter(r -> r.role().equals("leader"))
          .max((a, b) -> Long.compare(a.term(), b.term()))
          .orElse(null);
      ReplicaProtocol.Status config;
      synchronized (newest) {
        config = newest[0];
      }
      String change = null;
      if (config != null && config.transferTarget() != null) {
        change = "leadership transfer to " + config.transferTarget();
      } else if (config != null && config.changeInProgress()) {
        change = "configuration at index " + config.configurationIndex() + " not committed yet";
      }
      return new ClusterStatus.Group(group, replicas, leader == null ? null : leader.node(),
          leader == null ? all.stream().mapToLong(ClusterStatus.Replica::term).max().orElse(0) : leader.term(), all,
          config == null ? List.of() : List.copyOf(new java.util.TreeSet<>(config.voters())),
          config == null ? List.of() : List.copyOf(new java.util.TreeSet<>(config.learners())), change);
    });
  }

  /**
   * This node's RocksDB store when the journal is RaftRing's (null for another plugin), held until the actor system
   * terminates ({@link #whenStopped}).
   */
  private static RocksDbStore holdLocalStore(ActorSystem<?> system) {
    com.typesafe.config.Config config = system.settings().config();
    String journal = "raftring.storage.journal";
    if (!journal.equals(config.getString("akka.persistence.journal.plugin"))) {
      return null;
    }
    return RocksDbStoreRegistry.acquire(StorageSettings.fromConfig(config.getConfig(journal), journal, config));
  }

  /** The groups with a replica log of this node in {@code store} (none without a store). */
  private Set<String> groupsWithLocalLogs(RocksDbStore store) {
    if (store == null) {
      return Set.of();
    }
    Set<String> groups = new java.util.HashSet<>();
    for (String persistenceId : store.persistenceIds()) {
      ReplicaId id = ReplicaId.fromPersistenceId(persistenceId);
      if (id != null && id.node().equals(settings.nodeName())) {
        groups.add(id.group());
      }
    }
    return groups;
  }

  /**
   * Asks each group who leads it and in what configuration: this node's own replica (for its metrics) and the leader
   * it believes in (the only replica whose configuration is authoritative); without a known leader, another member in
   * turn.
   */
  private void pollLeaders() {
    host.tend();
    long round = pollRound++;
    for (String group : placement.groups()) {
      boolean local = configurations.hosts(group, nodeName());
      String leader = router.cachedLeader(group);
      if (local) {
        poll(group, nodeName(), true);
      }
      if (leader != null && !(local && leader.equals(nodeName()))) {
        poll(group, leader, false);
      } else if (leader == null) {
        // The local replica may not know either: after a restart it can be one its group removed, which no leader
        // talks to any more. Ask the members in turn.
        List<String> others = new ArrayList<>(configurations.membersOf(group));
        others.remove(nodeName());
        if (!others.isEmpty()) {
          poll(group, others.get((int) (round % others.size())), false);
        }
      }
    }
  }

  private void poll(String group, String node, boolean local) {
    router.status(new ReplicaId(group, node), LEADER_POLL).whenComplete((status, error) -> {
      if (status != null) {
        configurations.learn(group, status);
        if (local) {
          localAnswerNanos.put(group, System.nanoTime());
          raftMetrics.replicaStatus(group, status);
        }
        if (status.leader() != null || !local) {
          router.learnLeader(group, status.leader());
        }
      } else if (!local && node.equals(router.cachedLeader(group))) {
        // The believed leader did not answer: ask around next time rather than keep asking it.
        router.learnLeader(group, null);
      }
    });
  }

  /** The replicas this node hosts (for embedding applications and tests). */
  public List<ReplicaId> localReplicas() {
    return host.localReplicas();
  }
}
