package io.raftring.eventual;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import io.raftring.cluster.Asks;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Hands the hints this node keeps to their owners once they are live again: each {@link #tick}, for every owner that
 * is live and not already being served, up to a batch of its hints, one at a time, each removed once the owner
 * acknowledged it (unless a newer write merged into it meanwhile). A failure ends the owner's round; the next tick
 * tries again. Hints too old are dropped instead (see {@link HintStore}); the bytes moved per second are bounded.
 */
final class HintedHandoff {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(HintedHandoff.class);

  private final HintStore hints;
  private final PeerDirectory peers;
  private final ActorSystem<?> system;
  private final EventualSettings.Handoff settings;
  private final RateBudget budget;
  private final EvMetrics metrics;
  private final LongSupplier wallMillis;
  private final Set<String> serving = ConcurrentHashMap.newKeySet();
  private volatile boolean paused;
  private volatile long lastExpiry;

  HintedHandoff(HintStore hints, PeerDirectory peers, ActorSystem<?> system, EventualSettings.Handoff settings,
      EvMetrics metrics, LongSupplier wallMillis, LongSupplier nanos) {
    this.hints = hints;
    this.peers = peers;
    this.system = system;
    this.settings = settings;
    this.metrics = metrics;
    this.wallMillis = wallMillis;
    this.budget = new RateBudget(settings.maxBytesPerSecond(), nanos);
    this.lastExpiry = wallMillis.getAsLong();
  }

  /** Stops handing off (hints are still stored), as Cassandra's {@code nodetool pausehandoff}. */
  void pause() {
    paused = true;
  }

  void resume() {
    paused = false;
  }

  /** One round: drop expired hints now and then, and start handing off to every live owner not being served. */
  void tick() {
    long now = wallMillis.getAsLong();
    if (now - lastExpiry >= settings.expireInterval().toMillis()) {
      lastExpiry = now;
      hints.expire();
    }
    if (paused) {
      return;
    }
    for (String owner : hints.pendingByOwner().keySet()) {
      if (peers.isLive(owner) && serving.add(owner)) {
        List<HintStore.Hint> batch = hints.hintsFor(owner, settings.batch());
        replay(owner, batch, 0).whenComplete((done, failure) -> serving.remove(owner));
      }
    }
  }

  /** Hands {@code batch} from {@code index} on to {@code owner}, one after another; stops at the first failure. */
  private CompletableFuture<Void> replay(String owner, List<HintStore.Hint> batch, int index) {
    if (index == batch.size() || paused) {
      return CompletableFuture.completedFuture(null);
    }
    HintStore.Hint hint = batch.get(index);
    if (hints.expired(hint)) {
      return hints.remove(hint).thenCompose(removed -> replay(owner, batch, index + 1));
    }
    ActorRef<EvPeer.Command> endpoint = peers.endpoint(owner);
    if (endpoint == null || !budget.tryTake(hint.value().value().encodedSizeEstimate())) {
      return CompletableFuture.completedFuture(null);
    }
    Duration timeout = settings.replayTimeout();
    return Asks.<EvPeer.Command, EvPeer.Ack>ask(endpoint,
            replyTo -> new EvPeer.Replicate(hint.key(), hint.value().value(), null, replyTo), timeout, system)
        .thenCompose(ack -> {
          if (!ack.stored()) {
            return CompletableFuture.completedFuture(null);
          }
          return hints.remove(hint).thenCompose(removed -> {
            if (removed) {
              log.debug("handed the hint of {} to {}: {}", hint.key(), owner, hint.value().value());
              metrics.hintsReplayed.inc();
            }
            return replay(owner, batch, index + 1);
          });
        });
  }
}
