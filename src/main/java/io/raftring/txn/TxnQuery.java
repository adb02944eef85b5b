package io.raftring.txn;

import java.util.Objects;

/** A read-only question to one group's transaction state, answered by {@link TxnStateMachine#query}. */
public sealed interface TxnQuery permits TxnQuery.Read, TxnQuery.RecordOf, TxnQuery.ListPrepared {

  /** A read-only transaction whose keys all live in this group: answered from the committed state. */
  record Read(TxnRequest request) implements TxnQuery {
    public Read {
      Objects.requireNonNull(request, "request");
    }
  }

  /** The record of a transaction whose id names this group. */
  record RecordOf(TxnId id) implements TxnQuery {
    public RecordOf {
      Objects.requireNonNull(id, "id");
    }
  }

  /** The prepared transactions holding locks here (at most {@code limit}, oldest prepare first). */
  record ListPrepared(int limit) implements TxnQuery {
    public ListPrepared {
      if (limit < 1) {
        throw new IllegalArgumentException("limit must be 1 or more");
      }
    }
  }
}
