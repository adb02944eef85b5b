package io.raftring.http;

import io.raftring.api.KvApi;
import io.raftring.api.RaftRingException;
import io.raftring.api.ReadOutcome;
import io.raftring.api.WriteOutcome;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvPageToken;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.raft.ReadConsistency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-memory KvApi with etcd's revisions and conditions, recording every call; it can be told to fail, to never
 * answer, or to degrade reads.
 */
final class FakeKvApi implements KvApi {

  /** One call the routes made. */
  record Call(String method, Object request, ReadConsistency consistency, Duration timeout) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  private final TreeMap<String, KeyValue> data = new TreeMap<>();
  private long revision;
  volatile RaftRingException failure;
  volatile boolean hang;
  volatile boolean degradeToStale;

  synchronized void reset() {
    calls.clear();
    data.clear();
    revision = 0;
    failure = null;
    hang = false;
    degradeToStale = false;
  }

  synchronized Map<String, KeyValue> snapshot() {
    return new TreeMap<>(data);
  }

  synchronized long revision() {
    return revision;
  }

  @Override
  public CompletionStage<WriteOutcome> write(KvCommand command, Duration timeout) {
    calls.add(new Call("write", command, null, timeout));
    return answer(() -> new WriteOutcome(apply(command), "g1", revision));
  }

  @Override
  public CompletionStage<ReadOutcome> read(KvQuery query, ReadConsistency consistency, Duration timeout) {
    calls.add(new Call("read", query, consistency, timeout));
    return answer(() -> new ReadOutcome(query(query), "g1", "node-a", 42, true, consistency));
  }

  @Override
  public CompletionStage<ReadOutcome> readOrDegrade(KvQuery query, ReadConsistency consistency, Duration timeout) {
    calls.add(new Call("readOrDegrade", query, consistency, timeout));
    ReadConsistency served = degradeToStale ? ReadConsistency.STALE : consistency;
    return answer(() -> new ReadOutcome(query(query), "g1", "node-b", 41, !degradeToStale, served));
  }

  @Override
  public io.raftring.api.KeyPlacement explain(String key) {
    calls.add(new Call("explain", key, null, null));
    return new io.raftring.api.KeyPlacement(key, "g1", List.of("node-a", "node-b", "node-c"), "node-a");
  }

  private <T> CompletionStage<T> answer(java.util.function.Supplier<T> result) {
    if (hang) {
      return new CompletableFuture<>();
    }
    if (failure != null) {
      return CompletableFuture.failedFuture(failure);
    }
    synchronized (this) {
      return CompletableFuture.completedFuture(result.get());
    }
  }

  private KvResult apply(KvCommand command) {
    KeyValue current = data.get(command.key());
    if (!command.condition().isMetBy(current)) {
      return new KvResult.Conflict(current == null ? 0 : current.modRevision(), revision);
    }
    if (command instanceof KvCommand.Put put) {
      revision++;
      KeyValue next = current == null
          ? new KeyValue(put.key(), put.value(), revision, revision, 1)
          : new KeyValue(put.key(), put.value(), current.createRevision(), revision, current.version() + 1);
      data.put(put.key(), next);
      return new KvResult.Written(revision, Optional.ofNullable(current));
    }
    if (current == null) {
      return new KvResult.Deleted(revision, Optional.empty());
    }
    revision++;
    data.remove(command.key());
    return new KvResult.Deleted(revision, Optional.of(current));
  }

  private KvResult query(KvQuery query) {
    if (query instanceof KvQuery.Get get) {
      KeyValue kv = data.get(get.key());
      return kv == null ? new KvResult.NotFound(revision) : new KvResult.Found(kv, revision);
    }
    KvQuery.Range range = (KvQuery.Range) query;
    String start = range instanceof KvQuery.Prefix p ? p.prefix() : ((KvQuery.Between) range).fromKey();
    if (range.pageToken().isPresent()) {
      start = KvPageToken.decode(range.pageToken().get());
    }
    List<KeyValue> page = new ArrayList<>();
    Optional<String> next = Optional.empty();
    for (KeyValue kv : data.tailMap(start, true).values()) {
      if (!inRange(range, kv.key())) {
        break;
      }
      if (page.size() == range.limit()) {
        next = Optional.of(KvPageToken.encode(kv.key()));
        break;
      }
      page.add(kv);
    }
    return new KvResult.RangePage(page, next, revision);
  }

  private static boolean inRange(KvQuery.Range range, String key) {
    if (range instanceof KvQuery.Prefix p) {
      return key.startsWith(p.prefix());
    }
    KvQuery.Between b = (KvQuery.Between) range;
    return !b.hasUpperBound() || key.compareTo(b.toKey()) < 0;
  }
}
