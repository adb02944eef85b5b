package io.raftring.lock;

import akka.stream.Materializer;
import akka.stream.javadsl.Sink;
import io.raftring.api.ErrorCode;
import io.raftring.api.KvApi;
import io.raftring.api.RaftRingException;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvCondition;
import io.raftring.kv.KvEvent;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.raft.ReadConsistency;
import io.raftring.watch.WatchApi;
import io.raftring.watch.WatchEvent;
import io.raftring.watch.WatchFilter;
import io.raftring.watch.WatchPosition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * A queue of contenders ordered by create revision, on the KV API and watches: join with a leased key, then wait,
 * re-reading the queue whenever the key just ahead (or one's own) is deleted, until one's key is the oldest.
 */
final class RevisionQueue {

  /** The queue's keys as read at {@code revision} of {@code group}, the one group that holds them. */
  record Snapshot(List<KeyValue> keys, String group, long revision) {}

  private static final Duration RETRY_PAUSE = Duration.ofMillis(100);

  private final KvApi kv;
  private final WatchApi watch;
  private final Materializer materializer;

  RevisionQueue(KvApi kv, WatchApi watch, Materializer materializer) {
    this.kv = kv;
    this.watch = watch;
    this.materializer = materializer;
  }

  /** Puts {@code myKey} if it is not there yet (a lease joins a queue once; joining again keeps its place). */
  CompletionStage<Void> join(String myKey, byte[] value, long lease, Duration timeout) {
    return kv.write(new KvCommand.Put(myKey, value, KvCondition.absent(), lease), timeout).thenApply(written -> null);
  }

  /** Every key of the queue under {@code prefix}, following pages; the revision is the first page's. */
  CompletionStage<Snapshot> read(String prefix, Duration timeout) {
    return readFrom(new KvQuery.Prefix(prefix, KvQuery.Range.MAX_LIMIT), timeout, new ArrayList<>(), null, 0);
  }

  private CompletionStage<Snapshot> readFrom(KvQuery.Prefix page, Duration timeout, List<KeyValue> keys, String group,
      long revision) {
    return kv.read(page, ReadConsistency.LINEARIZABLE, timeout).thenCompose(outcome -> {
      KvResult.RangePage result = (KvResult.RangePage) outcome.result();
      keys.addAll(result.keyValues());
      String readFrom = group == null ? outcome.group() : group;
      long at = group == null ? result.revision() : revision;
      if (result.nextPageToken().isPresent()) {
        return readFrom(page.withPageToken(result.nextPageToken().get()), timeout, keys, readFrom, at);
      }
      return CompletableFuture.completedFuture(new Snapshot(keys, readFrom, at));
    });
  }

  /**
   * Completes with {@code myKey} once it is the oldest key under {@code prefix}; fails with NOT_FOUND if it goes (its
   * lease expired), TIMEOUT if {@code deadlineNanos} passes first (the key stays: asking again keeps the place).
   */
  CompletionStage<KeyValue> awaitOwnership(String prefix, String myKey, long deadlineNanos) {
    return read(prefix, remaining(deadlineNanos)).thenCompose(snapshot -> {
      QueueOrder.Standing standing = QueueOrder.standing(snapshot.keys(), myKey);
      if (standing instanceof QueueOrder.Owner owner) {
        return CompletableFuture.completedFuture(owner.mine());
      }
      if (standing instanceof QueueOrder.Gone) {
        throw new RaftRingException(ErrorCode.NOT_FOUND,
            "the key " + myKey + " left the queue while waiting: its lease expired or it was deleted");
      }
      QueueOrder.Waiting waiting = (QueueOrder.Waiting) standing;
      return deletionOf(prefix, snapshot, waiting.predecessor().key(), myKey, deadlineNanos, waiting.ahead())
          .thenCompose(deleted -> awaitOwnership(prefix, myKey, deadlineNanos));
    });
  }

  /** Completes when {@code predecessor} or {@code myKey} is deleted after the snapshot (or the watch ends). */
  private CompletionStage<Void> deletionOf(String prefix, Snapshot snapshot, String predecessor, String myKey,
      long deadlineNanos, int ahead) {
    WatchPosition from = WatchPosition.of(Map.of(snapshot.group(), WatchPosition.At.of(snapshot.revision())));
    Duration left = remaining(deadlineNanos);
    return watch.watch(WatchFilter.prefix(prefix), from)
        .filter(event -> event instanceof WatchEvent.Changed changed && changed.event().type() == KvEvent.Type.DELETE
            && (changed.event().key().equals(predecessor) || changed.event().key().equals(myKey)))
        .completionTimeout(left)
        .runWith(Sink.headOption(), materializer)
        .handle((Optional<WatchEvent> deleted, Throwable failure) -> {
          if (failure != null && (failure instanceof TimeoutException || failure.getCause() instanceof TimeoutException
              || System.nanoTime() - deadlineNanos >= 0)) {
            throw new RaftRingException(ErrorCode.TIMEOUT, "not acquired within the deadline: " + ahead
                + " ahead in the queue; the place is kept while the lease lives (ask again with the same lease)");
          }
          // Deleted, or the watch ended otherwise (its position fell out of the history, say): look again.
          return failure == null;
        })
        .thenCompose(deleted -> deleted
            ? CompletableFuture.<Void>completedFuture(null)
            // A watch that failed is not retried at once: the queue is read again after a pause.
            : CompletableFuture.runAsync(() -> { }, CompletableFuture.delayedExecutor(
                RETRY_PAUSE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)));
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
  }
}
