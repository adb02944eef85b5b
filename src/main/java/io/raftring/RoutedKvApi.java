package io.raftring;

import io.raftring.api.ErrorCode;
import io.raftring.api.KeyPlacement;
import io.raftring.api.KvApi;
import io.raftring.api.RaftRingException;
import io.raftring.api.ReadOutcome;
import io.raftring.api.WriteOutcome;
import io.raftring.cluster.GroupRouter;
import io.raftring.kv.KeyLock;
import io.raftring.kv.KeyOrder;
import io.raftring.kv.KeyValue;
import io.raftring.kv.KvCodec;
import io.raftring.kv.KvCommand;
import io.raftring.kv.KvLimits;
import io.raftring.kv.KvQuery;
import io.raftring.kv.KvResult;
import io.raftring.kv.KvValidationException;
import io.raftring.kv.RangePages;
import io.raftring.raft.ReadConsistency;
import io.raftring.raft.ReplicaProtocol;
import io.raftring.ring.HashTag;
import io.raftring.txn.LockResolver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The key-value API over many Raft groups: a key's group is a pure function of the key (the ring), so every node
 * routes it alike; a range over several groups asks each and merges their pages in key order.
 *
 * <p>A request that meets a transaction's locks ({@link KvResult.Locked}) has them resolved ({@link LockResolver})
 * and waits for them, within its deadline: a write until they are released; a strong read only while a holder has
 * committed and is being applied (a holder still pending or aborted has not changed the value, so the committed one
 * is the latest); a stale read not at all. Past the deadline the answer is CONFLICT naming the holder.
 */
final class RoutedKvApi implements KvApi {

  private final GroupRouter router;
  private final Function<String, String> groupOfKey;
  private final Function<String, List<String>> replicasOfGroup;
  private final List<String> groups;
  private final KvLimits limits;
  private final java.util.function.Consumer<Boolean> proposalOutcome;
  private final LockResolver locks;

  RoutedKvApi(
      GroupRouter router,
      Function<String, String> groupOfKey,
      Function<String, List<String>> replicasOfGroup,
      List<String> groups,
      KvLimits limits,
      java.util.function.Consumer<Boolean> proposalOutcome,
      LockResolver locks) {
    this.router = router;
    this.locks = locks;
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
    return write(group, KvCodec.encode(valid), System.nanoTime() + timeout.toNanos(), 0);
  }

  private CompletionStage<WriteOutcome> write(String group, byte[] command, long deadlineNanos, int attempt) {
    return router.propose(group, command, remaining(deadlineNanos))
        .whenComplete((applied, error) -> proposalOutcome.accept(error == null))
        .thenCompose(applied -> {
          KvResult result = KvCodec.decodeResult(applied.result());
          if (result instanceof KvResult.Rejected rejected) {
            throw new RaftRingException(ErrorCode.of(rejected.code()), rejected.message());
          }
          if (result instanceof KvResult.Locked locked) {
            // Nothing was written: wait for the locks to go, then propose again.
            return locks.awaitRelease(group, locked.locks(), attempt, deadlineNanos).thenCompose(retry -> retry
                ? write(group, command, deadlineNanos, attempt + 1)
                : CompletableFuture.failedFuture(stillLocked(locked)));
          }
          return CompletableFuture.completedFuture(new WriteOutcome(result, group, applied.index()));
        });
  }

  /** CONFLICT naming the transaction whose lock outlasted the request: it clears by itself, so retry later. */
  private static RaftRingException stillLocked(KvResult.Locked locked) {
    KeyLock lock = locked.locks().get(0);
    return new RaftRingException(ErrorCode.CONFLICT, "key '" + lock.key() + "' is locked by transaction "
        + lock.txnId() + ", which has not finished before this request's deadline; retry", lock.txnId());
  }

  private static Duration remaining(long deadlineNanos) {
    return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
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
    if (valid instanceof KvQuery.Export) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.BAD_REQUEST,
          "an export reads one group, named by the caller: use RaftRing.backup()"));
    }
    if (groups.size() == 1) {
      return readGroup(groups.get(0), valid, consistency, timeout);
    }
    if (valid instanceof KvQuery.Prefix prefix && HashTag.pinsPrefix(prefix.prefix())) {
      // Every key with this prefix has its hash tag: one group holds them all, and the page's revision is its own.
      return readGroup(groupOfKey.apply(prefix.prefix()), valid, consistency, timeout);
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
    return readGroup(group, KvCodec.encode(query), consistency, System.nanoTime() + timeout.toNanos(), 0);
  }

  private CompletionStage<ReadOutcome> readGroup(
      String group, byte[] query, ReadConsistency consistency, long deadlineNanos, int attempt) {
    return router.read(group, query, consistency, remaining(deadlineNanos)).thenCompose(read -> {
      KvResult result = KvCodec.decodeResult(read.result());
      if (result instanceof KvResult.Rejected rejected) {
        throw new RaftRingException(ErrorCode.BAD_REQUEST, rejected.message());
      }
      if (!(result instanceof KvResult.Locked locked)) {
        return CompletableFuture.completedFuture(outcome(group, read, result, consistency));
      }
      KvResult committed = locked.committed().orElseThrow();
      if (consistency == ReadConsistency.STALE) {
        return CompletableFuture.completedFuture(outcome(group, read, committed, consistency));
      }
      return locks.readThrough(group, locked.locks(), attempt, deadlineNanos).thenCompose(latest -> {
        if (latest) {
          return CompletableFuture.completedFuture(outcome(group, read, committed, consistency));
        }
        return locks.hasTime(deadlineNanos) ? readGroup(group, query, consistency, deadlineNanos, attempt + 1)
            : CompletableFuture.failedFuture(stillLocked(locked));
      });
    });
  }

  private static ReadOutcome outcome(
      String group, ReplicaProtocol.ReadResult read, KvResult result, ReadConsistency consistency) {
    return new ReadOutcome(result, group, read.node(), read.appliedIndex(), read.leader(), consistency);
  }

  /** Asks every group for a page of the range and merges them ({@link RangePages}: each key once, in order). */
  private CompletionStage<ReadOutcome> readAcrossGroups(
      KvQuery.Range range, ReadConsistency consistency, Duration timeout) {
    List<CompletableFuture<ReadOutcome>> pages = new ArrayList<>();
    for (String group : groups) {
      pages.add(readGroup(group, range, consistency, timeout).toCompletableFuture());
    }
    return CompletableFuture.allOf(pages.toArray(CompletableFuture[]::new)).thenApply(done -> {
      List<KvResult.RangePage> groupPages = new ArrayList<>();
      long applied = 0;
      boolean allFromLeaders = true;
      for (CompletableFuture<ReadOutcome> f : pages) {
        ReadOutcome outcome = f.join();
        groupPages.add((KvResult.RangePage) outcome.result());
        applied = Math.max(applied, outcome.appliedIndex());
        allFromLeaders &= outcome.fromLeader();
      }
      return new ReadOutcome(RangePages.merge(range, groupPages), "*", "*", applied, allFromLeaders, consistency);
    });
  }

  static RaftRingException invalid(KvValidationException e) {
    return new RaftRingException(ErrorCode.of(e.code()), e.getMessage());
  }
}
