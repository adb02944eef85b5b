package io.raftring.txn;

import io.raftring.kv.KeyValue;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of one operation of the branch that ran, in the branch's order. A write's {@code revision} is the
 * revision at which its group applied the transaction's writes; 0 when it is not known at the answer (a group other
 * than the record group of a two-phase transaction applies them just after the answer).
 */
public sealed interface OpResult permits OpResult.PutResult, OpResult.DeleteResult, OpResult.GetResult,
    OpResult.RangeResult {

  /** This result with the revision its group applied the writes at. */
  default OpResult atRevision(long revision) {
    return this;
  }

  record PutResult(long revision, Optional<KeyValue> previous) implements OpResult {
    public PutResult {
      Objects.requireNonNull(previous, "previous");
    }

    @Override
    public OpResult atRevision(long revision) {
      return new PutResult(revision, previous);
    }
  }

  /** {@code previous} is the deleted entry; empty when the key was absent (nothing deleted). */
  record DeleteResult(long revision, Optional<KeyValue> previous) implements OpResult {
    public DeleteResult {
      Objects.requireNonNull(previous, "previous");
    }

    public int deleted() {
      return previous.isPresent() ? 1 : 0;
    }

    @Override
    public OpResult atRevision(long revision) {
      return new DeleteResult(revision, previous);
    }
  }

  record GetResult(Optional<KeyValue> keyValue) implements OpResult {
    public GetResult {
      Objects.requireNonNull(keyValue, "keyValue");
    }
  }

  /** Up to the range's limit of keys, in key order; {@code more} when keys beyond them match. */
  record RangeResult(List<KeyValue> keyValues, boolean more) implements OpResult {
    public RangeResult {
      keyValues = List.copyOf(keyValues);
    }
  }
}
