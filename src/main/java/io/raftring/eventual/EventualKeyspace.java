package io.raftring.eventual;

import akka.Done;
import akka.actor.Cancellable;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import io.raftring.api.ErrorCode;
import io.raftring.api.EventualApi;
import io.raftring.api.RaftRingException;
import io.raftring.kv.KvLimits;
import io.raftring.metrics.MetricsRegistry;
import io.raftring.storage.RocksDbStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The eventually consistent keyspace on one node: its replicas and hints in the node's RocksDB (tables
 * {@code eventual}, {@code eventual-hints}, {@code eventual-meta}), its endpoint for other nodes, the coordinator of
 * requests made here, and the background repair (hinted handoff, anti-entropy, tombstone purging) on timers.
 * {@link io.raftring.RaftRing} starts it beside the Raft keyspace; the two share nodes, ring code, storage, HTTP
 * server and admission control, and nothing else.
 */
public final class EventualKeyspace implements EventualApi {

  private static final Logger log = LoggerFactory.getLogger(EventualKeyspace.class);

  private final String self;
  private final EventualSettings settings;
  private final KvLimits limits;
  private final ActorIdentity identity;
  private final ReplicaStore store;
  private final HintStore hints;
  private final PeerDirectory peers;
  private final Coordinator coordinator;
  private final HintedHandoff handoff;
  private final AntiEntropy antiEntropy;
  private final TombstoneReaper reaper;
  private final EvMetrics metrics;
  private final List<Cancellable> timers = new ArrayList<>();

  private EventualKeyspace(ActorSystem<?> system, RocksDbStore rocks, EventualSettings settings, String self,
      Collection<String> configuredNodes, int virtualNodes, String rolePrefix, KvLimits limits,
      MetricsRegistry registry) {
    this.self = self;
    this.settings = settings;
    this.limits = limits;
    LongSupplier wallMillis = System::currentTimeMillis;
    LongSupplier nanos = System::nanoTime;
    this.metrics = new EvMetrics(registry);
    Executor blocking = system.dispatchers().lookup(DispatcherSelector.fromConfig("raftring.storage.dispatcher"));
    this.identity = ActorIdentity.open(rocks.table("eventual-meta"), self, wallMillis.getAsLong());
    HybridLogicalClock clock = new HybridLogicalClock(wallMillis, settings.maxClockDrift().toMillis());
    Set<String> initialRing = new java.util.TreeSet<>(configuredNodes);
    initialRing.add(self);
    this.store = new ReplicaStore(new VersionedTable(rocks.table("eventual")), self,
        NodeRing.of(initialRing, virtualNodes, settings.replicas()), wallMillis,
        settings.antiEntropy().leafBits(), settings.antiEntropy().fanOutBits(), settings.tombstoneGrace().toMillis());
    EventualSettings.Handoff h = settings.handoff();
    this.hints = new HintStore(new VersionedTable(rocks.table("eventual-hints")), h.maxHints(), h.maxBytes(),
        h.maxAge().toMillis(), wallMillis, metrics);
    Coordinator[] coordinatorRef = new Coordinator[1];
    ReplicaService service = new ReplicaService(self, store, hints, clock, blocking, () -> coordinatorRef[0]);
    PeerDirectory[] directory = new PeerDirectory[1];
    this.peers = PeerDirectory.start(system, self, rolePrefix, Set.copyOf(configuredNodes), EvPeer.create(service),
        nodes -> blocking.execute(() -> followRing(directory[0], virtualNodes)));
    directory[0] = peers;
    this.coordinator = new Coordinator(self, peers, store, hints, identity, clock, system, metrics,
        settings.readRepairChance(), settings.maxSiblingBytes());
    coordinatorRef[0] = coordinator;
    this.handoff = new HintedHandoff(hints, peers, system, h, metrics, wallMillis, nanos);
    this.antiEntropy = new AntiEntropy(self, store, peers, system, blocking, settings.antiEntropy(), metrics,
        wallMillis, nanos);
    this.reaper = new TombstoneReaper(self, store, antiEntropy::lastConvergedMillis,
        settings.tombstoneGrace().toMillis(), wallMillis, metrics);
    registerGauges(registry);
    schedule(system, blocking, h.interval(), handoff::tick, "hinted handoff");
    schedule(system, blocking, settings.antiEntropy().interval(), antiEntropy::tick, "anti-entropy");
    schedule(system, blocking, settings.tombstoneSweepInterval(), reaper::sweep, "tombstone sweep");
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
        "raftring-eventual-stop", () -> stop().thenApply(done -> Done.getInstance()));
    log.info("eventual keyspace on {}: actor {} ({}), N={}, {} hints kept", self, identity.actor(),
        identity.resumed() ? "resumed after a clean stop" : "new", settings.replicas(), hints.count());
  }

  /**
   * Moves the replicas to the directory's ring as it is now (not as it was when the change was heard, so that two
   * changes heard in a row end on the later one), rebuilding the Merkle trees.
   */
  private synchronized void followRing(PeerDirectory directory, int virtualNodes) {
    if (directory == null || directory.ringNodes().equals(store.ring().members())) {
      return;
    }
    log.info("eventual keyspace: ring is now {}; rebuilding Merkle trees", directory.ringNodes());
    store.rebuild(NodeRing.of(directory.ringNodes(), virtualNodes, settings.replicas()));
  }

  /** Starts the keyspace on {@code system}'s node, its data in {@code rocks}. */
  public static EventualKeyspace start(ActorSystem<?> system, RocksDbStore rocks, EventualSettings settings,
      String self, Collection<String> configuredNodes, int virtualNodes, String rolePrefix, KvLimits limits,
      MetricsRegistry registry) {
    return new EventualKeyspace(system, rocks, settings, self, configuredNodes, virtualNodes, rolePrefix, limits,
        registry);
  }

  private void schedule(ActorSystem<?> system, Executor executor, Duration interval, Runnable task, String what) {
    Runnable guarded = () -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("eventual keyspace: {} failed; it runs again in {}", what, interval, e);
      }
    };
    timers.add(system.scheduler().scheduleWithFixedDelay(interval, interval, guarded,
        scala.concurrent.ExecutionContext.fromExecutor(executor)));
  }

  private CompletableFuture<Void> stop() {
    timers.forEach(Cancellable::cancel);
    return coordinator.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(failure -> {
      log.warn("eventual keyspace: could not record a clean stop; the next run takes a new actor name", failure);
      return null;
    });
  }

  private void registerGauges(MetricsRegistry registry) {
    registry.gauge("raftring_ev_hints", "Hints this node keeps for other nodes now.", hints::count);
    registry.gauge("raftring_ev_hint_bytes", "Bytes of the hints this node keeps now (estimated).", hints::bytes);
    registry.gauge("raftring_ev_tombstones", "Keys that are only tombstones on this node now.",
        () -> (long) store.tombstones().size());
    io.raftring.metrics.Gauge lastConverged = registry.gauge("raftring_ev_anti_entropy_last_converged_age_seconds",
        "Seconds since the last converged anti-entropy exchange with each peer began (absent before the first).",
        "peer");
    for (String peer : store.ring().members()) {
      if (!peer.equals(self)) {
        lastConverged.register((java.util.function.DoubleSupplier) () -> {
          long at = antiEntropy.lastConvergedMillis(peer);
          return at == 0 ? Double.NaN : (System.currentTimeMillis() - at) / 1000.0;
        }, peer);
      }
    }
  }

  // ---- the API

  @Override
  public CompletionStage<EventualRead> get(String key, ReplicaCount r, Duration timeout) {
    return guard(() -> coordinator.read(limits.validateKey(key), r == null ? settings.defaultR() : r, timeout));
  }

  @Override
  public CompletionStage<EventualWrite> put(
      String key, byte[] value, VersionVector context, ReplicaCount w, Duration timeout) {
    return guard(() -> coordinator.write(limits.validateKey(key), limits.validateValue(value), context,
        w == null ? settings.defaultW() : w, timeout));
  }

  @Override
  public CompletionStage<EventualWrite> delete(String key, VersionVector context, ReplicaCount w, Duration timeout) {
    return guard(() -> coordinator.write(limits.validateKey(key), null, context,
        w == null ? settings.defaultW() : w, timeout));
  }

  @Override
  public CompletionStage<EventualExplain> explain(String key, Duration timeout) {
    return guard(() -> coordinator.explain(limits.validateKey(key), timeout));
  }

  private static <T> CompletionStage<T> guard(java.util.function.Supplier<CompletableFuture<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  @Override
  public EventualStatus status() {
    List<EventualStatus.PeerExchange> exchanges = new ArrayList<>();
    for (Map.Entry<String, AntiEntropy.PeerStats> e : new java.util.TreeMap<>(antiEntropy.stats()).entrySet()) {
      AntiEntropy.PeerStats s = e.getValue();
      exchanges.add(new EventualStatus.PeerExchange(e.getKey(), s.exchanges.get(), s.converged.get(),
          s.failed.get(), s.pulled.get(), s.pushed.get(), s.lastConvergedMillis.get(), s.lastDifferingLeaves.get()));
    }
    return new EventualStatus(identity.actor(), settings.replicas(), List.copyOf(store.ring().members()),
        List.copyOf(peers.liveNodes()),
        new EventualStatus.Hints(hints.count(), hints.bytes(), hints.pendingByOwner(), hints.storedTotal(),
            metrics.hintsReplayed.value(), hints.dropped(HintStore.Dropped.FULL),
            hints.dropped(HintStore.Dropped.EXPIRED)),
        exchanges, store.tombstones().size(), metrics.tombstonesPurged.value());
  }

  @Override
  public EventualSettings settings() {
    return settings;
  }

  // ---- operations and tests

  /** Stops handing off hints (they are still stored), as Cassandra's {@code nodetool pausehandoff}. */
  public void pauseHandoff() {
    handoff.pause();
  }

  public void resumeHandoff() {
    handoff.resume();
  }

  /** Stops starting anti-entropy exchanges. */
  public void pauseAntiEntropy() {
    antiEntropy.pause();
  }

  public void resumeAntiEntropy() {
    antiEntropy.resume();
  }

  /** Runs one anti-entropy exchange with {@code peer} now; completes with whether it converged. */
  public CompletionStage<Boolean> exchangeWith(String peer) {
    if (peer.equals(self) || !store.ring().members().contains(peer)) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.BAD_REQUEST,
          peer + " is not another node of the ring " + store.ring().members()));
    }
    return antiEntropy.exchange(peer);
  }

  /** Runs one round of hinted handoff now. */
  public void handOffNow() {
    handoff.tick();
  }

  /** Runs one tombstone sweep now; returns how many purges it started. */
  public int sweepTombstonesNow() {
    return reaper.sweep();
  }

  /** The actor name under which this node coordinates writes in this run. */
  public String actor() {
    return identity.actor();
  }
}
