package io.raftring.txn;

import java.util.List;
import java.util.Optional;

/** How a transaction ended, as its coordinator tells the caller. */
public sealed interface TxnOutcome permits TxnOutcome.Completed, TxnOutcome.Aborted, TxnOutcome.Unknown {

  /**
   * It ran: {@code succeeded} says which branch, {@code results} each operation's result in order. {@code revision} is
   * the revision at which {@code group} (the only group, or the record group of a two-phase transaction) applied its
   * writes, or its revision when read. {@code id} is empty for a read-only transaction (nothing to ask about later).
   */
  record Completed(Optional<TxnId> id, boolean succeeded, long revision, String group, boolean twoPhase,
      List<OpResult> results) implements TxnOutcome {
    public Completed {
      results = List.copyOf(results);
    }
  }

  /**
   * It did not happen, and nothing of it was applied. {@code cause} is null when it lost to another transaction (a
   * conflict: retrying may well succeed), else the failure that stopped it (a group without a quorum...).
   */
  record Aborted(TxnId id, String reason, Throwable cause) implements TxnOutcome {}

  /** The deadline passed with the outcome unknown: ask the record with {@code id} how it ended. */
  record Unknown(TxnId id, String reason) implements TxnOutcome {}
}
