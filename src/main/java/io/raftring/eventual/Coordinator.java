package io.raftring.eventual;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.cluster.Asks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Coordinates reads and writes of the eventual keyspace on this node (Dynamo's coordinator).
 *
 * <p>A write: a node that holds no replica of the key passes it to the first live home replica. The coordinator
 * applies it to its own copy of the key (where the new sibling's dot is made), then sends the result to the other live
 * home replicas and, for home replicas that are down, to stand-ins that keep it as a hint (sloppy quorum); it answers
 * once W distinct nodes acknowledged. Fewer than W reachable: NO_QUORUM before anything is written. Fewer than W
 * acknowledgements: TIMEOUT (stored on some, may spread). A replica that does not acknowledge, and a home replica
 * with no stand-in, gets a hint kept here.
 *
 * <p>A read asks R replicas, this node's own first (and with probability {@code readRepairChance} every live one, as
 * Cassandra's {@code read_repair_chance}), asks another for each that fails, and answers with the merge of the first
 * R answers; it then sends the merge of all answers to the home replicas that were behind (read repair): in the
 * background when R is less than N, before answering when R is N, so that a read at R = N is seen by every later
 * read.
 */
final class Coordinator {

  private final String self;
  private final PeerDirectory peers;
  private final ReplicaStore store;
  private final HintStore hints;
  private final ActorIdentity identity;
  private final HybridLogicalClock clock;
  private final ActorSystem<?> system;
  private final EvMetrics metrics;
  private final double readRepairChance;
  private final long maxSiblingBytes;
  private final java.util.Random random = new java.util.Random();
  private final ReadWriteLock closing = new ReentrantReadWriteLock();
  private boolean closed;

  Coordinator(String self, PeerDirectory peers, ReplicaStore store, HintStore hints, ActorIdentity identity,
      HybridLogicalClock clock, ActorSystem<?> system, EvMetrics metrics, double readRepairChance,
      long maxSiblingBytes) {
    this.readRepairChance = readRepairChance;
    this.maxSiblingBytes = maxSiblingBytes;
    this.self = self;
    this.peers = peers;
    this.store = store;
    this.hints = hints;
    this.identity = identity;
    this.clock = clock;
    this.system = system;
    this.metrics = metrics;
  }

  // ---- writes

  /** A put ({@code value} non-null) or delete, from a client of this node. */
  CompletableFuture<EventualWrite> write(
      String key, byte[] value, VersionVector context, ReplicaCount w, Duration timeout) {
    ReplicaPlan plan = store.ring().plan(key, peers::isLive);
    int required = resolve(w, plan, "w");
    if (!plan.isHome(self) && !plan.liveHome().isEmpty()) {
      return forward(plan.liveHome().get(0), key, value, context, required, timeout);
    }
    return coordinate(key, value, context, required, timeout);
  }

  private CompletableFuture<EventualWrite> forward(
      String target, String key, byte[] value, VersionVector context, int w, Duration timeout) {
    metrics.writesForwarded.inc();
    ActorRef<EvPeer.Command> endpoint = peers.endpoint(target);
    if (endpoint == null) {
      return coordinate(key, value, context, w, timeout);
    }
    // The coordinating replica gets a little less time than this node waits, so that its own answer (TIMEOUT
    // included) arrives before this node gives up on it.
    long remoteMillis = Math.max(1, timeout.toMillis() - Math.min(250, timeout.toMillis() / 10));
    return Asks.<EvPeer.Command, EvPeer.WriteReply>ask(endpoint,
            replyTo -> new EvPeer.ForwardWrite(key, value, context, w, remoteMillis, replyTo), timeout, system)
        .handle((reply, failure) -> {
          if (failure != null) {
            throw new RaftRingException(ErrorCode.TIMEOUT, "the coordinating replica " + target
                + " did not answer within " + timeout.toMillis() + " ms; the write may or may not have happened");
          }
          if (reply.error() != null) {
            throw new RaftRingException(errorCode(reply.error()), reply.message());
          }
          return new EventualWrite(key, reply.context(), target, reply.acknowledgedBy());
        });
  }

  /** Coordinates a write here: this node makes its dot. {@code w} is already a number. */
  CompletableFuture<EventualWrite> coordinate(
      String key, byte[] value, VersionVector context, int w, Duration timeout) {
    ReplicaPlan plan = store.ring().plan(key, peers::isLive);
    if (plan.reachable() < w) {
      metrics.writesNoQuorum.inc();
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.NO_QUORUM, "w=" + w + " but only "
          + describeReachable(plan) + "; nothing was written"));
    }
    VersionedValue[] written = new VersionedValue[1];
    CompletableFuture<VersionedTable.Change> local;
    closing.readLock().lock();
    try {
      if (closed) {
        return CompletableFuture.failedFuture(
            new RaftRingException(ErrorCode.NOT_READY, "node " + self + " is stopping"));
      }
      local = store.update(key, current -> {
        clock.observe(current.maxTimestamp());
        VersionedValue next = current.update(identity.actor(), identity.nextCounter(), context, value, clock.now());
        if (next.encodedSizeEstimate() > maxSiblingBytes) {
          return current; // refused below; nothing changes
        }
        written[0] = next;
        return next;
      });
    } finally {
      closing.readLock().unlock();
    }
    VersionedValue next = written[0];
    if (next == null) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.TOO_LARGE, "the key's siblings and this "
          + "value together would pass " + maxSiblingBytes + " bytes (raftring.eventual.max-sibling-bytes); read the "
          + "key and write with its context to replace them; nothing was written"));
    }
    // A coordinator that is no home replica keeps its copy only to make its next dot for the key; that copy does not
    // count, unless it also stands in for a home replica (then its hint counts, as any stand-in's).
    Set<String> expected = new HashSet<>(plan.liveHome());
    plan.fallbacks().forEach(f -> expected.add(f.node()));
    Tally<Boolean> tally = new Tally<>(w, expected);
    CompletableFuture<EventualWrite> result = new CompletableFuture<>();
    if (plan.isHome(self)) {
      local.whenComplete((change, failure) -> acknowledged(tally, self, failure == null, result, key, next, timeout));
    }
    for (String node : plan.liveHome()) {
      if (!node.equals(self)) {
        send(node, key, next, null, timeout).whenComplete((stored, failure) -> {
          boolean ok = failure == null && stored;
          acknowledged(tally, node, ok, result, key, next, timeout);
          if (!ok) {
            hintHere(node, key, next);
          }
        });
      }
    }
    if (!plan.fallbacks().isEmpty()) {
      metrics.writesSloppy.inc();
    }
    for (ReplicaPlan.Fallback fallback : plan.fallbacks()) {
      CompletableFuture<Boolean> stored = fallback.node().equals(self)
          ? hints.store(fallback.owner(), key, next)
          : send(fallback.node(), key, next, fallback.owner(), timeout);
      stored.whenComplete((ok, failure) -> {
        boolean kept = failure == null && ok;
        acknowledged(tally, fallback.node(), kept, result, key, next, timeout);
        if (!kept) {
          hintHere(fallback.owner(), key, next);
        }
      });
    }
    for (String owner : plan.uncovered()) {
      hintHere(owner, key, next);
    }
    return result;
  }

  private void acknowledged(Tally<Boolean> tally, String node, boolean ok, CompletableFuture<EventualWrite> result,
      String key, VersionedValue written, Duration timeout) {
    boolean decided = ok ? tally.succeed(node, true) : tally.fail(node);
    if (!decided) {
      return;
    }
    if (tally.reached()) {
      metrics.writesOk.inc();
      result.complete(new EventualWrite(key, written.clock(), self, List.copyOf(tally.successes().keySet())));
    } else {
      metrics.writesTimeout.inc();
      result.completeExceptionally(new RaftRingException(ErrorCode.TIMEOUT, "only "
          + tally.successes().size() + " of w=" + tally.required() + " replicas acknowledged within "
          + timeout.toMillis() + " ms " + tally.successes().keySet() + "; the write is stored there and may still "
          + "spread"));
    }
  }

  private CompletableFuture<Boolean> send(
      String node, String key, VersionedValue value, String hintFor, Duration timeout) {
    ActorRef<EvPeer.Command> endpoint = peers.endpoint(node);
    if (endpoint == null) {
      return CompletableFuture.completedFuture(false);
    }
    return Asks.<EvPeer.Command, EvPeer.Ack>ask(endpoint,
        replyTo -> new EvPeer.Replicate(key, value, hintFor, replyTo), timeout, system).thenApply(EvPeer.Ack::stored);
  }

  /** Keeps the write here for {@code owner}, to hand off when it is back. */
  private void hintHere(String owner, String key, VersionedValue value) {
    if (owner.equals(self)) {
      return;
    }
    hints.store(owner, key, value);
  }

  // ---- reads

  CompletableFuture<EventualRead> read(String key, ReplicaCount r, Duration timeout) {
    ReplicaPlan plan = store.ring().plan(key, peers::isLive);
    int required = resolve(r, plan, "r");
    if (plan.reachable() < required) {
      metrics.readsNoQuorum.inc();
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.NO_QUORUM, "r=" + required
          + " but only " + describeReachable(plan)));
    }
    // This node's own replica first (no network), then the others nearest first, then stand-ins.
    List<ReplicaPlan.Fallback> targets = new ArrayList<>();
    if (plan.liveHome().contains(self)) {
      targets.add(new ReplicaPlan.Fallback(self, null));
    }
    plan.liveHome().stream().filter(n -> !n.equals(self)).forEach(n -> targets.add(new ReplicaPlan.Fallback(n, null)));
    targets.addAll(plan.fallbacks());
    boolean everyone = required == targets.size() || random.nextDouble() < readRepairChance;
    return new ReadRound(key, plan, required, targets, timeout).start(everyone ? targets.size() : required);
  }

  /**
   * One read: asks {@code required} replicas (all of them when repairing), asks the next one in line for each that
   * fails, answers with the merge once {@code required} answered, and once everyone asked has answered repairs those
   * that were behind: before the answer when every home replica had to answer (R = N), after it otherwise.
   */
  private final class ReadRound {
    private final String key;
    private final ReplicaPlan plan;
    private final List<ReplicaPlan.Fallback> targets;
    private final Duration timeout;
    private final Tally<VersionedValue> tally;
    private final boolean repairFirst;
    private final CompletableFuture<EventualRead> result = new CompletableFuture<>();
    private int asked;
    private int answered;

    ReadRound(String key, ReplicaPlan plan, int required, List<ReplicaPlan.Fallback> targets, Duration timeout) {
      this.key = key;
      this.plan = plan;
      this.targets = targets;
      this.timeout = timeout;
      Set<String> expected = new HashSet<>();
      targets.forEach(t -> expected.add(t.node()));
      this.tally = new Tally<>(required, expected);
      this.repairFirst = required == plan.home().size() && plan.fallbacks().isEmpty();
    }

    CompletableFuture<EventualRead> start(int count) {
      for (int i = 0; i < count; i++) {
        askNext();
      }
      return result;
    }

    private void askNext() {
      ReplicaPlan.Fallback target;
      synchronized (this) {
        if (asked == targets.size()) {
          return;
        }
        target = targets.get(asked++);
      }
      String node = target.node();
      CompletableFuture<VersionedValue> answer;
      if (node.equals(self)) {
        answer = CompletableFuture.completedFuture(
            target.owner() == null ? store.read(key) : hintValue(target.owner(), key));
      } else {
        answer = fetch(node, key, target.owner(), timeout);
      }
      answer.whenComplete((value, failure) -> answered(node, value, failure));
    }

    private void answered(String node, VersionedValue value, Throwable failure) {
      boolean decided = failure == null ? tally.succeed(node, value) : tally.fail(node);
      boolean everyoneAnswered;
      synchronized (this) {
        answered++;
        everyoneAnswered = answered == asked;
      }
      if (failure != null && !tally.reached()) {
        askNext();
      }
      if (decided && !tally.reached()) {
        metrics.readsNoQuorum.inc();
        result.completeExceptionally(new RaftRingException(ErrorCode.NO_QUORUM, "only " + tally.successes().size()
            + " of r=" + tally.required() + " replicas answered within " + timeout.toMillis() + " ms"));
        return;
      }
      if (decided && !repairFirst) {
        metrics.readsOk.inc();
        result.complete(readOf(key, tally.successes()));
      }
      if (everyoneAnswered && tally.reached() && (repairFirst || tally.successes().size() > 1)) {
        CompletableFuture<Void> repaired = repair(key, tally.successes(), plan, timeout);
        if (repairFirst) {
          metrics.readsOk.inc();
          EventualRead read = readOf(key, tally.successes());
          repaired.whenComplete((done, repairFailure) -> result.complete(read));
        }
      }
    }
  }

  private EventualRead readOf(String key, Map<String, VersionedValue> answers) {
    VersionedValue merged = VersionedValue.EMPTY;
    for (VersionedValue value : answers.values()) {
      merged = merged.merge(value);
    }
    clock.observe(merged.maxTimestamp());
    return new EventualRead(key, merged, new ArrayList<>(answers.keySet()));
  }

  /** Sends the merge of every answer to each home replica that answered with less; completes when they acknowledged. */
  private CompletableFuture<Void> repair(
      String key, Map<String, VersionedValue> answers, ReplicaPlan plan, Duration timeout) {
    VersionedValue merged = VersionedValue.EMPTY;
    for (VersionedValue value : answers.values()) {
      merged = merged.merge(value);
    }
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (Map.Entry<String, VersionedValue> answer : answers.entrySet()) {
      String node = answer.getKey();
      if (!plan.isHome(node) || answer.getValue().includes(merged)) {
        continue;
      }
      metrics.readRepairs.inc();
      writes.add(node.equals(self) ? store.merge(key, merged) : send(node, key, merged, null, timeout));
    }
    return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).exceptionally(failure -> null);
  }

  private CompletableFuture<VersionedValue> fetch(String node, String key, String hintFor, Duration timeout) {
    ActorRef<EvPeer.Command> endpoint = peers.endpoint(node);
    if (endpoint == null) {
      return CompletableFuture.failedFuture(new IllegalStateException(node + " is not reachable"));
    }
    return Asks.<EvPeer.Command, EvPeer.Fetched>ask(endpoint,
        replyTo -> new EvPeer.Fetch(key, hintFor, replyTo), timeout, system).thenApply(EvPeer.Fetched::value);
  }

  private VersionedValue hintValue(String owner, String key) {
    TimedValue hint = hints.get(owner, key);
    return hint == null ? VersionedValue.EMPTY : hint.value();
  }

  // ---- explain

  CompletableFuture<EventualExplain> explain(String key, Duration timeout) {
    ReplicaPlan plan = store.ring().plan(key, peers::isLive);
    List<CompletableFuture<EventualExplain.Replica>> answers = new ArrayList<>();
    for (String node : plan.home()) {
      if (!plan.liveHome().contains(node)) {
        answers.add(CompletableFuture.completedFuture(
            new EventualExplain.Replica(node, "home", false, null, "not up and reachable from " + self)));
      } else {
        CompletableFuture<VersionedValue> value = node.equals(self)
            ? CompletableFuture.completedFuture(store.read(key))
            : fetch(node, key, null, timeout);
        answers.add(explained(node, "home", value));
      }
    }
    for (ReplicaPlan.Fallback fallback : plan.fallbacks()) {
      CompletableFuture<VersionedValue> value = fallback.node().equals(self)
          ? CompletableFuture.completedFuture(hintValue(fallback.owner(), key))
          : fetch(fallback.node(), key, fallback.owner(), timeout);
      answers.add(explained(fallback.node(), "fallback for " + fallback.owner(), value));
    }
    return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done -> new EventualExplain(
        key, NodeRing.positionOf(key), plan.home(), answers.stream().map(CompletableFuture::join).toList()));
  }

  private static CompletableFuture<EventualExplain.Replica> explained(
      String node, String role, CompletableFuture<VersionedValue> value) {
    return value.handle((v, failure) -> failure == null
        ? new EventualExplain.Replica(node, role, true, v, null)
        : new EventualExplain.Replica(node, role, true, null, "no answer: " + failure.getClass().getSimpleName()));
  }

  // ---- stopping

  /** Refuses writes from now on and records a clean stop, so the next run may keep this node's actor name. */
  CompletableFuture<Void> close() {
    closing.writeLock().lock();
    try {
      closed = true;
    } finally {
      closing.writeLock().unlock();
    }
    return identity.recordCleanStop();
  }

  // ----

  private static int resolve(ReplicaCount count, ReplicaPlan plan, String name) {
    try {
      return count.resolve(plan.home().size());
    } catch (IllegalArgumentException e) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, name + "=" + count + " " + e.getMessage());
    }
  }

  private String describeReachable(ReplicaPlan plan) {
    return plan.reachable() + " of the key's replicas " + plan.home() + " (or stand-ins) are reachable from " + self
        + " (live: " + plan.liveHome() + (plan.fallbacks().isEmpty() ? "" : ", stand-ins: " + plan.fallbacks()) + ")";
  }

  private static ErrorCode errorCode(String name) {
    for (ErrorCode code : ErrorCode.values()) {
      if (code.name().equals(name)) {
        return code;
      }
    }
    return ErrorCode.INTERNAL;
  }
}
