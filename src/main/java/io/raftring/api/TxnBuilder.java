package io.raftring.api;

import io.raftring.txn.Compare;
import io.raftring.txn.TxnOp;
import io.raftring.txn.TxnOutcome;
import io.raftring.txn.TxnRequest;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Collects a transaction's compares and branches, then runs it with {@link #commit}. Not thread-safe. */
public final class TxnBuilder {

  private final TxnApi api;
  private final TxnRequest.Builder request = TxnRequest.builder();

  TxnBuilder(TxnApi api) {
    this.api = api;
  }

  /** Compares that must all hold for the success branch to run. */
  public TxnBuilder when(Compare... compares) {
    request.when(compares);
    return this;
  }

  /** Operations of the success branch. */
  public TxnBuilder then(TxnOp... ops) {
    request.then(ops);
    return this;
  }

  /** Operations of the failure branch. */
  public TxnBuilder otherwise(TxnOp... ops) {
    request.otherwise(ops);
    return this;
  }

  /** Runs the transaction; an invalid one fails the stage with BAD_REQUEST and sends nothing. */
  public CompletionStage<TxnOutcome.Completed> commit(Duration timeout) {
    TxnRequest built;
    try {
      built = request.build();
    } catch (IllegalArgumentException e) {
      return CompletableFuture.failedFuture(new RaftRingException(ErrorCode.BAD_REQUEST, e.getMessage()));
    }
    return api.execute(built, timeout);
  }
}
