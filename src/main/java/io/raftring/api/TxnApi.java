package io.raftring.api;

import io.raftring.txn.TxnOutcome;
import io.raftring.txn.TxnRequest;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * Transactions over any keys, mirroring {@code POST /v1/txn} and {@code GET /v1/txn/{id}}:
 *
 * <pre>{@code
 * raftRing.txn().newTxn()
 *     .when(Compare.value("{acct}/a", Operator.EQUAL, bytes("100")))
 *     .then(TxnOp.put("{acct}/a", bytes("90")), TxnOp.put("{acct}/b", bytes("110")))
 *     .otherwise(TxnOp.get("{acct}/a"))
 *     .commit(Duration.ofSeconds(2))            // CompletionStage<TxnOutcome.Completed>
 * }</pre>
 *
 * A stage that fails carries a {@link RaftRingException}: BAD_REQUEST or TOO_LARGE (nothing sent), CONFLICT (aborted
 * by another transaction's locks: nothing applied, retrying may succeed; {@link RaftRingException#txnId()} names
 * it), NO_QUORUM / OVERLOADED / NOT_READY (aborted: nothing applied), TIMEOUT (outcome unknown: ask
 * {@link #status} with {@link RaftRingException#txnId()}).
 */
public interface TxnApi {

  /** Runs {@code request}: which branch ran and each operation's result, once applied. */
  CompletionStage<TxnOutcome.Completed> execute(TxnRequest request, Duration timeout);

  /** How transaction {@code txnId} ended, from its record; BAD_REQUEST if {@code txnId} is not a transaction id. */
  CompletionStage<TxnStatus> status(String txnId, Duration timeout);

  /** A builder of a transaction to run through this API. */
  default TxnBuilder newTxn() {
    return new TxnBuilder(this);
  }
}
