package io.raftring;

import io.raftring.api.ErrorCode;
import io.raftring.api.RaftRingException;
import io.raftring.api.TxnApi;
import io.raftring.api.TxnStatus;
import io.raftring.kv.KvValidationException;
import io.raftring.txn.TxnCoordinator;
import io.raftring.txn.TxnId;
import io.raftring.txn.TxnOutcome;
import io.raftring.txn.TxnRecord;
import io.raftring.txn.TxnRequest;
import io.raftring.txn.TxnResult;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Transactions over the router: the coordinator's outcomes as the API's answers and error codes. */
final class RoutedTxnApi implements TxnApi {

  private final TxnCoordinator coordinator;
  private final List<String> groups;

  RoutedTxnApi(TxnCoordinator coordinator, List<String> groups) {
    this.coordinator = coordinator;
    this.groups = List.copyOf(groups);
  }

  @Override
  public CompletionStage<TxnOutcome.Completed> execute(TxnRequest request, Duration timeout) {
    CompletionStage<TxnOutcome> outcome;
    try {
      outcome = coordinator.execute(request, timeout);
    } catch (KvValidationException e) {
      return CompletableFuture.failedFuture(RoutedKvApi.invalid(e));
    }
    return outcome.thenApply(RoutedTxnApi::completedOrThrow);
  }

  private static TxnOutcome.Completed completedOrThrow(TxnOutcome outcome) {
    if (outcome instanceof TxnOutcome.Completed completed) {
      return completed;
    }
    if (outcome instanceof TxnOutcome.Aborted aborted) {
      String id = aborted.id() == null ? null : aborted.id().toString();
      throw new RaftRingException(codeOf(aborted.cause()), aborted.reason(), id);
    }
    TxnOutcome.Unknown unknown = (TxnOutcome.Unknown) outcome;
    throw new RaftRingException(ErrorCode.TIMEOUT, unknown.reason() + "; ask GET /v1/txn/" + unknown.id()
        + " how it ended", unknown.id().toString());
  }

  /** Lost to another transaction: CONFLICT. Stopped by a group that could not take it: that group's refusal. */
  private static ErrorCode codeOf(Throwable cause) {
    if (cause == null) {
      return ErrorCode.CONFLICT;
    }
    RaftRingException e = RaftRingException.find(cause);
    if (e != null && (e.code() == ErrorCode.NOT_READY || e.code() == ErrorCode.OVERLOADED)) {
      return e.code();
    }
    // Aborted for sure, after a group did not take a step in time: as a write that never reached a majority.
    return ErrorCode.NO_QUORUM;
  }

  @Override
  public CompletionStage<TxnStatus> status(String txnId, Duration timeout) {
    TxnId id;
    try {
      id = TxnId.parse(txnId);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.BAD_REQUEST, e.getMessage()));
    }
    if (!groups.contains(id.group())) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.BAD_REQUEST,
          "transaction " + txnId + " names group " + id.group() + ", which this cluster does not have"));
    }
    return coordinator.record(id, timeout).thenApply(record -> statusOf(id, record));
  }

  /** A missing record is explained by the transaction's age on its record group's clock. */
  private static TxnStatus statusOf(TxnId id, TxnResult.Record answer) {
    if (answer.record().isPresent()) {
      TxnRecord record = answer.record().get();
      String message = switch (record.state()) {
        case PENDING -> "prepared, not yet decided: it commits or, once its locks expire, recovery aborts it";
        case COMMITTED -> "committed; its " + (record.succeeded() ? "success" : "failure") + " branch ran";
        case ABORTED -> "aborted: nothing of it was applied";
      };
      return new TxnStatus(id.toString(), record.state().label(), record.succeeded(), record.revision(),
          record.participants(), message);
    }
    long age = answer.clockMillis() - id.startMillis();
    if (age > TxnCoordinator.maxTransactionAgeMillis() && age < TxnCoordinator.recordRetentionMillis()) {
      return new TxnStatus(id.toString(), "aborted", false, 0, List.of(), "no record: it never took effect, and"
          + " being older than " + TxnCoordinator.maxTransactionAgeMillis() / 1000 + " s it never will");
    }
    String message = age <= TxnCoordinator.maxTransactionAgeMillis()
        ? "no record yet: it has not taken effect so far, and may until " + TxnCoordinator.maxTransactionAgeMillis()
            / 1000 + " s after it began; ask again"
        : "no record: it is older than the records kept (" + TxnCoordinator.recordRetentionMillis() / 1000 + " s)";
    return new TxnStatus(id.toString(), "unknown", false, 0, List.of(), message);
  }
}
