package io.raftring.eventual;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import io.raftring.cluster.Asks;
import io.raftring.metrics.Counter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Asynchronous repair between replicas: each {@link #tick}, this node starts one exchange with the next live peer in
 * turn (if none is running). The two walk their Merkle trees of the keys they share down to the leaves that differ
 * ({@link MerkleDiff}, one round trip per level), compare those leaves key by key, and for each key that differs this
 * node pulls the peer's value and pushes the merge back, so both end with the union. Only differing leaves' keys and
 * differing keys' values move, within a byte budget per second.
 *
 * <p>An exchange that found nothing left differing (every differing key repaired, no leaf left for later) is
 * converged: it proves the peer holds everything this node held when the exchange started. The tombstone reaper
 * purges a tombstone only once every other replica of its key had such an exchange after it ({@link
 * #lastConvergedMillis}).
 */
final class AntiEntropy {

  /** Keys one leaf may list; a leaf with more is repaired over several exchanges. */
  static final int MAX_KEYS_PER_LEAF = 100_000;

  /** What exchanges with one peer did. */
  static final class PeerStats {
    final AtomicLong exchanges = new AtomicLong();
    final AtomicLong converged = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong pulled = new AtomicLong();
    final AtomicLong pushed = new AtomicLong();
    final AtomicLong lastConvergedMillis = new AtomicLong();
    final AtomicLong lastDifferingLeaves = new AtomicLong();
  }

  private final String self;
  private final ReplicaStore store;
  private final PeerDirectory peers;
  private final ActorSystem<?> system;
  private final Executor blocking;
  private final EventualSettings.AntiEntropySettings settings;
  private final RateBudget budget;
  private final EvMetrics metrics;
  private final LongSupplier wallMillis;
  private final Map<String, PeerStats> stats = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean paused;
  private int turn;

  AntiEntropy(String self, ReplicaStore store, PeerDirectory peers, ActorSystem<?> system, Executor blocking,
      EventualSettings.AntiEntropySettings settings, EvMetrics metrics, LongSupplier wallMillis, LongSupplier nanos) {
    this.self = self;
    this.store = store;
    this.peers = peers;
    this.system = system;
    this.blocking = blocking;
    this.settings = settings;
    this.metrics = metrics;
    this.wallMillis = wallMillis;
    this.budget = new RateBudget(settings.maxBytesPerSecond(), nanos);
  }

  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
  }

  /** Starts an exchange with the next live peer, unless one is running or anti-entropy is paused. */
  void tick() {
    if (paused || !running.compareAndSet(false, true)) {
      return;
    }
    String peer = nextPeer();
    if (peer == null) {
      running.set(false);
      return;
    }
    exchange(peer).whenComplete((converged, failure) -> running.set(false));
  }

  private synchronized String nextPeer() {
    List<String> candidates = new ArrayList<>(new TreeSet<>(store.ring().members()));
    candidates.remove(self);
    for (int i = 0; i < candidates.size(); i++) {
      String peer = candidates.get(Math.floorMod(turn++, candidates.size()));
      if (peers.isLive(peer)) {
        return peer;
      }
    }
    return null;
  }

  /** One exchange with {@code peer}; completes with whether it converged. */
  CompletableFuture<Boolean> exchange(String peer) {
    long started = wallMillis.getAsLong();
    store.rebuildIfSuspect();
    MerkleTree.Snapshot snapshot = store.snapshot(peer);
    PeerStats peerStats = stats.computeIfAbsent(peer, p -> new PeerStats());
    if (snapshot == null) {
      return CompletableFuture.completedFuture(false);
    }
    peerStats.exchanges.incrementAndGet();
    MerkleDiff diff = new MerkleDiff(snapshot, settings.maxLeavesPerExchange());
    return walk(peer, diff)
        .thenCompose(walked -> {
          peerStats.lastDifferingLeaves.set(diff.differingLeaves().size());
          return repairLeaves(peer, diff.differingLeaves(), 0, peerStats)
              .thenApply(repaired -> repaired && !diff.truncated());
        })
        .handle((converged, failure) -> {
          boolean ok = failure == null && converged;
          if (ok) {
            peerStats.converged.incrementAndGet();
            peerStats.lastConvergedMillis.accumulateAndGet(started, Math::max);
          } else if (failure != null) {
            peerStats.failed.incrementAndGet();
          }
          metrics.exchanges.labels(peer, ok ? "converged" : failure == null ? "partial" : "failed").inc();
          return ok;
        });
  }

  /** Asks the peer level by level until the walk reaches the leaves. */
  private CompletableFuture<Void> walk(String peer, MerkleDiff diff) {
    if (diff.done()) {
      return CompletableFuture.completedFuture(null);
    }
    int level = diff.nextLevel();
    int[] indices = diff.nextIndices();
    return ask(peer, replyTo -> new EvPeer.TreeHashes(self, level, indices, replyTo), EvPeer.Hashes.class)
        .thenCompose(answer -> {
          if (answer.hashes() == null) {
            throw new IllegalStateException(peer + " has no tree shared with " + self);
          }
          diff.compare(answer.hashes());
          return walk(peer, diff);
        });
  }

  /** Repairs the differing leaves one after another; completes with whether every key in them was repaired. */
  private CompletableFuture<Boolean> repairLeaves(String peer, List<Integer> leaves, int index, PeerStats peerStats) {
    if (index == leaves.size()) {
      return CompletableFuture.completedFuture(true);
    }
    int[] leaf = {leaves.get(index)};
    CompletableFuture<Map<String, Long>> local = CompletableFuture.supplyAsync(
        () -> digests(store.entries(peer, leaf, MAX_KEYS_PER_LEAF)), blocking);
    CompletableFuture<EvPeer.Digests> remote = ask(peer,
        replyTo -> new EvPeer.LeafDigests(self, leaf, MAX_KEYS_PER_LEAF, replyTo), EvPeer.Digests.class);
    return local.thenCombine(remote, (mine, theirs) -> differingKeys(mine, theirs))
        .thenCompose(keys -> repairKeys(peer, keys, 0, peerStats))
        .thenCompose(repaired -> repaired
            ? repairLeaves(peer, leaves, index + 1, peerStats)
            : CompletableFuture.completedFuture(false));
  }

  private static Map<String, Long> digests(List<ReplicaStore.KeyDigest> entries) {
    Map<String, Long> map = new LinkedHashMap<>();
    entries.forEach(e -> map.put(e.key(), e.digest()));
    return map;
  }

  private static List<String> differingKeys(Map<String, Long> mine, EvPeer.Digests theirs) {
    Set<String> keys = new TreeSet<>();
    Map<String, Long> remote = new LinkedHashMap<>();
    for (int i = 0; i < theirs.keys().size(); i++) {
      remote.put(theirs.keys().get(i), theirs.digests()[i]);
    }
    mine.forEach((key, digest) -> {
      if (!digest.equals(remote.get(key))) {
        keys.add(key);
      }
    });
    remote.forEach((key, digest) -> {
      if (!digest.equals(mine.get(key))) {
        keys.add(key);
      }
    });
    return List.copyOf(keys);
  }

  /** Pulls each key's value from the peer and pushes the merge back; false when the budget or a failure stopped it. */
  private CompletableFuture<Boolean> repairKeys(String peer, List<String> keys, int index, PeerStats peerStats) {
    if (index == keys.size()) {
      return CompletableFuture.completedFuture(true);
    }
    String key = keys.get(index);
    VersionedValue mine = store.read(key);
    if (paused || !budget.tryTake(mine.encodedSizeEstimate())) {
      return CompletableFuture.completedFuture(false);
    }
    return ask(peer, replyTo -> new EvPeer.Fetch(key, null, replyTo), EvPeer.Fetched.class)
        .thenCompose(fetched -> {
          VersionedValue theirs = fetched.value();
          budget.spend(theirs.encodedSizeEstimate());
          CompletableFuture<Boolean> pulled = store.merge(key, theirs).thenApply(change -> {
            if (change.changed()) {
              peerStats.pulled.incrementAndGet();
              keys(peer, "pulled").inc();
            }
            return true;
          });
          VersionedValue merged = store.read(key);
          CompletableFuture<Boolean> pushed = theirs.includes(merged)
              ? CompletableFuture.completedFuture(true)
              : ask(peer, replyTo -> new EvPeer.Replicate(key, merged, null, replyTo), EvPeer.Ack.class)
                  .thenApply(ack -> {
                    if (ack.stored()) {
                      peerStats.pushed.incrementAndGet();
                      keys(peer, "pushed").inc();
                    }
                    return ack.stored();
                  });
          return pulled.thenCombine(pushed, (a, b) -> a && b);
        })
        .thenCompose(ok -> ok
            ? repairKeys(peer, keys, index + 1, peerStats)
            : CompletableFuture.completedFuture(false));
  }

  private Counter.Child keys(String peer, String direction) {
    return metrics.keysRepaired.labels(peer, direction);
  }

  private <R> CompletableFuture<R> ask(String peer,
      akka.japi.function.Function<ActorRef<R>, EvPeer.Command> request, Class<R> reply) {
    ActorRef<EvPeer.Command> endpoint = peers.endpoint(peer);
    if (endpoint == null) {
      return CompletableFuture.failedFuture(new IllegalStateException(peer + " is not reachable"));
    }
    Duration timeout = settings.requestTimeout();
    return Asks.ask(endpoint, request, timeout, system);
  }

  /** When the last converged exchange with {@code peer} started (wall-clock milliseconds), 0 if none yet. */
  long lastConvergedMillis(String peer) {
    PeerStats s = stats.get(peer);
    return s == null ? 0 : s.lastConvergedMillis.get();
  }

  Map<String, PeerStats> stats() {
    return Map.copyOf(stats);
  }
}
