package io.raftring;

import io.raftring.raft.ReplicaProtocol;
import io.raftring.api.ErrorCode;
import io.raftring.api.KeyPlacement;
import io.raftring.api.KvApi;
import io.raftring.api.RaftRingException;
import io.raftring.api.ReadOutcome;
import io.raftring.api.WriteOutcome;
import io.raftring.cluster.GroupRouter;
import io.raftring.kv.KeyOrder;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCodec;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvLimits;
import io.raftring.kv.KvPageToken;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.kv.KvValidationException;
import io.raftring.raft.ReadConsistency;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The key-value API over many Raft groups: a key's group is a pure function of the key (the ring), so every node
 * routes it alike; a range over several groups asks each and merges their pages in key order.
 */
final class RoutedKvApi implements KvApi {

  private final GroupRouter router;
  private final Function<String, String> groupOfKey;
  private final Function<String, List<String>> replicasOfGroup;
  private final List<String> groups;
  private final KvLimits limits;
  private final java.util.function.Consumer<Boolean> proposalOutcome;

  RoutedKvApi(
      GroupRouter router,
      Function<String, String> groupOfKey,
      Function<String, List<String>> replicasOfGroup,
      List<String> groups,
      KvLimits limits,
      java.util.function.Consumer<Boolean> proposalOutcome) {
    this.router = router;
    this.groupOfKey = groupOfKey;
    this.replicasOfGroup = replicasOfGroup;
    this.groups = List.copyOf(groups);
    this.limits = limits;
    this.proposalOutcome = proposalOutcome;
  }

  @Override
  public CompletionStage<WriteOutcome> write(KvCommand command, Duration timeout) {
    KvCommand valid;
    try {
      valid = limits.validate(command);
    } catch (KvValidationException e) {
      return CompletableFuture.failedFuture(invalid(e));
    }
    String group = groupOfKey.apply(valid.key());
    return router.propose(group, KvCodec.encode(valid), timeout)
        .whenComplete((applied, error) -> proposalOutcome.accept(error == null))
        .thenApply(applied -> {
      KvResult result = KvCodec.decodeResult(applied.result());
      if (result instanceof KvResult.Rejected rejected) {
        throw new RaftRingException(ErrorCode.BAD_REQUEST, rejected.message());
      }
      return new WriteOutcome(result, group, applied.index());
    });
  }

  @Override
  public CompletionStage<ReadOutcome> read(KvQuery query, ReadConsistency consistency, Duration timeout) {
    KvQuery valid;
    try {
      valid = limits.validate(query);
    } catch (KvValidationException e) {
      return CompletableFuture.failedFuture(invalid(e));
    }
    if (valid instanceof KvQuery.Get get) {
      return readGroup(groupOfKey.apply(get.key()), valid, consistency, timeout);
    }
    if (groups.size() == 1) {
      return readGroup(groups.get(0), valid, consistency, timeout);
    }
    return readAcrossGroups((KvQuery.Range) valid, consistency, timeout);
  }

  @Override
  public CompletionStage<ReadOutcome> readOrDegrade(KvQuery query, ReadConsistency consistency, Duration timeout) {
    if (consistency == ReadConsistency.STALE) {
      return read(query, consistency, timeout);
    }
    // Most of the deadline goes to the strong read; what is left is enough for a nearby replica to answer.
    Duration strongShare = timeout.multipliedBy(3).dividedBy(4);
    Duration rest = timeout.minus(strongShare);
    return read(query, consistency, strongShare)
        .handle((outcome, error) -> {
          if (error == null) {
            return CompletableFuture.completedFuture(outcome);
          }
          RaftRingException e = RaftRingException.find(error);
          if (e != null && (e.code() == ErrorCode.NO_QUORUM || e.code() == ErrorCode.TIMEOUT
              || e.code() == ErrorCode.NOT_READY || e.code() == ErrorCode.OVERLOADED)) {
            return read(query, ReadConsistency.STALE, rest).toCompletableFuture();
          }
          return CompletableFuture.<ReadOutcome>failedFuture(error);
        })
        .thenCompose(Function.identity());
  }

  @Override
  public KeyPlacement explain(String key) {
    String group = groupOfKey.apply(limits.validateKey(key));
    return new KeyPlacement(key, group, replicasOfGroup.apply(group), router.cachedLeader(group));
  }

  private CompletionStage<ReadOutcome> readGroup(
      String group, KvQuery query, ReadConsistency consistency, Duration timeout) {
    return router.read(group, KvCodec.encode(query), consistency, timeout)
        .thenApply(read -> outcome(group, read, consistency));
  }

  private static ReadOutcome outcome(String group, ReplicaProtocol.ReadResult read, ReadConsistency consistency) {
    KvResult result = KvCodec.decodeResult(read.result());
    if (result instanceof KvResult.Rejected rejected) {
      throw new RaftRingException(ErrorCode.BAD_REQUEST, rejected.message());
    }
    return new ReadOutcome(result, group, read.node(), read.appliedIndex(), read.leader(), consistency);
  }

  /**
   * Asks every group for a page of the range and merges them: the first {@code limit} keys in key order, and a page
   * token naming the next key if any group has more.
   */
  private CompletionStage<ReadOutcome> readAcrossGroups(
      KvQuery.Range range, ReadConsistency consistency, Duration timeout) {
    List<CompletableFuture<ReadOutcome>> pages = new ArrayList<>();
    for (String group : groups) {
      pages.add(readGroup(group, range, consistency, timeout).toCompletableFuture());
    }
    return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<KeyValue> all = new ArrayList<>();
      Optional<String> smallestNext = Optional.empty();
      long revision = 0;
      long applied = 0;
      boolean allFromLeaders = true;
      for (CompletableFuture<ReadOutcome> f : pages) {
        ReadOutcome outcome = f.join();
        KvResult.RangePage page = (KvResult.RangePage) outcome.result();
        all.addAll(page.keyValues());
        revision = Math.max(revision, page.revision());
        applied = Math.max(applied, outcome.appliedIndex());
        allFromLeaders &= outcome.fromLeader();
        if (page.nextPageToken().isPresent()) {
          String next = KvPageToken.decode(page.nextPageToken().get());
          if (smallestNext.isEmpty() || KeyOrder.UTF8.compare(next, smallestNext.get()) < 0) {
            smallestNext = Optional.of(next);
          }
        }
      }
      all.sort(Comparator.comparing(KeyValue::key, KeyOrder.UTF8));
      Optional<String> nextKey = smallestNext;
      List<KeyValue> pageKeys = all;
      if (all.size() > range.limit()) {
        pageKeys = all.subList(0, range.limit());
        String firstLeftOut = all.get(range.limit()).key();
        if (nextKey.isEmpty() || KeyOrder.UTF8.compare(firstLeftOut, nextKey.get()) < 0) {
          nextKey = Optional.of(firstLeftOut);
        }
      }
      KvResult merged = new KvResult.RangePage(pageKeys, nextKey.map(KvPageToken::encode), revision);
      return new ReadOutcome(merged, "*", "*", applied, allFromLeaders, consistency);
    });
  }

  private static RaftRingException invalid(KvValidationException e) {
    ErrorCode code = switch (e.code()) {
      case TOO_LARGE -> ErrorCode.TOO_LARGE;
      case BAD_REQUEST -> ErrorCode.BAD_REQUEST;
    };
    return new RaftRingException(code, e.getMessage());
  }
}
