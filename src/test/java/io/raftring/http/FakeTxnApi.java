package io.raftring.http;

import io.raftring.api.RaftRingException;
import io.raftring.api.TxnApi;
import io.raftring.api.TxnStatus;
import io.raftring.txn.TxnOutcome;
import io.raftring.txn.TxnRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A TxnApi that records what it was asked and answers what the test set. */
final class FakeTxnApi implements TxnApi {

  final List<TxnRequest> requests = new ArrayList<>();
  final List<String> statusAsked = new ArrayList<>();
  TxnOutcome.Completed answer = new TxnOutcome.Completed(Optional.empty(), true, 1, "g0", false, List.of());
  RaftRingException failure;

  @Override
  public CompletionStage<TxnOutcome.Completed> execute(TxnRequest request, Duration timeout) {
    requests.add(request);
    return failure != null ? CompletableFuture.failedFuture(failure) : CompletableFuture.completedFuture(answer);
  }

  @Override
  public CompletionStage<TxnStatus> status(String txnId, Duration timeout) {
    statusAsked.add(txnId);
    if (failure != null) {
      return CompletableFuture.failedFuture(failure);
    }
    return CompletableFuture.completedFuture(
        new TxnStatus(txnId, "committed", true, 7, List.of("g0", "g1"), "committed; its success branch ran"));
  }
}
