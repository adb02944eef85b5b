package io.raftring.txn;

import io.raftring.kv.KeyLock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What {@link TxnStateMachine} answers to a {@link TxnCommand} or a {@link TxnQuery}. */
public sealed interface TxnResult permits TxnResult.Done, TxnResult.Blocked, TxnResult.Prepared, TxnResult.Refused,
    TxnResult.Committed, TxnResult.Aborted, TxnResult.NotPrepared, TxnResult.Record, TxnResult.PreparedList,
    TxnResult.Rejected {

  /** A one-group transaction ran: which branch, the revision after it, each operation's result. */
  record Done(boolean succeeded, long revision, List<OpResult> results) implements TxnResult {
    public Done {
      results = List.copyOf(results);
    }
  }

  /**
   * A one-group transaction met locks of prepared transactions and changed nothing. A read-only one carries the
   * answer from the committed state, good to return once the holders are known not to have committed.
   */
  record Blocked(List<KeyLock> locks, Optional<Done> committed) implements TxnResult {
    public Blocked {
      locks = List.copyOf(locks);
      Objects.requireNonNull(committed, "committed");
    }
  }

  /**
   * Phase one succeeded here: the locks are held, and these are this group's compare outcome and results (reads, and
   * writes with their previous entries) of each branch, in the order of the group's part.
   */
  record Prepared(boolean comparesHeld, List<OpResult> success, List<OpResult> failure) implements TxnResult {
    public Prepared {
      success = List.copyOf(success);
      failure = List.copyOf(failure);
    }
  }

  /** Phase one refused here, nothing locked: held by {@code conflicts} (may clear), or final (conflicts empty). */
  record Refused(String reason, List<KeyLock> conflicts) implements TxnResult {
    public Refused {
      Objects.requireNonNull(reason, "reason");
      conflicts = List.copyOf(conflicts);
    }
  }

  /** The transaction is committed here (now or before); {@code revision} of its writes here, 0 if none or unknown. */
  record Committed(long revision, boolean succeeded) implements TxnResult {}

  /** The transaction is aborted here (now or before). */
  record Aborted(String reason) implements TxnResult {
    public Aborted {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** A commit reached a group where the transaction is not prepared (finished already, or never prepared). */
  record NotPrepared(boolean finished) implements TxnResult {}

  /** A transaction's record ({@code empty}: none here) and the latest time this group's log has brought it. */
  record Record(Optional<TxnRecord> record, long clockMillis) implements TxnResult {
    public Record {
      Objects.requireNonNull(record, "record");
    }
  }

  /** Prepared transactions awaiting phase two, and how many keys are locked in all. */
  record PreparedList(List<PreparedSummary> prepared, int lockedKeys, int preparedCount) implements TxnResult {
    public PreparedList {
      prepared = List.copyOf(prepared);
    }
  }

  /** One prepared transaction, for recovery. */
  record PreparedSummary(TxnId id, boolean recordHere, long preparedAtMillis, long expiresAtMillis) {}

  /** The bytes were not a transaction message this node reads. */
  record Rejected(String message) implements TxnResult {}
}
