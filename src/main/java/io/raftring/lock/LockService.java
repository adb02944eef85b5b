package io.raftring.lock;

import akka.NotUsed;
import akka.stream.Materializer;
import akka.stream.javadsl.Source;
import io.raftring.api.ErrorCode;
import io.raftring.api.KvApi;
import io.raftring.api.RaftRingException;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvCondition;
import io.raftring.kv.KvEvent;
import io.raftring.kv.KvResult;
import io.raftring.watch.WatchApi;
import io.raftring.watch.WatchEvent;
import io.raftring.watch.WatchFilter;
import io.raftring.watch.WatchPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Locks and elections: each a {@link RevisionQueue} of leased keys; they differ only in their keys' values. */
public final class LockService implements LockApi, ElectionApi {

  private final KvApi kv;
  private final WatchApi watch;
  private final RevisionQueue queue;

  public LockService(KvApi kv, WatchApi watch, Materializer materializer) {
    this.kv = kv;
    this.watch = watch;
    this.queue = new RevisionQueue(kv, watch, materializer);
  }

  // ---- locks

  @Override
  public CompletionStage<Ownership> lock(String name, long lease, Duration timeout) {
    return acquire(QueueKeys.LOCKS, name, lease, new byte[0], timeout);
  }

  @Override
  public CompletionStage<Boolean> unlock(String name, long lease, Duration timeout) {
    return leave(QueueKeys.LOCKS, name, lease, timeout);
  }

  @Override
  public CompletionStage<Optional<Ownership>> holder(String name, Duration timeout) {
    return owner(QueueKeys.LOCKS, name, timeout);
  }

  // ---- elections

  @Override
  public CompletionStage<Ownership> campaign(String name, long lease, byte[] value, Duration timeout) {
    return acquire(QueueKeys.ELECTIONS, name, lease, value, timeout);
  }

  @Override
  public CompletionStage<Ownership> proclaim(String name, long lease, byte[] value, Duration timeout) {
    return withPrefix(QueueKeys.ELECTIONS, name, prefix -> proclaim(name, prefix, lease, value, timeout));
  }

  private CompletionStage<Ownership> proclaim(String name, String prefix, long lease, byte[] value, Duration timeout) {
    String myKey = QueueKeys.key(prefix, lease);
    return queue.read(prefix, timeout).thenCompose(snapshot -> {
      Optional<KeyValue> leader = QueueOrder.owner(snapshot.keys());
      if (leader.isEmpty() || !leader.get().key().equals(myKey)) {
        throw notLeader(name, lease);
      }
      // Only if the key is still the one read: a resign and a new campaign in between make it another candidacy.
      KvCommand.Put put = new KvCommand.Put(myKey, value, KvCondition.modRevisionEquals(leader.get().modRevision()),
          lease);
      return kv.write(put, timeout).thenApply(written -> {
        if (written.result() instanceof KvResult.Conflict) {
          throw notLeader(name, lease);
        }
        return new Ownership(name, myKey, lease, leader.get().createRevision(), value);
      });
    });
  }

  @Override
  public CompletionStage<Boolean> resign(String name, long lease, Duration timeout) {
    return leave(QueueKeys.ELECTIONS, name, lease, timeout);
  }

  @Override
  public CompletionStage<Optional<Ownership>> leader(String name, Duration timeout) {
    return owner(QueueKeys.ELECTIONS, name, timeout);
  }

  @Override
  public Source<Optional<Ownership>, NotUsed> observe(String name) {
    String prefix;
    try {
      prefix = QueueKeys.prefix(QueueKeys.ELECTIONS, name);
    } catch (RaftRingException e) {
      return Source.failed(e);
    }
    return Source.completionStage(queue.read(prefix, Duration.ofSeconds(10)))
        .flatMapConcat(snapshot -> {
          Map<String, KeyValue> keys = new HashMap<>();
          snapshot.keys().forEach(kv -> keys.put(kv.key(), kv));
          Optional<Ownership> first = QueueOrder.owner(snapshot.keys()).map(kv -> Ownership.of(name, kv));
          WatchPosition from = WatchPosition.of(Map.of(snapshot.group(), WatchPosition.At.of(snapshot.revision())));
          Source<Optional<Ownership>, NotUsed> changes = watch.watch(WatchFilter.prefix(prefix), from)
              .statefulMapConcat(() -> {
                java.util.concurrent.atomic.AtomicReference<Optional<Ownership>> last =
                    new java.util.concurrent.atomic.AtomicReference<>(first);
                return event -> {
                  if (!(event instanceof WatchEvent.Changed changed)) {
                    return List.of();
                  }
                  KvEvent kvEvent = changed.event();
                  if (kvEvent.type() == KvEvent.Type.PUT) {
                    keys.put(kvEvent.key(), kvEvent.keyValue());
                  } else {
                    keys.remove(kvEvent.key());
                  }
                  Optional<Ownership> now =
                      QueueOrder.owner(new ArrayList<>(keys.values())).map(kv -> Ownership.of(name, kv));
                  if (now.equals(last.get())) {
                    return List.of();
                  }
                  last.set(now);
                  return List.of(now);
                };
              });
          return Source.single(first).concatLazy(changes);
        })
        .mapMaterializedValue(m -> NotUsed.getInstance());
  }

  // ---- shared

  private CompletionStage<Ownership> acquire(String kind, String name, long lease, byte[] value, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    return withPrefix(kind, name, prefix -> {
      String myKey = QueueKeys.key(prefix, lease);
      return queue.join(myKey, value, lease, timeout)
          .thenCompose(joined -> queue.awaitOwnership(prefix, myKey, deadline))
          .thenApply(mine -> Ownership.of(name, mine));
    });
  }

  private CompletionStage<Boolean> leave(String kind, String name, long lease, Duration timeout) {
    return withPrefix(kind, name, prefix -> kv.write(new KvCommand.Delete(QueueKeys.key(prefix, lease)), timeout)
        .thenApply(deleted -> ((KvResult.Deleted) deleted.result()).deletedSomething()));
  }

  private CompletionStage<Optional<Ownership>> owner(String kind, String name, Duration timeout) {
    return withPrefix(kind, name, prefix -> queue.read(prefix, timeout)
        .thenApply(snapshot -> QueueOrder.owner(snapshot.keys()).map(kv -> Ownership.of(name, kv))));
  }

  /** Runs {@code body} with the queue's prefix; a name that cannot be one fails the stage (BAD_REQUEST). */
  private static <T> CompletionStage<T> withPrefix(String kind, String name,
      java.util.function.Function<String, CompletionStage<T>> body) {
    String prefix;
    try {
      prefix = QueueKeys.prefix(kind, name);
    } catch (RaftRingException e) {
      return CompletableFuture.failedFuture(e);
    }
    return body.apply(prefix);
  }

  private static RaftRingException notLeader(String name, long lease) {
    return new RaftRingException(ErrorCode.CONFLICT,
        "lease " + io.raftring.kv.LeaseIds.format(lease) + " does not lead election '" + name + "'");
  }
}
