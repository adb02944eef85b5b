package io.raftring.txn;

import io.raftring.kv.KeyLock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Finishes, or waits out, transactions whose locks a request met: asks the holder's record and applies
 * {@link Resolution}'s rule (commit or abort the participant as the record says; abort in the record group first once
 * the holder's locks expired undecided). Used by whatever meets a lock (plain reads and writes, transactions,
 * recovery's sweep), so every path resolves a lock the same way. Resolutions of one holder in one group that overlap
 * in time share one attempt.
 */
public final class LockResolver {

  /** What is known of a lock holder after resolving. */
  public enum HolderState {
    /** Committed: its writes are applied (or being applied) in the group asked about. */
    COMMITTED,
    /** Aborted: its locks are released (or being released), nothing of it is applied. */
    ABORTED,
    /** Undecided and within its promised time: wait for it. */
    PENDING,
    /** Too old to prove either outcome: left for an operator. */
    IN_DOUBT,
    /** Could not be learned now (a group did not answer). */
    UNKNOWN
  }

  private final GroupClient groups;
  private final TxnScheduler scheduler;
  private final LongSupplier wallMillis;
  private final LongSupplier nanoTime;
  private final TxnMetrics metrics;
  private final Map<String, CompletableFuture<HolderState>> inFlight = new ConcurrentHashMap<>();

  public LockResolver(GroupClient groups, TxnScheduler scheduler, LongSupplier wallMillis, LongSupplier nanoTime,
      TxnMetrics metrics) {
    this.groups = groups;
    this.scheduler = scheduler;
    this.wallMillis = wallMillis;
    this.nanoTime = nanoTime;
    this.metrics = metrics;
  }

  /** Resolves the holder of {@code lock}, a lock found in {@code group}. */
  public CompletionStage<HolderState> resolve(String group, KeyLock lock, Duration timeout) {
    return resolve(group, TxnId.parse(lock.txnId()), lock.expiresAtMillis(), timeout);
  }

  /** Resolves transaction {@code holder}, prepared in {@code group} with locks promised until {@code expiresAt}. */
  public CompletionStage<HolderState> resolve(String group, TxnId holder, long expiresAtMillis, Duration timeout) {
    String key = group + "|" + holder;
    CompletableFuture<HolderState> mine = new CompletableFuture<>();
    CompletableFuture<HolderState> running = inFlight.putIfAbsent(key, mine);
    if (running != null) {
      return running;
    }
    mine.whenComplete((state, error) -> inFlight.remove(key, mine));
    askRecord(group, holder, expiresAtMillis, timeout).whenComplete((state, error) -> {
      if (error != null) {
        mine.complete(HolderState.UNKNOWN);
      } else {
        mine.complete(state);
      }
    });
    return mine;
  }

  private CompletionStage<HolderState> askRecord(String group, TxnId holder, long expiresAtMillis, Duration timeout) {
    return groups.read(holder.group(), TxnCodec.encode(new TxnQuery.RecordOf(holder)), timeout)
        .thenCompose(bytes -> {
          TxnResult answer = TxnCodec.decodeResult(bytes);
          if (!(answer instanceof TxnResult.Record record)) {
            return CompletableFuture.completedFuture(HolderState.UNKNOWN);
          }
          Resolution.Decision decision = Resolution.decide(record.record(), group.equals(holder.group()),
              wallMillis.getAsLong(), expiresAtMillis);
          return act(group, holder, decision, timeout);
        });
  }

  private CompletionStage<HolderState> act(String group, TxnId holder, Resolution.Decision decision,
      Duration timeout) {
    return switch (decision.action()) {
      case WAIT -> CompletableFuture.completedFuture(HolderState.PENDING);
      case IN_DOUBT -> CompletableFuture.completedFuture(HolderState.IN_DOUBT);
      case ALREADY_COMMITTED -> CompletableFuture.completedFuture(HolderState.COMMITTED);
      case ALREADY_ABORTED -> CompletableFuture.completedFuture(HolderState.ABORTED);
      case COMMIT_PARTICIPANT -> {
        metrics.resolved("commit");
        yield groups.propose(group, TxnCodec.encode(
                new TxnCommand.Commit(holder, wallMillis.getAsLong(), decision.succeeded(), false)), timeout)
            .thenApply(bytes -> HolderState.COMMITTED);
      }
      case ABORT_PARTICIPANT -> {
        metrics.resolved("abort");
        yield groups.propose(group, TxnCodec.encode(
                new TxnCommand.Abort(holder, wallMillis.getAsLong(), false)), timeout)
            .thenApply(bytes -> HolderState.ABORTED);
      }
      case ABORT_RECORD -> {
        metrics.resolved("abort-expired");
        yield groups.propose(holder.group(), TxnCodec.encode(
                new TxnCommand.Abort(holder, wallMillis.getAsLong(), true)), timeout)
            .thenCompose(bytes -> {
              TxnResult answer = TxnCodec.decodeResult(bytes);
              TxnRecord decided = answer instanceof TxnResult.Committed committed
                  ? TxnRecord.pending(holder, List.of()).committed(committed.succeeded(), committed.revision())
                  : TxnRecord.abortedUnprepared(holder);
              Resolution.Decision next = Resolution.decide(java.util.Optional.of(decided),
                  group.equals(holder.group()), wallMillis.getAsLong(), Long.MAX_VALUE);
              return act(group, holder, next, timeout);
            });
      }
    };
  }

  /**
   * For a request that must write where {@code locks} stand: resolves their holders, then waits a short, growing
   * pause ({@code attempt} counts the waits so far). Completes true when the request should try again, false when its
   * deadline is too near to.
   */
  public CompletionStage<Boolean> awaitRelease(String group, List<KeyLock> locks, int attempt, long deadlineNanos) {
    return resolveAll(group, locks, deadlineNanos).thenCompose(states -> pause(attempt, deadlineNanos));
  }

  /**
   * For a strong read that met write locks: true when every holder is known not to have committed (pending or
   * aborted), so the committed answer the read got is the latest; false when the read should be retried (a holder
   * committed and is being applied, or could not be learned), after a pause.
   */
  public CompletionStage<Boolean> readThrough(String group, List<KeyLock> locks, int attempt, long deadlineNanos) {
    return resolveAll(group, locks, deadlineNanos).thenCompose(states -> {
      boolean noneCommitted = states.stream()
          .allMatch(s -> s == HolderState.PENDING || s == HolderState.ABORTED);
      return noneCommitted ? CompletableFuture.completedFuture(true)
          : pause(attempt, deadlineNanos).thenApply(retry -> false);
    });
  }

  /** Whether there is time left before {@code deadlineNanos} for another try. */
  public boolean hasTime(long deadlineNanos) {
    return deadlineNanos - nanoTime.getAsLong() > Backoff.MAX_MILLIS * 1_000_000;
  }

  private CompletionStage<List<HolderState>> resolveAll(String group, List<KeyLock> locks, long deadlineNanos) {
    Duration timeout = Duration.ofNanos(Math.max(1_000_000, deadlineNanos - nanoTime.getAsLong()));
    List<CompletableFuture<HolderState>> all = new ArrayList<>();
    locks.stream().map(KeyLock::txnId).distinct().forEach(txnId -> {
      KeyLock lock = locks.stream().filter(l -> l.txnId().equals(txnId)).findFirst().orElseThrow();
      all.add(resolve(group, lock, timeout).toCompletableFuture());
    });
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(done -> all.stream().map(CompletableFuture::join).toList());
  }

  private CompletionStage<Boolean> pause(int attempt, long deadlineNanos) {
    if (!hasTime(deadlineNanos)) {
      return CompletableFuture.completedFuture(false);
    }
    CompletableFuture<Boolean> later = new CompletableFuture<>();
    scheduler.schedule(Backoff.after(attempt), () -> later.complete(true));
    return later;
  }
}
